/**
 * `npm run bench` (full, under ten minutes on 2 cores) and `npm run bench -- --quick` (under one):
 * speed, Jira calls, storage and bundle size in one run, printed as a table and, last, one JSON line.
 *
 *   --quick            fewer events, shorter timing windows, fewer log rows
 *   --sql-url=URL      the MariaDB server for the log measurement (default mysql://root@127.0.0.1:3306/test)
 *   --only=a,b         run only some parts: engine, cost, bursts, health, sql, sizes (the estimate needs cost)
 */
import { z } from 'zod';
import { measureEngine } from './engine';
import { ASSUMPTIONS, estimateMonth, EVENT_MIX, EVENTS_PER_DAY, FORGE_LIMITS } from './estimate';
import { formatNumber, Report } from './report';
import { measureBulkRank, measureEventCosts, measureRoleHealth, measureSprintCompleted, type BurstFigures, type CostFigures, type EventCost } from './sandbox-cost';
import { measureSizes, UI_BUDGET_KB } from './sizes';
import { mariaDbReachable, measureLog, type LogFigures, type QueryFigures } from './sql-log';

const PARTS = ['engine', 'cost', 'bursts', 'health', 'sql', 'sizes'] as const;
type Part = (typeof PARTS)[number];

const argsSchema = z.strictObject({
  quick: z.boolean(),
  sqlUrl: z.string().regex(/^(mysql|mariadb):\/\//, { error: 'expected a URL such as mysql://root@127.0.0.1:3306/test' }),
  only: z.array(z.enum(PARTS, { error: `expected parts among ${PARTS.join(', ')}` })).min(1),
});
export type BenchArgs = z.infer<typeof argsSchema>;

export function parseArgs(argv: readonly string[]): BenchArgs {
  const raw: Record<string, unknown> = { quick: false, sqlUrl: process.env['SRG_MARIADB_URL'] || 'mysql://root@127.0.0.1:3306/test', only: [...PARTS] };
  for (const arg of argv) {
    if (arg === '--quick') raw['quick'] = true;
    else if (arg.startsWith('--sql-url=')) raw['sqlUrl'] = arg.slice('--sql-url='.length);
    else if (arg.startsWith('--only=')) raw['only'] = arg.slice('--only='.length).split(',').filter((p) => p !== '');
    else throw new Error(`bench: unknown argument ${JSON.stringify(arg)}; expected --quick, --sql-url=URL or --only=${PARTS.join(',')}`);
  }
  const parsed = argsSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`bench: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** The JSON line's numbers; a part that was not run leaves its keys out. */
export type Summary = Record<string, number | string | boolean>;

async function timed<T>(label: string, run: () => Promise<T> | T): Promise<T> {
  const started = Date.now();
  process.stderr.write(`bench: ${label}...\n`);
  const result = await run();
  process.stderr.write(`bench: ${label} done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return result;
}

export async function runBench(args: BenchArgs): Promise<{ report: Report; summary: Summary }> {
  const report = new Report();
  const summary: Summary = { quick: args.quick };
  const wants = (part: Part) => args.only.includes(part);

  if (wants('engine')) {
    const engine = await timed('engine', () => measureEngine(args.quick));
    report.add('1 engine', `events judged per second, one core (${formatNumber(engine.events)} mixed events)`, engine.engineEventsPerSecond, {
      text: '>= 200,000',
      met: engine.engineEventsPerSecond >= 200_000,
    });
    report.add('1 engine', 'naive baseline (full schema, roles per event, no cache)', engine.baselineEventsPerSecond);
    report.add('1 engine', 'design / baseline', `${(engine.engineEventsPerSecond / engine.baselineEventsPerSecond).toFixed(2)}x`);
    summary['engineEventsPerSecond'] = engine.engineEventsPerSecond;
    summary['baselineEventsPerSecond'] = engine.baselineEventsPerSecond;
  }

  let costs: CostFigures | undefined;
  if (wants('cost')) {
    const c = await timed('cost per event (sandbox)', () => measureEventCosts(args.quick));
    costs = c;
    const reads = (e: EventCost) => e.kvsReads + e.sqlReads;
    report.add('2 cost', `irrelevant update (summary, description, labels): invocations`, c.irrelevant.invocations, { text: '0', met: c.irrelevant.invocations === 0 });
    report.add('2 cost', 'relevant, warm, allowed', describeCost(c.warmAllowed), {
      text: '<= 1 Jira call, <= 1 read',
      met: c.warmAllowed.jiraCalls <= 1 && reads(c.warmAllowed) <= 1,
    });
    const sqlRequests = (e: EventCost) => e.sqlReads + e.sqlWrites;
    report.add('2 cost', 'relevant, warm, violation flagged', describeCost(c.warmFlagged), {
      text: '<= 1 Jira call, <= 2 storage reads, <= 2 SQL requests',
      met: c.warmFlagged.jiraCalls <= 1 && reads(c.warmFlagged) <= 2 && sqlRequests(c.warmFlagged) <= 2,
    });
    report.add('2 cost', 'relevant, warm, violation undone (block)', describeCost(c.warmBlocked));
    report.add('2 cost', 'relevant, new actor in a warm container', describeCost(c.newActorWarmContainer));
    report.add('2 cost', 'relevant, allowed, new container of the installation', describeCost(c.coldContainerAllowed));
    report.add('2 cost', 'relevant, flagged, new container of the installation', describeCost(c.coldContainerFlagged));
    report.add('2 cost', 'relevant, cold (new installation, first event: once)', describeCost(c.cold));
    report.add('2 cost', 'violation log opened (first page and charts)', describeCost(c.logView));
    report.add('2 cost', 'note on 3 entries (acknowledge)', describeCost(c.acknowledgement));
    report.add('2 cost', 'daily job (retention, sealing closed days)', describeCost(c.dailyJob));
    report.add('2 cost', 'weekly job (personal data)', describeCost(c.weeklyJob));
    if (c.contractProblems > 0) report.note(`the local Jira recorded ${c.contractProblems} contract problem(s) during the cost runs`);
    summary['invocationsPerIrrelevantEvent'] = c.irrelevant.invocations;
    summary['jiraCallsPerRelevantEventWarm'] = Math.max(c.warmAllowed.jiraCalls, c.warmFlagged.jiraCalls);
    summary['storageReadsPerRelevantEventWarm'] = Math.max(reads(c.warmAllowed), reads(c.warmFlagged));
    summary['storageReadsPerAllowedEventWarm'] = reads(c.warmAllowed);
    summary['storageReadsPerViolationWarm'] = reads(c.warmFlagged);
    summary['sqlRequestsPerViolationWarm'] = sqlRequests(c.warmFlagged);
    summary['sqlWritesPerViolationWarm'] = c.warmFlagged.sqlWrites;
    summary['jiraCallsPerUndoWarm'] = c.warmBlocked.jiraCalls;
    summary['jiraCallsPerRelevantEventCold'] = c.cold.jiraCalls;
    summary['storageReadsPerRelevantEventCold'] = reads(c.cold);
  }

  if (wants('bursts')) {
    const rank = await timed('burst: bulk rank of 50', () => measureBulkRank());
    const sprint = await timed('burst: sprint completed with 40 items', () => measureSprintCompleted());
    for (const burst of [rank, sprint]) {
      report.add('3 bursts', `${burst.label}: ${burst.events} events`, describeCost(burst.cost, false), {
        text: 'all judged, no retries',
        met: burst.correct && burst.deliveryProblems === 0 && burst.contractProblems === 0,
      });
      report.add('3 bursts', '  time until everything is judged (and undone)', `${formatNumber(burst.cost.ms)} ms`);
      report.add('3 bursts', '  outcome', burstOutcome(burst));
    }
    summary['burst50RankJiraCalls'] = rank.cost.jiraCalls;
    summary['burst50RankInvocations'] = rank.cost.invocations;
    summary['burst50RankMs'] = Math.round(rank.cost.ms);
    summary['burstSprint40JiraCalls'] = sprint.cost.jiraCalls;
    summary['burstSprint40Invocations'] = sprint.cost.invocations;
    summary['burstSprint40Ms'] = Math.round(sprint.cost.ms);
  }

  if (wants('health')) {
    // The demo's history (three closed sprints and the active one), then the same with 500 more work
    // items: the cold cost grows with the work items changed in the window, the warm one does not.
    for (const extra of args.quick ? [0] : [0, 500]) {
      const h = await timed(`role health, six sprints, ${extra} extra work items`, () => measureRoleHealth(extra));
      const what = extra === 0 ? 'the demo' : `the demo and ${formatNumber(extra)} more work items`;
      report.add('3b role health', `six sprints of ${what}, first opening (${h.coldPolls} polls)`, describeCost(h.cold), {
        text: 'within the 25 s of each step',
        met: h.contractProblems === 0,
      });
      report.add('3b role health', `  the same within five minutes (kept figures)`, describeCost(h.warm), {
        text: 'no replay: one invocation, nothing queued',
        met: h.warm.invocations === 1 && h.warm.queuePushes === 0,
      });
      const suffix = extra === 0 ? '' : `With${extra}Items`;
      summary[`roleHealthColdJiraCalls${suffix}`] = h.cold.jiraCalls;
      summary[`roleHealthColdKvsReads${suffix}`] = h.cold.kvsReads;
      summary[`roleHealthColdMs${suffix}`] = Math.round(h.cold.ms);
      summary[`roleHealthWarmJiraCalls${suffix}`] = h.warm.jiraCalls;
      summary[`roleHealthWarmKvsReads${suffix}`] = h.warm.kvsReads;
      summary[`roleHealthWarmMs${suffix}`] = Math.round(h.warm.ms);
    }
  }

  if (wants('sql')) {
    const runs = args.quick ? 10 : 40;
    const budgetMs = args.quick ? 3_000 : 25_000;
    const haveMariaDb = await mariaDbReachable(args.sqlUrl);
    const embeddedRows = args.quick ? 10_000 : 100_000;
    const embedded = await timed(`log on the embedded engine, ${formatNumber(embeddedRows)} rows`, () => measureLog('embedded', embeddedRows, runs, args.sqlUrl, budgetMs));
    let headline: LogFigures = embedded;
    if (haveMariaDb) {
      const mariaRows = args.quick ? 50_000 : 1_000_000;
      headline = await timed(`log on MariaDB, ${formatNumber(mariaRows)} rows`, () => measureLog('mariadb', mariaRows, runs, args.sqlUrl, budgetMs));
      reportLog(report, headline, '4 log MariaDB');
    } else {
      report.note(`MariaDB is unreachable at ${args.sqlUrl}: the log figures in the JSON line are the embedded engine's (marked "4 log embedded*").`);
    }
    reportLog(report, embedded, haveMariaDb ? '4 log embedded' : '4 log embedded*');
    summary['logEngine'] = headline.engine;
    summary['logRows'] = headline.rows;
    summary['logPageP50Ms'] = round1(headline.page.adapter.p50);
    summary['logPageP95Ms'] = round1(headline.page.adapter.p95);
    summary['logNextPageP95Ms'] = round1(headline.nextPage.adapter.p95);
    summary['logCountsMs'] = round1(headline.counts.adapter.p95);
    if (headline.tableBytes !== null) {
      const { rows: logBytes, totals } = headline.tableBytes;
      summary['logTableMiB'] = Math.round((logBytes + totals) / 1024 ** 2);
      summary['logBytesPerRow'] = Math.round((logBytes + totals) / headline.rows);
      summary['logRowsTableBytesPerRow'] = Math.round(logBytes / headline.rows);
      summary['logTotalsBytesPerRow'] = Math.round(totals / headline.rows);
    }
    summary['logChartsScreenMs'] = round1(Math.max(headline.chartsScreen.adapter.p95, headline.chartsScreenWeeks.adapter.p95));
    summary['logSealSeconds'] = round1(headline.seal.seconds);
    summary['logEmbeddedRows'] = embedded.rows;
    summary['logEmbeddedPageP95Ms'] = round1(embedded.page.adapter.p95);
    summary['logEmbeddedCountsMs'] = round1(embedded.counts.adapter.p95);
  }

  if (costs !== undefined) {
    const { lines } = estimateMonth(costs);
    report.note(
      `6: mix of ${formatNumber(EVENTS_PER_DAY)} events a day: ${EVENT_MIX.map((p) => `${(p.share * 100).toFixed(0)}% ${p.what}`).join('; ')}. ` +
        `Assumed: ${(ASSUMPTIONS.coldShare * 100).toFixed(0)}% of invocations on a cold container, ${(ASSUMPTIONS.queuedShare * 100).toFixed(0)}% of invoked events in queued bursts, ` +
        `busiest minute ${ASSUMPTIONS.peakFactor}x the average minute of an 8-hour day.`,
    );
    report.note('6 month: the free allowances are for the whole app (all installations) each month; past them usage is billed, not refused. "MISSED" there means this one site alone would use more than the allowance.');
    for (const line of lines) {
      report.add('6 month', `${line.measure} (${line.arithmetic})`, Math.round(line.perMonth), line.withinFree === null ? undefined : { text: line.limit, met: line.withinFree });
      if (line.withinFree === null) report.note(`6 month, ${line.measure}: ${line.limit}`);
    }
    const invocations = lines.find((l) => l.measure === 'invocations');
    if (invocations) summary['monthlyInvocations'] = Math.round(invocations.perMonth);
    const jira = lines.find((l) => l.measure.startsWith('Jira'));
    if (jira) summary['monthlyJiraCalls'] = Math.round(jira.perMonth);
    const sqlRequests = lines.find((l) => l.measure === 'SQL requests');
    if (sqlRequests) {
      summary['monthlySqlRequests'] = Math.round(sqlRequests.perMonth);
      report.add('6 month', 'SQL requests, the issue\'s target for one site', Math.round(sqlRequests.perMonth), { text: '<= 60,000', met: sqlRequests.perMonth <= 60_000 });
    }
    const kvsReads = lines.find((l) => l.measure === 'KVS reads');
    if (kvsReads) {
      summary['monthlyKvsReads'] = Math.round(kvsReads.perMonth);
      report.add('6 month', 'KVS reads, the issue\'s target for one site', Math.round(kvsReads.perMonth), { text: '<= 60,000', met: kvsReads.perMonth <= 60_000 });
    }
  }

  if (wants('sizes')) {
    const sizes = await timed('bundle sizes', () => measureSizes());
    for (const [surface, gzipKb] of Object.entries(sizes.ui)) {
      const budget = (UI_BUDGET_KB as Record<string, number>)[surface];
      report.add('5 size', `Custom UI ${surface}, JS + CSS gzipped (KB)`, gzipKb, budget === undefined ? undefined : { text: `< ${budget} KB`, met: gzipKb < budget });
    }
    report.add('5 size', `backend bundle (src/index.ts, node22), minified gzipped (KB)`, sizes.backend.minifiedGzipKb);
    report.add('5 size', 'backend bundle, not minified: raw / gzipped (KB)', `${formatNumber(sizes.backend.plainKb)} / ${formatNumber(sizes.backend.plainGzipKb)}`);
    summary['panelBundleGzipKb'] = sizes.panelBundleGzipKb;
    summary['largestPageBundleGzipKb'] = sizes.largestPageBundleGzipKb;
    summary['backendBundleGzipKb'] = sizes.backend.minifiedGzipKb;
  }

  return { report, summary };
}

const round1 = (value: number): number => Math.round(value * 10) / 10;

function reportLog(report: Report, figures: LogFigures, section: string): void {
  report.add(
    section,
    `${formatNumber(figures.rows)} rows (${formatNumber(figures.projectRows)} in the project queried), loaded in ${formatNumber(figures.loadSeconds)} s`,
    `up to ${formatNumber(figures.page.adapter.runs)} runs each`,
  );
  report.add(section, `sealing every closed day (the daily job, as after an upgrade): ${formatNumber(figures.seal.weeks)} project-weeks`, `${formatNumber(figures.seal.seconds)} s in ${figures.seal.runs} daily run(s)`);
  if (figures.tableBytes !== null) {
    const { rows, totals, totalRows } = figures.tableBytes;
    const all = rows + totals;
    report.add(section, 'tables, data + indexes (MiB): log, totals and sealed weeks', Math.round(all / 1024 ** 2), { text: `<= ${FORGE_LIMITS.sqlStoredBytes / 1024 ** 2} MiB per install`, met: all <= FORGE_LIMITS.sqlStoredBytes });
    report.add(section, '  per log row (bytes), all tables', Math.round(all / figures.rows), { text: '<= 785 (the log alone before)', met: all / figures.rows <= 785 });
    report.add(section, '  of which the log table / the totals', `${formatNumber(Math.round(rows / figures.rows))} / ${formatNumber(Math.round(totals / figures.rows))} (${formatNumber(totalRows)} total rows)`);
  }
  const line = (query: QueryFigures, target?: { ms: number; text: string }, usePercentile: 'p95' | 'p50' = 'p95') => {
    const value = `p50 ${formatNumber(query.adapter.p50)} / p95 ${formatNumber(query.adapter.p95)} ms (${query.adapter.runs} runs; engine ${formatNumber(query.engineP50)})`;
    report.add(section, query.label, value, target ? { text: target.text, met: query.adapter[usePercentile] < target.ms } : undefined);
    report.note(`${section}, ${query.label}: EXPLAIN ${query.plans.join(' | ')}`);
  };
  line(figures.page, { ms: 20, text: 'p95 < 20 ms' });
  line(figures.nextPage, { ms: 20, text: 'p95 < 20 ms' });
  line(figures.firstPage, { ms: 20, text: 'p95 < 20 ms' });
  line(figures.actorSortedPage, { ms: 20, text: 'p95 < 20 ms' });
  line(figures.counts, { ms: 100, text: 'p95 < 100 ms' });
  line(figures.chartsScreen, { ms: 100, text: 'p95 < 100 ms' });
  line(figures.chartsScreenWeeks, { ms: 100, text: 'p95 < 100 ms' });
}

/** One line per cost: invocations, Jira calls, KVS and SQL reads/writes, queue pushes, time. */
function describeCost(cost: EventCost, perEvent = true): string {
  const n = (value: number) => formatNumber(Math.round(value * 100) / 100);
  const parts = [
    `inv ${n(cost.invocations)}`,
    `jira ${n(cost.jiraCalls)}`,
    `kvs r${n(cost.kvsReads)}/w${n(cost.kvsWrites)}`,
    `sql r${n(cost.sqlReads)}/w${n(cost.sqlWrites)}`,
  ];
  if (cost.queuePushes > 0) parts.push(`queue ${n(cost.queuePushes)}`);
  if (perEvent) parts.push(`${formatNumber(cost.ms)} ms`);
  return parts.join(' | ');
}

function burstOutcome(burst: BurstFigures): string {
  const problems = [
    burst.deliveryProblems > 0 ? `${burst.deliveryProblems} failed/retried deliveries` : '',
    burst.contractProblems > 0 ? `${burst.contractProblems} contract problems` : '',
  ].filter((p) => p !== '');
  return [burst.detail, ...problems].join('; ');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const { report, summary } = await runBench(args);
  summary['benchSeconds'] = Math.round((Date.now() - started) / 100) / 10;
  console.log(report.table());
  console.log(JSON.stringify(summary));
}

if (require.main === module) {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exit(1);
    },
  );
}
