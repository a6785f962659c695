/**
 * Where a raw Forge event goes, read once before anything else: which project it concerns (or, for a
 * sprint event, which board), and whether it changes a custom field, where rank, sprint and estimate
 * live and whose updates come in bursts. Only what routing needs is read here: how the rest of the
 * payload is read depends on the project's config (normaliseEvent).
 */
import { isRecord } from './issues';

/** A Jira work item key, such as DEMO-12: the project key, a hyphen, a number. */
const ISSUE_KEY = /^([A-Z][A-Z0-9_]*)-\d+$/;

/** The project key of a work item key, or null when the text is no work item key. */
export function projectKeyOfIssueKey(issueKey: string): string | null {
  return ISSUE_KEY.exec(issueKey)?.[1] ?? null;
}

export type IssueEventType = 'avi:jira:updated:issue' | 'avi:jira:created:issue';

export type EventRoute =
  | {
      readonly kind: 'issue';
      readonly raw: Record<string, unknown>;
      readonly eventType: IssueEventType;
      /** From the work item's project, else from its key; null when the payload names neither. */
      readonly projectKey: string | null;
      /** An update that changes a custom field (rank, sprint, estimate): such updates come in bursts. */
      readonly customFieldChanged: boolean;
    }
  | {
      readonly kind: 'sprint';
      readonly raw: Record<string, unknown>;
      /** Sprint events name the board only; its project is Jira's to tell. */
      readonly boardId: string | null;
    }
  | { readonly kind: 'ignored'; readonly reason: string };

function projectKeyOf(issue: unknown): string | null {
  if (!isRecord(issue)) return null;
  const fields = issue['fields'];
  const project = isRecord(fields) ? fields['project'] : undefined;
  if (isRecord(project) && typeof project['key'] === 'string' && project['key'] !== '') return project['key'];
  const key = issue['key'];
  return typeof key === 'string' ? projectKeyOfIssueKey(key) : null;
}

function changesCustomField(changelog: unknown): boolean {
  const items = isRecord(changelog) ? changelog['items'] : undefined;
  return (
    Array.isArray(items) &&
    items.some((i) => isRecord(i) && (i['fieldtype'] === 'custom' || (typeof i['fieldId'] === 'string' && i['fieldId'].startsWith('customfield_'))))
  );
}

function boardOf(sprint: unknown): string | null {
  const board = isRecord(sprint) ? sprint['originBoardId'] : undefined;
  return typeof board === 'number' || (typeof board === 'string' && board !== '') ? String(board) : null;
}

export function routeEvent(raw: unknown): EventRoute {
  if (!isRecord(raw)) return { kind: 'ignored', reason: 'not an event object' };
  // Forge marks the app's own changes, and the trigger filter drops them before they get here.
  if (raw['selfGenerated'] === true) return { kind: 'ignored', reason: 'the app made this change' };
  const eventType = raw['eventType'];
  if (eventType === 'avi:jira:updated:issue' || eventType === 'avi:jira:created:issue') {
    return { kind: 'issue', raw, eventType, projectKey: projectKeyOf(raw['issue']), customFieldChanged: eventType === 'avi:jira:updated:issue' && changesCustomField(raw['changelog']) };
  }
  if (typeof eventType === 'string' && eventType.startsWith('avi:jira-software:') && eventType.endsWith(':sprint')) {
    return { kind: 'sprint', raw, boardId: boardOf(raw['sprint']) };
  }
  return { kind: 'ignored', reason: `not an event the app watches (${String(eventType)})` };
}
