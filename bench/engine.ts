/**
 * Engine throughput: raw Forge payload objects to verdicts on one core, over a realistic mixed
 * stream, next to a naive baseline (full schema validation of every payload, roles resolved per
 * event with no cache) so the ratio shows what the design buys.
 */
import { z } from 'zod';
import {
  evaluate,
  normaliseEvent,
  parseConfigOrThrow,
  resolveRoles,
  type ActorRoles,
  type EffectiveConfig,
  type Membership,
} from '../src/core';

const FIELDS = { rank: 'customfield_10019', estimate: 'customfield_10016', sprint: 'customfield_10020' };
const ACTORS = Array.from({ length: 12 }, (_, i) => `712020:bench-${String(i).padStart(4, '0')}`);

export function benchConfig(): EffectiveConfig {
  return parseConfigOrThrow({
    version: 1,
    roles: {
      productOwner: { users: [ACTORS[0]!] },
      scrumMaster: { users: [ACTORS[1]!] },
      developers: { users: ACTORS.slice(2, 8), groups: ['g-devs'], projectRoles: ['10001'] },
      stakeholders: { users: ACTORS.slice(8, 10) },
    },
    fields: FIELDS,
    rules: { 'backlog-rank': { mode: 'block' } },
  });
}

/** Group and project role membership, as the directory lookup would return it. */
function membership(accountId: string): Membership {
  const index = ACTORS.indexOf(accountId);
  return { accountId, groupIds: index % 3 === 0 ? ['g-devs', 'g-other'] : ['g-other'], projectRoleIds: index % 4 === 0 ? ['10001'] : ['10000'] };
}

function issue(n: number, inSprint: boolean): Record<string, unknown> {
  return {
    id: String(10000 + n),
    key: `DEMO-${n}`,
    fields: {
      summary: `Work item ${n} with a realistic summary line`,
      issuetype: { id: '10001', name: 'Story', subtask: false, hierarchyLevel: 0 },
      project: { id: '10000', key: 'DEMO', name: 'Demo', projectTypeKey: 'software' },
      status: { id: '10000', name: 'To Do', statusCategory: { id: 2, key: 'new' } },
      assignee: { accountId: ACTORS[n % ACTORS.length] },
      reporter: { accountId: ACTORS[0] },
      creator: { accountId: ACTORS[0] },
      created: '2026-11-02T10:00:00.000+0100',
      updated: '2026-11-20T10:00:00.000+0100',
      [FIELDS.sprint]: inSprint ? [{ id: 5, state: 'active', name: 'Sprint 5', boardId: 1 }] : [],
    },
  };
}

const item = (field: string, fieldId: string, from: string | null, to: string | null, fromString: string | null, toString: string | null) => ({
  field,
  fieldtype: fieldId.startsWith('customfield') ? 'custom' : 'jira',
  fieldId,
  from,
  fromString,
  to,
  toString,
});

/**
 * A day on a busy site: most updates touch fields no rule watches (summary, description, labels,
 * comments' side effects), some rank or move work, a few create items or touch sprints.
 */
export function mixedStream(size: number, seed = 7): Record<string, unknown>[] {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  const events: Record<string, unknown>[] = [];
  for (let n = 0; n < size; n++) {
    const actor = ACTORS[Math.floor(random() * ACTORS.length)]!;
    const roll = random();
    const inSprint = random() < 0.4;
    const base = { atlassianId: actor, issue: issue(n % 400, inSprint) };
    if (roll < 0.7) {
      const irrelevant = [
        item('summary', 'summary', null, null, 'Old summary', 'New summary'),
        item('description', 'description', null, null, 'old text', 'new text'),
        item('labels', 'labels', null, null, '', 'backend'),
        item('Flagged', 'customfield_10021', null, '10019', null, 'Impediment'),
      ];
      events.push({ eventType: 'avi:jira:updated:issue', ...base, changelog: { id: String(20000 + n), items: [irrelevant[n % irrelevant.length]!] } });
    } else if (roll < 0.8) {
      events.push({ eventType: 'avi:jira:updated:issue', ...base, changelog: { id: String(20000 + n), items: [item('Rank', FIELDS.rank, '', '', '', random() < 0.5 ? 'Ranked higher' : 'Ranked lower')] } });
    } else if (roll < 0.9) {
      events.push({ eventType: 'avi:jira:updated:issue', ...base, changelog: { id: String(20000 + n), items: [item('status', 'status', '10000', '3', 'To Do', 'In Progress'), item('resolution', 'resolution', null, null, null, null)] } });
    } else if (roll < 0.96) {
      const items = [item('priority', 'priority', '3', '2', 'Medium', 'High'), item('Story point estimate', FIELDS.estimate, '3', '5', '3', '5'), item('assignee', 'assignee', ACTORS[2]!, ACTORS[3]!, 'A', 'B')];
      events.push({ eventType: 'avi:jira:updated:issue', ...base, changelog: { id: String(20000 + n), items: [items[n % items.length]!] } });
    } else if (roll < 0.99) {
      events.push({ eventType: 'avi:jira:created:issue', ...base });
    } else {
      events.push({ eventType: 'avi:jira-software:started:sprint', atlassianId: actor, sprint: { id: 5, state: 'active', name: 'Sprint 5', goal: n % 2 ? '' : 'Ship it', startDate: '2026-11-09T09:00:00.000+0100', endDate: '2026-11-20T17:00:00.000+0100', originBoardId: 1 } });
    }
  }
  return events;
}

