/**
 * The violation log under load: 1,000,000 rows on MariaDB (fewer on the embedded engine), then the
 * log's own queries timed as the app issues them: the real SqlViolationLog inside a Forge invocation
 * of the local host, through the unmodified @forge/sql client. Each timing is the adapter call end to
 * end (client, wire, engine, row checks); the engine's share per statement is timed too, and every
 * statement kind is EXPLAINed so the report names the index that serves it.
 *
 * Rows are loaded fast, around the adapter: multi-row INSERTs straight into the engine, into a
 * database of its own that is dropped afterwards.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { ForgeHost, createSqlEngine, type SqlEngine, type SqlResult } from '../sandbox/forge';
import type { ViolationFilter, ViolationPageRequest } from '../src/app/ports';
import { SEALED_WEEKS_TABLE, SqlViolationLog, TOTALS_TABLE, VIOLATION_TABLE } from '../src/adapters/sql';
import { CHART_BUCKETS } from '../src/app/screens/violations';
import { RULE_IDS } from '../src/core';

const BENCH_APP = path.join(__dirname, 'forge-app');
const PROJECT = 'DEMO';
const OTHER_PROJECTS = ['ALPHA', 'BETA', 'GAMMA', 'DELTA', 'OMEGA'];
/** Share of the rows in the project the queries look at: most of the log, the worst case for its indexes. */
const MAIN_PROJECT_SHARE = 0.6;
const ACTORS = Array.from({ length: 150 }, (_, i) => `712020:bench-actor-${String(i).padStart(4, '0')}`);
const DAY = 24 * 3600 * 1000;
const END = Date.parse('2026-12-01T00:00:00.000Z');
const SPAN_DAYS = 730;
const SPRINT_DAYS = 14;

