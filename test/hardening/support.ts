/**
 * The sandbox for hardening runs: the local Jira and the local Forge host wired as createSandbox does,
 * but on scaled clocks, so a 60 s Retry-After or a 24 s slow answer takes a fraction of that and a
 * stream of thousands of events under faults fits in a test run. The invocation limit (25 s) and the
 * slow answers are scaled by the same factor, so "near the limit" keeps its meaning.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ForgeHost, createSqlEngine, scaledClock, seededRandom, type SqlEngine } from '../../sandbox/forge';
import { mysqlError } from '../../sandbox/forge/sql';
import { JiraSite } from '../../sandbox/jira/site';
import { PEOPLE } from '../../sandbox/jira';
import { REPO_ROOT } from '../../sandbox/sandbox';
import type { ViolationRow } from '../../src/shared/resolver-api';

/** Forge's invocation limit. */
export const FORGE_INVOCATION_LIMIT_MS = 25_000;

export interface ScaledBed {
  readonly site: JiraSite;
  readonly host: ForgeHost;
  readonly sql: SqlEngine;
  readonly scale: number;
  /** Makes the next `count` SQL INSERT statements fail as a database error would (nothing inserted). */
  refuseNextInserts(count: number): void;
  accountOf(name: string): string;
  /** Calls a resolver function as a person on the DEMO project's surface; the envelope it answers. */
  resolver(moduleKey: string, functionKey: string, payload: unknown, as?: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * `scale`: the share of each wait that is really waited (host retries and chaos delays, Jira's slow
 * answers) and of the invocation limit.
 */
export async function scaledBed(options: { scale: number; sqlUrl?: string }): Promise<ScaledBed> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'srg-hardening-'));
  const site = new JiraSite();
  site.faults.timeScale = options.scale;
  const engine = await createSqlEngine(options.sqlUrl, dataDir);
  let insertsToRefuse = 0;
  const sql: SqlEngine = {
    kind: engine.kind,
    execute: async (statement, params) => {
      if (insertsToRefuse > 0 && /^\s*insert\b/i.test(statement)) {
        insertsToRefuse--;
        throw mysqlError('ER_UNKNOWN_ERROR', 'Lost connection to the database during the insert (refused by the test)');
      }
      return engine.execute(statement, params);
    },
    executeDDL: (statement) => engine.executeDDL(statement),
    close: () => engine.close(),
  };
  const host = new ForgeHost({
    appDir: REPO_ROOT,
    dataDir,
    productFetch: (request) => site.handle(request),
    sql,
    clock: scaledClock(options.scale),
    invocationTimeoutMs: Math.round(FORGE_INVOCATION_LIMIT_MS * options.scale),
  });
  site.onEvent((eventType, payload, meta) => {
    host.deliverEvent(eventType, payload, meta);
  });
  const accountOf = (name: string): string => {
    const person = site.findPerson(name);
    if (!person) throw new Error(`no demo person ${name}`);
    return person.accountId;
  };
  const extension = { project: { id: site.project.id, key: site.project.key, type: 'software' } };
  return {
    site,
    host,
    sql,
    scale: options.scale,
    refuseNextInserts(count) {
      insertsToRefuse = count;
    },
    accountOf,
    async resolver(moduleKey, functionKey, payload, as = 'alex') {
      return (await host.invokeResolver(moduleKey, functionKey, payload, { accountId: accountOf(as), extension })) as Record<string, unknown>;
    },
    async close() {
      await host.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The DEMO roles as the settings page saves them. */
export function demoRoles(bed: Pick<ScaledBed, 'site' | 'accountOf'>): Record<string, unknown> {
  const group = (name: string): string => bed.site.groups.find((g) => g.name === name)!.groupId;
  return {
    productOwner: { users: [bed.accountOf('olivia')] },
    scrumMaster: { users: [bed.accountOf('sam')] },
    developers: { users: [], groups: [group('demo-developers')] },
    stakeholders: { users: [], groups: [group('demo-stakeholders')] },
  };
}

/** Saves the DEMO project's rules as its Jira admin would; throws with the answer when refused. */
export async function saveRules(bed: ScaledBed, rules: Record<string, 'off' | 'flag' | 'block'>, roles = demoRoles(bed)): Promise<void> {
  const current = await bed.resolver('srg-settings', 'getProjectSettings', {});
  const document = { version: 1, roles, rules: Object.fromEntries(Object.entries(rules).map(([id, mode]) => [id, { mode }])) };
  const answer = await bed.resolver('srg-settings', 'saveProjectSettings', { document, expectedRevision: (current['revision'] as number | null) ?? null });
  if (answer['ok'] !== true) throw new Error(`saveProjectSettings refused: ${JSON.stringify(answer)}`);
}

/** A log entry as the log page's resolver answers it. */
export type LogRow = ViolationRow;

/** Every row of the violation log, through the log page's own resolver (paged). */
export async function allRows(bed: ScaledBed): Promise<LogRow[]> {
  const rows: LogRow[] = [];
  let cursor: string | null = null;
  for (;;) {
    const answer = await bed.resolver('srg-violation-log', 'listViolations', { sort: { by: 'occurredAt', direction: 'desc' }, limit: 200, cursor, filter: {} });
    if (answer['ok'] !== true) throw new Error(`listViolations refused: ${JSON.stringify(answer)}`);
    rows.push(...(answer['rows'] as LogRow[]));
    cursor = (answer['nextCursor'] as string | null | undefined) ?? null;
    if (cursor === null) return rows;
  }
}

/** A small seeded generator (the host's, mulberry32), so a failing run can be replayed from its seed. */
export const seeded = seededRandom;

export { PEOPLE };
