/**
 * A month of a site with 10,000 Jira events a day, from the measured per-event figures and a stated
 * mix, set against Forge's published limits and free allowances. Every line shows its arithmetic.
 *
 * Sources (checked when this was written):
 * - Invocation limits: developer.atlassian.com/platform/forge/limits-invocation (5,000 invocations per
 *   minute per installation, 1,200 per user, 30,000 per app; 25 s per function, 900 s for consumers).
 * - KVS and Custom Entity Store limits: .../forge/limits-kvs-ce (1,000 requests per second per
 *   installation; 4,000 reads and 4,000 writes of 10 KB units per minute).
 * - Forge SQL limits: .../forge/limits-sql (150 DML requests per second per installation; 1 GiB stored
 *   in production; 62.5 s of query time per minute).
 * - Pricing: .../forge/forge-platform-pricing (free each month: 100,000 GB-seconds of functions,
 *   0.1 GB of KVS reads, 0.1 GB of KVS writes, 100,000 SQL requests, 1 hour of SQL compute, 1 GB of
 *   SQL data), and .../forge/monitor-usage-metrics (functions are metered at 0.5 GB of memory).
 */
import { CONFIG_FRESH_SECONDS } from '../src/app/project-config';
import type { CostFigures, EventCost } from './sandbox-cost';

export const EVENTS_PER_DAY = 10_000;
/** Statements of one sealing run (src/adapters/sql/totals.ts, sealRun): two deletes and two inserts. */
const SEAL_RUN_REQUESTS = 4;
const DAYS_PER_MONTH = 30;

export const FORGE_LIMITS = {
  invocationsPerMinutePerInstall: 5_000,
  kvsRequestsPerSecond: 1_000,
  kvsReadUnitsPerMinute: 4_000,
  kvsWriteUnitsPerMinute: 4_000,
  sqlDmlPerSecond: 150,
  sqlStoredBytes: 1024 ** 3,
  freeGbSeconds: 100_000,
  freeKvsReadGb: 0.1,
  freeKvsWriteGb: 0.1,
  freeSqlRequests: 100_000,
  functionMemoryGb: 0.5,
} as const;

/** The mix of a day's events: shares add up to 1. */
export const EVENT_MIX = [
  { kind: 'filtered', share: 0.65, what: 'updates no rule watches (summary, description, labels, comments): the trigger filter drops them' },
  { kind: 'unwatchedCustom', share: 0.05, what: 'custom fields no rule watches: pass the filter, judged irrelevant (costed as an allowed event)' },
  { kind: 'allowed', share: 0.25, what: 'relevant changes by someone allowed to make them' },
  { kind: 'flagged', share: 0.04, what: 'violations in flag mode' },
  { kind: 'undone', share: 0.01, what: 'violations in block mode, undone' },
] as const;

/** Assumptions the sandbox cannot measure, stated so the arithmetic can be redone with other ones. */
export const ASSUMPTIONS = {
  /** Share of invocations that land on a new container of the installation (empty in-memory caches). */
  coldShare: 0.05,
  /** Share of relevant events that arrive in bursts and go through the queue (one more invocation and a push each). */
  queuedShare: 0.1,
  /** Forge function time: a base plus network round trips, as the sandbox runs in-process. */
  baseMs: 100,
  msPerJiraCall: 150,
  msPerStorageOp: 25,
  /** Bytes read per KVS read (the config document dominates), bytes written per KVS write. */
  kvsReadBytes: 4_000,
  kvsWriteBytes: 1_000,
  /** The revision stamp is a few bytes. */
  stampReadBytes: 100,
  /** Config saves a month (settings pages, discovered fields, personal data erasure): each makes every warm container read every project's config again once. */
  configSavesPerMonth: 20,
  /** Times a day someone opens the violation log (first page and charts), and notes on entries a day. */
  logViewsPerDay: 20,
  acknowledgementsPerDay: 5,
  /** Events are not spread evenly: the busiest minute carries this many times the average minute of an 8-hour day. */
  peakFactor: 20,
  /** Events arrive over this many hours a day, on this many warm containers at once, in this many projects. */
  activeHoursPerDay: 8,
  warmContainers: 2,
  projects: 2,
} as const;

export interface EstimateLine {
  readonly measure: string;
  readonly perMonth: number;
  readonly arithmetic: string;
  readonly limit: string;
  readonly withinFree: boolean | null;
}

function ops(cost: EventCost) {
  return cost.jiraCalls + cost.kvsReads + cost.kvsWrites + cost.sqlReads + cost.sqlWrites;
}

/** `a + factor x (b - a)` field by field: a warm cost with a share of cold ones mixed in. */
function mixed(warm: EventCost, cold: EventCost, coldShare: number): EventCost {
  const mix = (w: number, c: number) => w + coldShare * (c - w);
  return {
    ...warm,
    invocations: warm.invocations,
    jiraCalls: mix(warm.jiraCalls, cold.jiraCalls),
    kvsReads: mix(warm.kvsReads, cold.kvsReads),
    kvsWrites: mix(warm.kvsWrites, cold.kvsWrites),
    sqlReads: mix(warm.sqlReads, cold.sqlReads),
    sqlWrites: mix(warm.sqlWrites, cold.sqlWrites),
  };
}