export interface Percentiles {
  readonly runs: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

export interface QueryFigures {
  readonly label: string;
  /** The adapter call, end to end. */
  readonly adapter: Percentiles;
  /** The engine's time for the statements of one call (summed), median. */
  readonly engineP50: number;
  /** What EXPLAIN says of each statement the call issues. */
  readonly plans: readonly string[];
}

export interface LogFigures {
  readonly engine: 'mariadb' | 'embedded';
  readonly rows: number;
  readonly projectRows: number;
  readonly loadSeconds: number;
  /** Data and index bytes as the engine reports them (MariaDB only): the log's rows, and its totals with the sealed weeks. */
  readonly tableBytes: { readonly rows: number; readonly totals: number; readonly totalRows: number } | null;
  /** The daily job's sealing of every closed day, as after an upgrade of an installation holding these rows. */
  readonly seal: { readonly seconds: number; readonly weeks: number; readonly runs: number };
  readonly page: QueryFigures;
  readonly nextPage: QueryFigures;
  readonly firstPage: QueryFigures;
  readonly actorSortedPage: QueryFigures;
  readonly counts: QueryFigures;
  readonly chartsScreen: QueryFigures;
  readonly chartsScreenWeeks: QueryFigures;
}

// ---------------------------------------------------------------------------------------------
// Rows

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    // mulberry32: small, fast, good enough to spread rows.
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Rules are not equally common: rank and estimate changes dominate a real log. */
const RULE_WEIGHTS = RULE_IDS.map((_, i) => 1 / (i + 1));
const RULE_TOTAL = RULE_WEIGHTS.reduce((a, b) => a + b, 0);

function pickRule(r: number): string {
  let acc = 0;
  for (let i = 0; i < RULE_IDS.length; i++) {
    acc += RULE_WEIGHTS[i]! / RULE_TOTAL;
    if (r < acc) return RULE_IDS[i]!;
  }
  return RULE_IDS[RULE_IDS.length - 1]!;
}

const COLUMNS = [
  'id', 'project_key', 'occurred_at', 'issue_key', 'issue_id', 'actor', 'actor_roles', 'rule_id', 'enforcement_mode', 'outcome',
  'from_value', 'to_value', 'from_string', 'to_string', 'sprint_id', 'status', 'ack_note', 'ack_by', 'ack_at',
] as const;

/** One row as the adapter writes it (same columns, same encodings). */
function row(n: number, random: () => number): (string | number | null)[] {
  const project = random() < MAIN_PROJECT_SHARE ? PROJECT : OTHER_PROJECTS[Math.floor(random() * OTHER_PROJECTS.length)]!;
  const occurredAt = END - Math.floor(random() * SPAN_DAYS * DAY);
  const rule = pickRule(random());
  const mode = random() < 0.7 ? 'flag' : 'block';
  const issue = 1 + Math.floor(random() * 20_000);
  // Older entries have mostly been talked through and closed; the last weeks are mostly open.
  const ageDays = (END - occurredAt) / DAY;
  const open = random() < (ageDays < 28 ? 0.8 : 0.1);
  const actor = ACTORS[Math.floor(random() ** 2 * ACTORS.length)]!;
  const sprint = rule.startsWith('sprint') || random() < 0.6 ? String(100 + Math.floor((SPAN_DAYS - ageDays) / SPRINT_DAYS)) : null;
  return [
    `${20_000_000 + n}:${rule}`,
    project,
    occurredAt,
    `${project}-${issue}`,
    String(100_000 + issue),
    actor,
    1 << Math.floor(random() * 4),
    rule,
    mode,
    mode === 'block' ? 'reverted' : 'flagged',
    String(Math.floor(random() * 100)),
    String(Math.floor(random() * 100)),
    'Ranked higher',
    'Ranked lower',
    sprint,
    open ? 'open' : 'acknowledged',
    open ? null : 'Talked it through in the retrospective',
    open ? null : ACTORS[1]!,
    open ? null : occurredAt + 3 * DAY,
  ];
}

/** Multi-row INSERTs straight into the engine, `batch` rows per statement, two statements in flight. */
async function loadRows(engine: SqlEngine, count: number, batch: number): Promise<number> {
  const random = seeded(2026);
  const rowPlaceholder = `(${COLUMNS.map(() => '?').join(', ')})`;
  let projectRows = 0;
  let inFlight: Promise<SqlResult>[] = [];
  for (let start = 0; start < count; start += batch) {
    const size = Math.min(batch, count - start);
    const params: (string | number | null)[] = [];
    for (let i = 0; i < size; i++) {
      const values = row(start + i, random);
      if (values[1] === PROJECT) projectRows++;
      params.push(...values);
    }
    inFlight.push(engine.execute(`INSERT INTO ${VIOLATION_TABLE} (${COLUMNS.join(', ')}) VALUES ${Array.from({ length: size }, () => rowPlaceholder).join(', ')}`, params));
    if (inFlight.length >= 2) {
      await Promise.all(inFlight);
      inFlight = [];
    }
  }
  await Promise.all(inFlight);
  return projectRows;
}

/** The table's secondary indexes as MariaDB reports them, columns in order. */
async function secondaryIndexes(engine: SqlEngine): Promise<{ name: string; columns: string[] }[]> {
  const result = await engine.execute(`SHOW INDEX FROM ${VIOLATION_TABLE}`, []);
  const rows = Array.isArray(result.rows) ? result.rows : [];
  const byName = new Map<string, { seq: number; column: string }[]>();
  for (const r of rows) {
    const name = String(r['Key_name']);
    if (name === 'PRIMARY') continue;
    const list = byName.get(name) ?? [];
    list.push({ seq: Number(r['Seq_in_index']), column: String(r['Column_name']) });
    byName.set(name, list);
  }
  return [...byName].map(([name, list]) => ({ name, columns: list.sort((a, b) => a.seq - b.seq).map((c) => c.column) }));
}

// ---------------------------------------------------------------------------------------------
// Timing

interface Statement {
  readonly sql: string;
  readonly params: readonly (string | number | boolean | null)[];
  readonly ms: number;
}

/** The engine as the host uses it, with every statement's text, parameters and time kept. */
function timedEngine(engine: SqlEngine, log: Statement[]): SqlEngine {
  return {
    kind: engine.kind,
    async execute(sql, params) {
      const started = process.hrtime.bigint();
      const result = await engine.execute(sql, params);
      log.push({ sql, params, ms: Number(process.hrtime.bigint() - started) / 1e6 });
      return result;
    },
    executeDDL: (sql) => engine.executeDDL(sql),
    close: () => engine.close(),
  };
}

export function percentiles(samples: readonly number[]): Percentiles {
  if (samples.length === 0) throw new Error('percentiles: expected at least one sample');
  const sorted = [...samples].sort((a, b) => a - b);
  // Nearest rank: the smallest sample at or above the share.
  const at = (share: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))]!;
  return { runs: sorted.length, p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1]! };
}