/** The design: cheap pre-scan, small schemas, roles cached per actor (as the app caches them per config revision). */
export function judgeFast(events: readonly unknown[], config: EffectiveConfig): number {
  const roleCache = new Map<string, ActorRoles>();
  let verdicts = 0;
  for (const raw of events) {
    const result = normaliseEvent(raw, config.config.fields);
    if (result.kind !== 'event' || result.event.actor === null) continue;
    let roles = roleCache.get(result.event.actor);
    if (roles === undefined) {
      roles = resolveRoles(config.config, membership(result.event.actor));
      roleCache.set(result.event.actor, roles);
    }
    verdicts += evaluate(result.event, roles, config).length;
  }
  return verdicts;
}

const user = z.object({ accountId: z.string() }).passthrough();
const fullPayloadSchema = z.object({
  eventType: z.string(),
  atlassianId: z.string().optional(),
  issue: z
    .object({
      id: z.string(),
      key: z.string(),
      fields: z.object({
        summary: z.string(),
        issuetype: z.object({ id: z.string(), name: z.string(), subtask: z.boolean(), hierarchyLevel: z.number() }),
        project: z.object({ id: z.string(), key: z.string(), name: z.string(), projectTypeKey: z.string() }),
        status: z.object({ id: z.string(), name: z.string(), statusCategory: z.object({ id: z.number(), key: z.string() }) }),
        assignee: user.nullable(),
        reporter: user,
        creator: user,
        created: z.string(),
        updated: z.string(),
        customfield_10020: z.array(z.object({ id: z.number(), state: z.string(), name: z.string(), boardId: z.number() })),
      }),
    })
    .optional(),
  changelog: z
    .object({
      id: z.string(),
      items: z.array(z.object({ field: z.string(), fieldtype: z.string(), fieldId: z.string(), from: z.string().nullable(), fromString: z.string().nullable(), to: z.string().nullable(), toString: z.string().nullable() })),
    })
    .optional(),
  sprint: z.object({ id: z.number(), state: z.string(), name: z.string(), goal: z.string(), startDate: z.string(), endDate: z.string(), originBoardId: z.number() }).optional(),
});

/** The naive way: validate every whole payload, resolve roles afresh for every event. */
export function judgeNaive(events: readonly unknown[], config: EffectiveConfig): number {
  let verdicts = 0;
  for (const raw of events) {
    fullPayloadSchema.parse(raw);
    const result = normaliseEvent(raw, config.config.fields);
    if (result.kind !== 'event' || result.event.actor === null) continue;
    const roles = resolveRoles(config.config, membership(structuredClone(result.event.actor)));
    verdicts += evaluate(result.event, roles, config).length;
  }
  return verdicts;
}

export interface EngineFigures {
  events: number;
  engineEventsPerSecond: number;
  baselineEventsPerSecond: number;
  verdicts: number;
}

function eventsPerSecond(run: () => number, events: number, minMs: number): { perSecond: number; result: number } {
  run(); // warm-up
  let result: number;
  let rounds = 0;
  const start = process.hrtime.bigint();
  let elapsed: number;
  do {
    result = run();
    rounds += 1;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  } while (elapsed < minMs);
  return { perSecond: Math.round((rounds * events) / (elapsed / 1000)), result };
}

export function measureEngine(quick: boolean): EngineFigures {
  const config = benchConfig();
  const events = mixedStream(quick ? 20_000 : 100_000);
  const fast = eventsPerSecond(() => judgeFast(events, config), events.length, quick ? 500 : 3000);
  const naive = eventsPerSecond(() => judgeNaive(events, config), events.length, quick ? 500 : 3000);
  return { events: events.length, engineEventsPerSecond: fast.perSecond, baselineEventsPerSecond: naive.perSecond, verdicts: fast.result };
}

if (require.main === module) console.log(measureEngine(process.argv.includes('--quick')));