/**
 * A month of running costs. Each kind of event costs what it measured warm, except the share that lands
 * on a new container of the installation, which costs what such an event measured there (its caches
 * and the migration check start empty). A new installation's first event happens once per
 * installation and is left out. A warm container reads the site's config revision stamp once its last
 * read is older than CONFIG_FRESH_SECONDS (at most once per such window, while events arrive, whatever
 * the number of projects), and a project's config again only after a save. The log page, notes on
 * entries and the scheduled jobs cost what they measured, at the stated rates.
 */
export function estimateMonth(costs: CostFigures): { lines: EstimateLine[]; daily: Record<string, number> } {
  const a = ASSUMPTIONS;
  const undoneCold: EventCost = {
    ...costs.warmBlocked,
    jiraCalls: costs.warmBlocked.jiraCalls + costs.coldContainerFlagged.jiraCalls - costs.warmFlagged.jiraCalls,
    kvsReads: costs.warmBlocked.kvsReads + costs.coldContainerFlagged.kvsReads - costs.warmFlagged.kvsReads,
    kvsWrites: costs.warmBlocked.kvsWrites + costs.coldContainerFlagged.kvsWrites - costs.warmFlagged.kvsWrites,
    sqlReads: costs.warmBlocked.sqlReads + costs.coldContainerFlagged.sqlReads - costs.warmFlagged.sqlReads,
    sqlWrites: costs.warmBlocked.sqlWrites + costs.coldContainerFlagged.sqlWrites - costs.warmFlagged.sqlWrites,
  };
  const perKind: Record<(typeof EVENT_MIX)[number]['kind'], EventCost> = {
    filtered: costs.irrelevant,
    unwatchedCustom: mixed(costs.warmAllowed, costs.coldContainerAllowed, a.coldShare),
    allowed: mixed(costs.warmAllowed, costs.coldContainerAllowed, a.coldShare),
    flagged: mixed(costs.warmFlagged, costs.coldContainerFlagged, a.coldShare),
    undone: mixed(costs.warmBlocked, undoneCold, a.coldShare),
  };
  const daily = { invocations: 0, jiraCalls: 0, kvsReads: 0, kvsWrites: 0, sqlStatements: 0, sqlWrites: 0, gbSeconds: 0, stampChecks: 0, configRereads: 0, screensAndJobsSql: 0 };
  const add = (count: number, cost: EventCost) => {
    daily.invocations += count * cost.invocations;
    daily.jiraCalls += count * cost.jiraCalls;
    daily.kvsReads += count * cost.kvsReads;
    daily.kvsWrites += count * cost.kvsWrites;
    daily.sqlStatements += count * (cost.sqlReads + cost.sqlWrites);
    daily.sqlWrites += count * cost.sqlWrites;
    const storage = ops(cost) - cost.jiraCalls;
    daily.gbSeconds += count * cost.invocations * ((a.baseMs + (cost.invocations > 0 ? (cost.jiraCalls * a.msPerJiraCall + storage * a.msPerStorageOp) / cost.invocations : 0)) / 1000) * FORGE_LIMITS.functionMemoryGb;
  };
  for (const part of EVENT_MIX) add(EVENTS_PER_DAY * part.share, perKind[part.kind]);
  const invoked = daily.invocations;
  // Warm events find the configs they last read; the stamp is read once its last read is older than
  // CONFIG_FRESH_SECONDS, and each project's config again after a save.
  const windows = a.warmContainers * ((a.activeHoursPerDay * 3600) / CONFIG_FRESH_SECONDS);
  daily.stampChecks = Math.min(invoked * (1 - a.coldShare), windows);
  daily.configRereads = (a.configSavesPerMonth / DAYS_PER_MONTH) * a.warmContainers * a.projects;
  daily.kvsReads += daily.stampChecks + daily.configRereads;
  daily.gbSeconds += (((daily.stampChecks + daily.configRereads) * a.msPerStorageOp) / 1000) * FORGE_LIMITS.functionMemoryGb;
  // People on the log page, and the scheduled jobs.
  const sqlBefore = daily.sqlStatements;
  add(a.logViewsPerDay, costs.logView);
  add(a.acknowledgementsPerDay, costs.acknowledgement);
  add(1, costs.dailyJob);
  add(1 / 7, costs.weeklyJob);
  // The daily job measured where nothing is old enough to seal; each day it seals the running week of
  // each project a day further: one run of SEAL_RUN_REQUESTS statements.
  daily.sqlStatements += a.projects * SEAL_RUN_REQUESTS;
  daily.sqlWrites += a.projects * SEAL_RUN_REQUESTS;
  daily.screensAndJobsSql = daily.sqlStatements - sqlBefore;
  // Bursts: the trigger only pushes to the queue, the consumer judges: one more (short) invocation each.
  const queued = invoked * a.queuedShare;
  daily.invocations += queued;
  daily.gbSeconds += queued * (a.baseMs / 1000) * FORGE_LIMITS.functionMemoryGb;

  const month = (v: number) => v * DAYS_PER_MONTH;
  const invokedShare = EVENT_MIX.filter((p) => p.kind !== 'filtered').reduce((s, p) => s + p.share, 0);
  const peakPerMinute = (EVENTS_PER_DAY / (8 * 60)) * a.peakFactor;
  const kvsReadGb = (month(daily.kvsReads - daily.stampChecks) * a.kvsReadBytes + month(daily.stampChecks) * a.stampReadBytes) / 1e9;
  const kvsWriteGb = (month(daily.kvsWrites) * a.kvsWriteBytes) / 1e9;
  const lines: EstimateLine[] = [
    {
      measure: 'invocations',
      perMonth: month(daily.invocations),
      arithmetic: `10,000/day x ${(invokedShare * 100).toFixed(0)}% invoked x (1 + ${a.queuedShare} queued), plus the log page and the scheduled jobs, x 30`,
      limit: `peak ~${Math.round(peakPerMinute * invokedShare * (1 + a.queuedShare))}/min vs ${FORGE_LIMITS.invocationsPerMinutePerInstall.toLocaleString('en-GB')}/min per installation`,
      withinFree: peakPerMinute * invokedShare * (1 + a.queuedShare) < FORGE_LIMITS.invocationsPerMinutePerInstall,
    },
    {
      measure: 'function GB-seconds',
      perMonth: month(daily.gbSeconds),
      arithmetic: `per invocation (${a.baseMs} ms + ${a.msPerJiraCall} ms/Jira call + ${a.msPerStorageOp} ms/storage op) x 0.5 GB, x 30`,
      limit: `${FORGE_LIMITS.freeGbSeconds.toLocaleString('en-GB')} GB-s free a month (whole app)`,
      withinFree: month(daily.gbSeconds) <= FORGE_LIMITS.freeGbSeconds,
    },
    {
      measure: 'Jira calls (as the app)',
      perMonth: month(daily.jiraCalls),
      arithmetic: 'sum over the mix of measured calls per event, plus cold-start extras, x 30',
      limit: "Jira's points-based app rate limits (hourly quota, per-issue write limit): peak well inside",
      withinFree: null,
    },
    {
      measure: 'KVS reads',
      perMonth: month(daily.kvsReads),
      arithmetic:
        `incl. ${Math.round(month(daily.stampChecks)).toLocaleString('en-GB')} revision stamp checks (${a.warmContainers} warm containers x one per ${CONFIG_FRESH_SECONDS} s of ${a.activeHoursPerDay} h) and ` +
        `${Math.round(month(daily.configRereads)).toLocaleString('en-GB')} config re-reads (${a.configSavesPerMonth} saves x ${a.warmContainers} containers x ${a.projects} projects); stamps ${a.stampReadBytes} B, others ${a.kvsReadBytes} B = ${kvsReadGb.toFixed(3)} GB`,
      limit: `${FORGE_LIMITS.freeKvsReadGb} GB free a month; ${FORGE_LIMITS.kvsReadUnitsPerMinute.toLocaleString('en-GB')} reads/min per installation`,
      withinFree: kvsReadGb <= FORGE_LIMITS.freeKvsReadGb,
    },
    {
      measure: 'KVS writes',
      perMonth: month(daily.kvsWrites),
      arithmetic: `x ${a.kvsWriteBytes} B each = ${kvsWriteGb.toFixed(4)} GB`,
      limit: `${FORGE_LIMITS.freeKvsWriteGb} GB free a month; ${FORGE_LIMITS.kvsWriteUnitsPerMinute.toLocaleString('en-GB')} writes/min per installation`,
      withinFree: kvsWriteGb <= FORGE_LIMITS.freeKvsWriteGb,
    },
    {
      measure: 'SQL requests',
      perMonth: month(daily.sqlStatements),
      arithmetic:
        `incl. ${Math.round(month(daily.sqlWrites)).toLocaleString('en-GB')} writes (one row per violation, plus undo outcomes) and ` +
        `${Math.round(month(daily.screensAndJobsSql)).toLocaleString('en-GB')} for ${a.logViewsPerDay} log views and ${a.acknowledgementsPerDay} notes a day and the scheduled jobs (sealing ${a.projects} projects' running week daily)`,
      limit: `${FORGE_LIMITS.freeSqlRequests.toLocaleString('en-GB')} requests free a month (whole app); ${FORGE_LIMITS.sqlDmlPerSecond} DML/s per installation`,
      withinFree: month(daily.sqlStatements) <= FORGE_LIMITS.freeSqlRequests,
    },
  ];
  return { lines, daily };
}
