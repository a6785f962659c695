/**
 * The benchmark's plumbing, without timing anything: argument parsing, percentiles, averaging of
 * cost samples, the monthly estimate's arithmetic and the report's last line.
 */
import { estimateMonth, EVENT_MIX, EVENTS_PER_DAY } from '../../bench/estimate';
import { parseArgs } from '../../bench/main';
import { formatNumber, Report } from '../../bench/report';
import { meanCost, type CostFigures, type EventCost } from '../../bench/sandbox-cost';
import { percentiles } from '../../bench/sql-log';

const cost = (over: Partial<EventCost>): EventCost => ({
  samples: 1,
  invocations: 0,
  invocationsByModule: {},
  jiraCalls: 0,
  kvsReads: 0,
  kvsWrites: 0,
  sqlReads: 0,
  sqlWrites: 0,
  queuePushes: 0,
  ms: 0,
  ...over,
});

describe('arguments', () => {
  it('reads --quick, --sql-url and --only', () => {
    expect(parseArgs(['--quick', '--only=engine,sizes', '--sql-url=mysql://root@db:3306/x'])).toEqual({ quick: true, only: ['engine', 'sizes'], sqlUrl: 'mysql://root@db:3306/x' });
  });
  it('names what is wrong', () => {
    expect(() => parseArgs(['--fast'])).toThrow(/unknown argument "--fast"/);
    expect(() => parseArgs(['--only=engine,speed'])).toThrow(/only\.1: expected parts among/);
    expect(() => parseArgs(['--sql-url=postgres://x'])).toThrow(/sqlUrl: expected a URL such as mysql:/);
  });
});

describe('percentiles', () => {
  it('takes the nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(samples)).toEqual({ runs: 100, p50: 50, p95: 95, max: 100 });
    expect(percentiles([7])).toEqual({ runs: 1, p50: 7, p95: 7, max: 7 });
    expect(() => percentiles([])).toThrow(/at least one sample/);
  });
});

describe('cost samples', () => {
  it('averages field by field, weighting by samples, modules included', () => {
    const mean = meanCost([cost({ invocations: 1, jiraCalls: 3, invocationsByModule: { a: 1 } }), cost({ samples: 3, invocations: 1, jiraCalls: 1, invocationsByModule: { b: 1 } })]);
    expect(mean.samples).toBe(4);
    expect(mean.jiraCalls).toBe(1.5);
    expect(mean.invocationsByModule).toEqual({ a: 0.25, b: 0.75 });
  });
});

describe('the monthly estimate', () => {
  const figures: CostFigures = {
    irrelevant: cost({}),
    warmAllowed: cost({ invocations: 1, kvsReads: 1 }),
    warmFlagged: cost({ invocations: 1, kvsReads: 1, jiraCalls: 1, sqlWrites: 1 }),
    warmBlocked: cost({ invocations: 1, kvsReads: 1, jiraCalls: 3, sqlWrites: 2 }),
    newActorWarmContainer: cost({ invocations: 1, kvsReads: 2, jiraCalls: 1 }),
    cold: cost({ invocations: 1, kvsReads: 5, jiraCalls: 4, sqlWrites: 9 }),
    coldContainerAllowed: cost({ invocations: 1, kvsReads: 2, jiraCalls: 1 }),
    coldContainerFlagged: cost({ invocations: 1, kvsReads: 2, jiraCalls: 2, sqlWrites: 1 }),
    logView: cost({ invocations: 2, kvsReads: 1, sqlReads: 4 }),
    acknowledgement: cost({ invocations: 1, sqlReads: 2, sqlWrites: 1 }),
    dailyJob: cost({ invocations: 1, kvsReads: 1, sqlReads: 6, sqlWrites: 3 }),
    weeklyJob: cost({ invocations: 1, kvsReads: 2, sqlReads: 7 }),
    contractProblems: 0,
  };

  it('has a mix that adds up to every event', () => {
    expect(EVENT_MIX.reduce((sum, part) => sum + part.share, 0)).toBeCloseTo(1, 10);
  });

  it('multiplies the measured costs by the mix and a 30-day month', () => {
    const { daily, lines } = estimateMonth(figures);
    // Invoked: 5% + 25% + 4% + 1% of 10,000 = 3,500, plus 10% of them again through the queue, and the
    // log page (20 views of 2 invocations), 5 notes, the daily job and a seventh of the weekly one.
    expect(daily.invocations).toBeCloseTo(3_500 * 1.1 + 20 * 2 + 5 + 1 + 1 / 7, 6);
    // Jira: 5% of each kind on a new container of the installation costs what it measured there:
    // 3,000 allowed x 5% x 1, 400 flagged x (1 + 5% x 1), 100 undone x (3 + 5% x 1). A new
    // installation's first event (cold) happens once, and is left out.
    expect(daily.jiraCalls).toBeCloseTo(3_000 * 0.05 + 400 * 1.05 + 100 * 3.05, 6);
    expect(daily.sqlWrites).toBeCloseTo(400 + 200 + 5 + 3 + 2 * 4, 6);
    // KVS: allowed 3,000 x (1 + 5% x 1), flagged 400 x (1 + 5% x 1), undone 100 x (1 + 5% x 1); the
    // revision stamp read once a minute on 2 containers over 8 hours (960, fewer than the events), whatever
    // the number of projects; each of 20 saves a month read again by 2 containers in 2 projects; the log
    // page, the daily job and a seventh of the weekly one.
    expect(daily.stampChecks).toBeCloseTo(2 * 8 * 60, 6);
    expect(daily.configRereads).toBeCloseTo((20 / 30) * 2 * 2, 6);
    expect(daily.kvsReads).toBeCloseTo(3_500 * 1.05 + 960 + (20 / 30) * 4 + 20 + 1 + 2 / 7, 6);
    // The daily job also seals the running week of both projects: 4 statements each.
    expect(daily.screensAndJobsSql).toBeCloseTo(20 * 4 + 5 * 3 + 9 + 7 / 7 + 2 * 4, 6);
    expect(lines.find((l) => l.measure === 'invocations')!.perMonth).toBeCloseTo((3_500 * 1.1 + 20 * 2 + 5 + 1 + 1 / 7) * 30, 6);
    expect(EVENTS_PER_DAY).toBe(10_000);
  });
});

describe('the report', () => {
  it('prints a table with verdicts and notes', () => {
    const report = new Report();
    report.add('1 engine', 'events per second', 250_000, { text: '>= 200,000', met: true });
    report.add('1 engine', 'baseline', 100_000);
    report.add('4 log', 'page p95', '30 ms', { text: '< 20 ms', met: false });
    report.note('a note');
    const lines = report.table().split('\n');
    expect(lines[0]).toMatch(/^part\s+measure\s+value\s+target$/);
    expect(lines[2]).toMatch(/^1 engine\s+events per second\s+250,000\s+>= 200,000\s+met$/);
    // The section is named once.
    expect(lines[3]).toMatch(/^\s+baseline\s+100,000$/);
    expect(lines[4]).toMatch(/MISSED$/);
    expect(lines[lines.length - 1]).toBe('* a note');
  });

  it('formats numbers with sensible precision', () => {
    expect(formatNumber(1234567)).toBe('1,234,567');
    expect(formatNumber(3.14159)).toBe('3.14');
    expect(formatNumber(31.4159)).toBe('31.4');
    expect(formatNumber(314.159)).toBe('314');
  });
});
