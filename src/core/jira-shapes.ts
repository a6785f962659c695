/**
 * Shapes Jira has written over the years that mean the same as the current Forge payloads: the
 * sprint field's old text form, the assignee's account id in older changelog items, and Jira's
 * webhook bodies (Cloud and Server). Pure: no I/O.
 */
import { isRecord } from './issues';

/** One item of a changelog history as Jira's REST API writes it, with Jira's own field names. */
export interface JiraChangelogItem {
  readonly field?: string | undefined;
  readonly fieldtype?: string | undefined;
  readonly fieldId?: string | undefined;
  readonly from?: string | null | undefined;
  readonly fromString?: string | null | undefined;
  readonly to?: string | null | undefined;
  readonly toString?: string | null | undefined;
}

export interface LegacySprintRef {
  readonly id: string;
  readonly state: string;
  /** The dates the text carries (`<null>` when not set), as Jira wrote them. */
  readonly startDate: string | null;
  readonly endDate: string | null;
  readonly completeDate: string | null;
}

const LEGACY_SPRINT_PREFIX = 'com.atlassian.greenhopper.service.sprint.Sprint';

/**
 * Jira Server (and Cloud before 2020) wrote the sprint field as text:
 * `com.atlassian.greenhopper.service.sprint.Sprint@1b2c3d[id=1,rapidViewId=1,state=ACTIVE,name=Sprint 1,startDate=…,…]`.
 * Reads the id, the state (lower case, as the Agile API writes it) and the dates; null for anything
 * else. The pairs come in no fixed order (older sites write `id` last), and a name or goal may
 * hold commas, so only the first value of each key is taken.
 */
export function parseLegacySprint(text: string): LegacySprintRef | null {
  if (!text.startsWith(LEGACY_SPRINT_PREFIX)) return null;
  const open = text.indexOf('[');
  if (open < 0) return null;
  const body = text.slice(open + 1, text.endsWith(']') ? -1 : undefined);
  const values = new Map<string, string>();
  for (const pair of body.split(',')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const key = pair.slice(0, eq).trim();
    if (!values.has(key)) values.set(key, pair.slice(eq + 1).trim());
  }
  const id = values.get('id');
  const state = values.get('state');
  if (id === undefined || !/^\d+$/.test(id) || state === undefined || !/^[A-Za-z_]+$/.test(state)) return null;
  const date = (key: string): string | null => {
    const value = values.get(key);
    return value === undefined || value === '<null>' || value === '' ? null : value;
  };
  return { id, state: state.toLowerCase(), startDate: date('startDate'), endDate: date('endDate'), completeDate: date('completeDate') };
}

/**
 * Jira's webhook event names and the Forge event each corresponds to. Jira's sprint webhooks name
 * no user, so the engine treats them as changes nobody made.
 */
const WEBHOOK_EVENTS: Readonly<Record<string, string>> = {
  'jira:issue_updated': 'avi:jira:updated:issue',
  'jira:issue_created': 'avi:jira:created:issue',
  sprint_started: 'avi:jira-software:started:sprint',
  sprint_closed: 'avi:jira-software:closed:sprint',
  sprint_updated: 'avi:jira-software:updated:sprint',
};

/**
 * Who a user object in Jira's answers names: the account id on Cloud; Jira Server has only a user
 * key and a user name, which is what a Server-era config would name too. Null for anything else.
 */
export function userIdOf(user: unknown): string | null {
  if (!isRecord(user)) return null;
  for (const key of ['accountId', 'key', 'name'] as const) {
    const value = user[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

/**
 * A Jira webhook body (`{"webhookEvent": "jira:issue_updated", "user": ..., "issue": ..., "changelog": ...}`)
 * as the Forge event that carries the same change; null when the body is no webhook body. An event
 * the app does not watch keeps its own name, so it is answered "not watched" like any other.
 */
export function webhookToForgeEvent(raw: unknown): Record<string, unknown> | null {
  if (!isRecord(raw) || typeof raw['webhookEvent'] !== 'string' || 'eventType' in raw) return null;
  const name = raw['webhookEvent'];
  const eventType = WEBHOOK_EVENTS[name] ?? name;
  const actor = userIdOf(raw['user']);
  const event: Record<string, unknown> = { eventType, ...(actor !== null ? { atlassianId: actor } : {}) };
  for (const key of ['issue', 'changelog', 'sprint'] as const) if (key in raw) event[key] = raw[key];
  return event;
}