function median(values: readonly number[]): number {
  return percentiles(values).p50;
}

/** EXPLAIN of one statement on the engine, boiled down to the index used, rows examined and extras. */
async function explain(engine: SqlEngine, statement: Statement): Promise<string> {
  const kind = /^\s*SELECT\s+COUNT/i.test(statement.sql) ? 'count' : /GROUP BY/i.test(statement.sql) ? 'group' : 'rows';
  const result = await engine.execute(`EXPLAIN ${statement.sql}`, statement.params);
  const rows = Array.isArray(result.rows) ? result.rows : [];
  if (engine.kind === 'mariadb') {
    const plan = rows.map((r) => `key=${String(r['key'] ?? 'none')} rows~${String(r['rows'] ?? '?')}${r['Extra'] ? ` (${String(r['Extra'])})` : ''}`).join('; ');
    return `${kind}: ${plan}`;
  }
  // The embedded engine answers with SQLite's EXPLAIN (bytecode); its query plan names the index.
  const translated = await engine.execute(`EXPLAIN QUERY PLAN ${statement.sql}`, statement.params).catch(() => undefined);
  const details = translated && Array.isArray(translated.rows) ? translated.rows.map((r) => String(r['detail'] ?? '')).filter((d) => d !== '') : [];
  return `${kind}: ${details.length > 0 ? details.join('; ') : 'plan not available'}`;
}

type Bed = { host: ForgeHost; engine: SqlEngine; statements: Statement[]; run<T>(fn: () => Promise<T>): Promise<T> };

/**
 * Times `call` `runs` times (after one warm-up), each inside one Forge invocation; `vary` gives each
 * run its own arguments so the database cannot answer from one cached plan of one value.
 */
async function timeQuery<A>(bed: Bed, label: string, runs: number, vary: (i: number) => A, call: (args: A) => Promise<unknown>, budgetMs: number): Promise<QueryFigures> {
  await bed.run(() => call(vary(0)));
  const adapter: number[] = [];
  const engineTimes: number[] = [];
  let sample: Statement[] = [];
  const started = Date.now();
  // A slow query gets fewer runs (at least 3) so the whole benchmark stays inside its time limit.
  for (let i = 0; i < runs && (i < 3 || Date.now() - started < budgetMs); i++) {
    const args = vary(i + 1);
    bed.statements.length = 0;
    const ms = await bed.run(async () => {
      const started = process.hrtime.bigint();
      await call(args);
      return Number(process.hrtime.bigint() - started) / 1e6;
    });
    adapter.push(ms);
    engineTimes.push(bed.statements.reduce((sum, s) => sum + s.ms, 0));
    if (i === 0) sample = [...bed.statements];
  }
  // One plan per distinct statement text (the charts screen repeats the same two).
  const distinct = [...new Map(sample.map((s) => [s.sql.replace(/\s+/g, ' '), s])).values()];
  const plans = await Promise.all(distinct.map((s) => explain(bed.engine, s)));
  return { label, adapter: percentiles(adapter), engineP50: median(engineTimes), plans };
}

// ---------------------------------------------------------------------------------------------
// The run

