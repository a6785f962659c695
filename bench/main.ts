/**
 * `npm run bench` (full, under ten minutes on 2 cores) and `npm run bench -- --quick` (under one):
 * speed, Jira calls, storage and bundle size in one run, printed as a table and, last, one JSON line.
 *
 *   --quick            fewer events, shorter timing windows, fewer log rows
 *   --sql-url=URL      the MariaDB server for the log measurement (default mysql://root@127.0.0.1:3306/test)
 *   --only=a,b         run only some parts: engine, cost, bursts, sql, sizes (the estimate needs cost)
 */
import { z } from 'zod';
import { measureEngine } from './engine';
import { formatNumber, Report } from './report';
import { measureSizes, UI_BUDGET_KB } from './sizes';

const PARTS = ['engine', 'cost', 'bursts', 'sql', 'sizes'] as const;
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
