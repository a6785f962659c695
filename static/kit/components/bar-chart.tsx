/** Bar chart: an SVG for the eye and a table for screen readers, from the same numbers. */
import type { ReactNode } from 'react';
import { ChartFigure } from './chart-figure';
import { niceTicks, wrapLabel } from './chart-scale';

export interface ChartSeries {
  name: string;
  values: readonly number[];
}

export function BarChart({
  title,
  description,
  categories,
  series,
  height = 200,
  stacked = true,
  categoryHeader = 'Period',
}: {
  title: string;
  description?: ReactNode;
  categories: readonly string[];
  series: readonly ChartSeries[];
  height?: number;
  stacked?: boolean;
  /** What a category is, for the table screen readers get ("Sprint", "Week"). */
  categoryHeader?: string;
}) {
  // Each bar gets room for its label on up to two lines; what still does not fit ends in "…" and the
  // whole label is in the bar's tooltip, the legend and the table.
  const longest = Math.max(4, ...categories.map((c) => c.length));
  const slot = Math.min(150, Math.max(64, Math.ceil(longest / 2) * 7 + 16));
  const plotLeft = 36;
  const width = Math.max(320, plotLeft + categories.length * slot + 8);
  const plotTop = 8;
  const plotBottom = height - 40;
  const totals = categories.map((_, i) =>
    stacked ? series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0) : Math.max(0, ...series.map((s) => s.values[i] ?? 0)),
  );
  const maxValue = Math.max(1, ...totals);
  const ticks = niceTicks(maxValue);
  const top = ticks[ticks.length - 1]!;
  const y = (v: number) => plotBottom - (v / top) * (plotBottom - plotTop);
  const barWidth = Math.min(36, slot * 0.6);
  const perLine = Math.max(4, Math.floor((slot - 6) / 7));
  return (
    <ChartFigure title={title} description={description}>
      <div className="srg-chart-scroll">
        <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} aria-hidden="true" focusable="false">
          {ticks.map((tick) => (
            <g key={tick}>
              <line className="srg-axis" x1={plotLeft} x2={width} y1={y(tick)} y2={y(tick)} />
              <text x={plotLeft - 6} y={y(tick) + 4} textAnchor="end">
                {tick}
              </text>
            </g>
          ))}
          {categories.map((category, i) => {
            const x = plotLeft + slot * i + (slot - barWidth) / 2;
            let base = 0;
            const lines = wrapLabel(category, perLine, 2);
            const detail = series.map((s) => `${s.name}: ${s.values[i] ?? 0}`).join(', ');
            return (
              <g key={category}>
                <title>{`${category}: ${totals[i]}${series.length > 1 ? ` (${detail})` : ''}`}</title>
                {series.map((s, si) => {
                  const value = s.values[i] ?? 0;
                  if (value <= 0) return null;
                  const w = stacked ? barWidth : barWidth / series.length;
                  const bx = stacked ? x : x + w * si;
                  const y0 = stacked ? base : 0;
                  base += value;
                  return <rect key={s.name} className={`srg-series-${(si % 7) + 1}`} x={bx} width={Math.max(1, w - (stacked ? 0 : 1))} y={y(y0 + value)} height={Math.max(0, y(y0) - y(y0 + value))} rx={1} />;
                })}
                <text x={plotLeft + slot * i + slot / 2} y={plotBottom + 16} textAnchor="middle">
                  {lines.map((line, li) => (
                    <tspan key={li} x={plotLeft + slot * i + slot / 2} dy={li === 0 ? 0 : 14}>
                      {line}
                    </tspan>
                  ))}
                </text>
              </g>
            );
          })}
        </svg>
      </div>
      <ul className="srg-legend" aria-hidden="true">
        {series.map((s, si) => (
          <li key={s.name}>
            <span className={`srg-legend-swatch srg-series-${(si % 7) + 1}`} />
            {s.name}
          </li>
        ))}
      </ul>
      <table className="srg-visually-hidden">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{categoryHeader}</th>
            {series.map((s) => (
              <th key={s.name} scope="col">
                {s.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {categories.map((category, i) => (
            <tr key={category}>
              <th scope="row">{category}</th>
              {series.map((s) => (
                <td key={s.name}>{s.values[i] ?? 0}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </ChartFigure>
  );
}