function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function mariaDbReachable(url: string): Promise<boolean> {
  try {
    const connection = await createConnection({ uri: url, connectTimeout: 2000 });
    await connection.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * Loads `rows` rows into a fresh database on `engineKind` and times the log's queries `runs` times
 * each. MariaDB gets a database of its own (`sqlUrl` names the server), dropped at the end.
 */
export async function measureLog(engineKind: 'mariadb' | 'embedded', rows: number, runs: number, sqlUrl: string, budgetMs = 30_000): Promise<LogFigures> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'srg-bench-sql-'));
  const database = `srg_bench_${process.pid}_${Date.now() % 1_000_000}`;
  let dropDatabase = async (): Promise<void> => undefined;
  try {
    let raw: SqlEngine;
    if (engineKind === 'mariadb') {
      raw = await createSqlEngine(databaseUrl(sqlUrl, database), undefined);
      dropDatabase = async () => {
        const admin = await createConnection({ uri: sqlUrl });
        try {
          await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
        } finally {
          await admin.end();
        }
      };
    } else {
      // In memory: the file the sandbox keeps would only add the time to write it.
      raw = await createSqlEngine(undefined, undefined);
    }
    const statements: Statement[] = [];
    const engine = timedEngine(raw, statements);
    const host = new ForgeHost({
      appDir: BENCH_APP,
      dataDir,
      productFetch: async () => ({ status: 404, headers: {}, body: '{"errorMessages":["the log benchmark reaches no product"]}' }),
      sql: engine,
      installationId: randomUUID(),
      invocationTimeoutMs: 600_000,
    });
    const bed: Bed = {
      host,
      engine: raw,
      statements,
      run<T>(fn: () => Promise<T>): Promise<T> {
        return host.runInInvocation(fn);
      },
    };
    try {
      const log = new SqlViolationLog();
      // The app's own migration creates the table and its indexes.
      await bed.run(() => log.get('bench:none'));
      const loadStarted = Date.now();
      // A bulk load builds secondary indexes once, sorted, after the rows are in: the same indexes the
      // migration declared (read back from the table), only much faster than row by row.
      const secondary = engineKind === 'mariadb' ? await secondaryIndexes(raw) : [];
      if (secondary.length > 0) await raw.executeDDL(`ALTER TABLE ${VIOLATION_TABLE} ${secondary.map((k) => `DROP KEY ${k.name}`).join(', ')}`);
      const projectRows = await loadRows(raw, rows, engineKind === 'mariadb' ? 1000 : 500);
      if (secondary.length > 0) await raw.executeDDL(`ALTER TABLE ${VIOLATION_TABLE} ${secondary.map((k) => `ADD KEY ${k.name} (${k.columns.join(', ')})`).join(', ')}`);
      if (engineKind === 'mariadb') await raw.execute(`ANALYZE TABLE ${VIOLATION_TABLE}`, []);
      else await raw.execute('ANALYZE', []).catch(() => undefined);
      const loadSeconds = (Date.now() - loadStarted) / 1000;
      // What the daily job does for an installation upgraded with these rows: seal every closed day,
      // run after run (each run has a time budget), until none is left.
      const sealStarted = Date.now();
      let sealedWeeks = 0;
      let sealRuns = 0;
      for (;;) {
        const result = await bed.run(() => log.sealClosedWeeks(new Date(END)));
        sealedWeeks += result.sealed;
        sealRuns++;
        if (!result.unfinished) break;
      }
      const seal = { seconds: (Date.now() - sealStarted) / 1000, weeks: sealedWeeks, runs: sealRuns };
      if (engineKind === 'mariadb') await raw.execute(`ANALYZE TABLE ${TOTALS_TABLE}, ${SEALED_WEEKS_TABLE}`, []);
      else await raw.execute('ANALYZE', []).catch(() => undefined);
      let tableBytes: LogFigures['tableBytes'] = null;
      if (engineKind === 'mariadb') {
        const size = await raw.execute(
          'SELECT table_name AS name, data_length + index_length AS bytes, table_rows AS n FROM information_schema.TABLES WHERE table_schema = DATABASE() AND table_name IN (?, ?, ?)',
          [VIOLATION_TABLE, TOTALS_TABLE, SEALED_WEEKS_TABLE],
        );
        const tables = (Array.isArray(size.rows) ? size.rows : []).map((r) => ({ name: String(r['name']), bytes: Number(r['bytes']), n: Number(r['n']) }));
        const log = tables.find((t) => t.name === VIOLATION_TABLE);
        const totals = tables.filter((t) => t.name !== VIOLATION_TABLE);
        const totalsTable = tables.find((t) => t.name === TOTALS_TABLE);
        tableBytes = log === undefined ? null : { rows: log.bytes, totals: totals.reduce((sum, t) => sum + t.bytes, 0), totalRows: totalsTable?.n ?? 0 };
      }

      const desc = { by: 'occurredAt', direction: 'desc' } as const;
      const rulePairs = (i: number): ViolationFilter['rules'] => [RULE_IDS[i % RULE_IDS.length]!, RULE_IDS[(i + 3) % RULE_IDS.length]!];
      const filtered = (i: number): ViolationPageRequest => ({ filter: { projectKey: PROJECT, rules: rulePairs(i), statuses: ['open'] }, sort: desc, limit: 50, cursor: null });

      const page = await timeQuery(bed, 'filtered page: 2 rules, open, newest first, 50 rows', runs, filtered, (request) => log.page(request), budgetMs);
      // Cursors for the second pages, made by the adapter itself.
      const cursors = await bed.run(async () => Promise.all(Array.from({ length: runs + 1 }, async (_, i) => (await log.page(filtered(i))).nextCursor)));
      const nextPage = await timeQuery(bed, 'its next page (keyset cursor)', runs, (i) => ({ ...filtered(i), cursor: cursors[i] ?? null }), (request) => log.page(request), budgetMs);
      const firstPage = await timeQuery(bed, 'unfiltered first page, newest first, 50 rows', runs, () => ({ filter: { projectKey: PROJECT }, sort: desc, limit: 50, cursor: null }), (request: ViolationPageRequest) => log.page(request), budgetMs);
      const actorSortedPage = await timeQuery(
        bed,
        'last 30 days, sorted by actor, 50 rows',
        runs,
        (i) => ({
          filter: { projectKey: PROJECT, from: new Date(END - (30 + (i % 7)) * DAY).toISOString(), to: new Date(END).toISOString() },
          sort: { by: 'actor', direction: i % 2 === 0 ? 'asc' : 'desc' },
          limit: 50,
          cursor: null,
        }) satisfies ViolationPageRequest,
        (request) => log.page(request),
        budgetMs,
      );
      const counts = await timeQuery(
        bed,
        'counts per rule per sprint (countsByRuleAndSprint), whole project',
        runs,
        (i) => ({ projectKey: PROJECT, ...(i % 2 === 0 ? {} : { statuses: ['open', 'acknowledged'] }) }) satisfies ViolationFilter,
        (filter) => log.countsByRuleAndSprint(filter),
        budgetMs,
      );
      // The charts screen's data (src/app/screens/violations.ts, violationCharts): counts per rule and
      // roles, per sprint or per week, for the whole project.
      const chartsScreen = await timeQuery(bed, 'charts screen data, by sprint: counts per sprint, rule and roles', runs, () => ({ projectKey: PROJECT }) satisfies ViolationFilter, (filter) => log.counts(filter, ['sprint', 'roles']), budgetMs);
      const chartsScreenWeeks = await timeQuery(
        bed,
        `charts screen data, by week: counts per week, rule and roles (the latest ${CHART_BUCKETS} weeks)`,
        runs,
        () => ({ projectKey: PROJECT }) satisfies ViolationFilter,
        (filter) => log.counts(filter, ['week', 'roles'], { latestWeeks: CHART_BUCKETS }),
        budgetMs,
      );
      return { engine: engineKind, rows, projectRows, loadSeconds, seal, tableBytes, page, nextPage, firstPage, actorSortedPage, counts, chartsScreen, chartsScreenWeeks };
    } finally {
      await host.close();
    }
  } finally {
    await dropDatabase().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
