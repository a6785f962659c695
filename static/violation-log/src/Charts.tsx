/** The log's charts: per rule per sprint or week, the trend from one to the next, and the patterns that stand out. */
import { useEnvironment } from '../../kit/app';
import type { ChartsView } from '../../kit/contract';
import { BarChart, ErrorBanner, Select, Spinner } from '../../kit/components';
import { plural } from '../../kit/format';
import type { Loaded } from '../../kit/hooks';
import { NO_SPRINT_KEY } from '../../../src/shared/words';
import { bucketLabel, bucketTotals, perRuleSeries, timeBuckets, trendSentence, type ChartBucket } from './model';

export function Charts({
  stats,
  bucket,
  onBucket,
  filtered,
}: {
  stats: Loaded<ChartsView>;
  bucket: ChartBucket;
  onBucket: (bucket: ChartBucket) => void;
  filtered: boolean;
}) {
  const { locale } = useEnvironment();
  if (stats.status === 'loading' && !stats.data) return <Spinner label="Loading the charts" />;
  if (stats.status === 'error' && !stats.data) return <ErrorBanner title="The charts could not be loaded" error={stats.error} onRetry={stats.reload} />;
  const data = stats.data!;
  const empty = bucketTotals(data).every((t) => t === 0);
  // An empty log has nothing to chart; a filter that matches nothing keeps the charts' place and says so.
  if (empty && !filtered) return null;
  const perRule = perRuleSeries(data, 5, locale);
  const periods = timeBuckets(data);
  const outside = data.bucket === 'sprint' ? (bucketTotals(data, data.buckets.filter((b) => b.key === NO_SPRINT_KEY))[0] ?? 0) : 0;
  const unit = data.bucket === 'sprint' ? 'sprint' : 'week';
  return (
    <section className="srg-stack" aria-labelledby="charts-heading">
      <div className="srg-spread">
        <h2 id="charts-heading">How it goes</h2>
        <Select<ChartBucket>
          label="Group by"
          value={bucket}
          options={[
            { value: 'sprint', label: 'Sprint' },
            { value: 'week', label: 'Week' },
          ]}
          onChange={onBucket}
        />
      </div>
      {empty ? (
        <p className="srg-subtle">Nothing to chart for this filter.</p>
      ) : (
        <div className="srg-grid-2">
          <div className="srg-section">
            <BarChart
              title={`Per rule, per ${unit}`}
              description="Which accountabilities get crossed, and when."
              categories={perRule.categories}
              series={perRule.series}
              categoryHeader={unit === 'sprint' ? 'Sprint' : 'Week'}
            />
          </div>
          <div className="srg-section">
            {periods.length === 0 ? (
              <div className="srg-stack">
                <h3>Trend</h3>
                <p className="srg-small srg-subtle">
                  No entry was made during a sprint yet, so there is no trend from sprint to sprint. {plural(outside, 'entry', 'entries')} made outside a sprint{' '}
                  {outside === 1 ? 'is' : 'are'} counted in the chart beside this one; grouping by week shows them over time.
                </p>
              </div>
            ) : (
              <BarChart
                title="Trend"
                description={`${trendSentence(data)}${outside > 0 ? ` ${plural(outside, 'entry', 'entries')} made outside a sprint ${outside === 1 ? 'is' : 'are'} not part of the trend.` : ''}`}
                categories={periods.map((b) => bucketLabel(data, b, locale))}
                series={[{ name: 'Entries', values: bucketTotals(data, periods) }]}
                stacked={false}
                categoryHeader={unit === 'sprint' ? 'Sprint' : 'Week'}
              />
            )}
          </div>
          <div className="srg-section srg-stack">
            <h3>Top patterns</h3>
            {data.topPatterns.length === 0 ? (
              <p className="srg-small srg-subtle">No pattern stands out in the latest {unit}.</p>
            ) : (
              <ol className="srg-stack" style={{ margin: 0, paddingLeft: 'var(--srg-space-200)', gap: 'var(--srg-space-050)' }}>
                {data.topPatterns.slice(0, 5).map((pattern) => (
                  <li key={`${pattern.role}:${pattern.rule}:${pattern.bucket}`}>{pattern.text}</li>
                ))}
              </ol>
            )}
            <p className="srg-small srg-subtle">A pattern is a conversation to have, often about how the roles are understood, not about a person.</p>
          </div>
        </div>
      )}
    </section>
  );
}
