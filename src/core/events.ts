/**
 * Normalisation of raw Forge event payloads into the few domain events the rules speak about.
 *
 * The hot path matters: most `avi:jira:updated:issue` events touch fields no rule watches, so the
 * changelog is scanned first with plain checks and only payloads with a watched item are validated
 * in full. Never throws: the answer is an event, "ignored", or a typed error naming the path.
 */
import { z } from 'zod';
import { formatIssues, formatPath, isRecord, type BoundaryIssue } from './issues';
import { parseLegacySprint } from './jira-shapes';

export const WATCHED_EVENT_TYPES = [
  'avi:jira:updated:issue',
  'avi:jira:created:issue',
  'avi:jira-software:started:sprint',
  'avi:jira-software:closed:sprint',
  'avi:jira-software:updated:sprint',
] as const;
export type WatchedEventType = (typeof WATCHED_EVENT_TYPES)[number];

/** The site's field ids for the fields Jira keeps as custom fields (from the project config). */
export interface FieldIds {
  readonly rank?: string | undefined;
  readonly estimate?: string | undefined;
  readonly sprint?: string | undefined;
}

export type WatchedField = 'rank' | 'status' | 'estimate' | 'priority' | 'assignee' | 'sprint';

export interface SprintRef {
  readonly id: string;
  readonly state: string;
}

export interface IssueRef {
  readonly id: string;
  readonly key: string;
  readonly projectId: string | null;
  readonly projectKey: string | null;
  readonly subtask: boolean;
  /** The sprints the item is in, when the payload says; null when it does not. */
  readonly sprints: readonly SprintRef[] | null;
}

export interface FieldChange {
  readonly field: WatchedField;
  /** The changelog item's own field id (or name, when it had no id). */
  readonly fieldId: string;
  readonly from: string | null;
  readonly to: string | null;
  /** The changelog item's `fromString` and `toString`: Jira's text for the values (names, numbers). */
  readonly fromText: string | null;
  readonly toText: string | null;
  /**
   * For assignee changes: the new assignee's account id when the item names it apart from `to`
   * (older payloads put a user name in `to` and the account id in `tmpToAccountId`).
   */
  readonly toAccountId?: string | null | undefined;
}

export interface IssueUpdatedEvent {
  readonly kind: 'issue-updated';
  readonly eventType: 'avi:jira:updated:issue';
  readonly actor: string | null;
  readonly selfGenerated: boolean;
  readonly issue: IssueRef;
  readonly changelogId: string | null;
  readonly changes: readonly FieldChange[];
}

export interface IssueCreatedEvent {
  readonly kind: 'issue-created';
  readonly eventType: 'avi:jira:created:issue';
  readonly actor: string | null;
  readonly selfGenerated: boolean;
  readonly issue: IssueRef;
}

/** A transition someone is attempting, as the workflow validator sees it (before it happens). */
export interface TransitionAttemptEvent {
  readonly kind: 'transition-attempt';
  readonly eventType: 'jira:workflowValidator';
  readonly actor: string | null;
  readonly selfGenerated: boolean;
  /** Forge's validator argument names the item by key; its id only sometimes. */
  readonly issue: Omit<IssueRef, 'id'> & { readonly id: string | null };
  readonly fromStatus: string | null;
  readonly toStatus: string | null;
  /** Each attempt is its own: Jira asks again when someone tries again, and each refusal is logged. */
  readonly attemptId: string;
}

export interface Sprint {
  readonly id: string;
  readonly name: string | null;
  readonly state: string;
  readonly goal: string | null;
  readonly startDate: string | null;
  readonly endDate: string | null;
  readonly completeDate: string | null;
  readonly originBoardId: string | null;
}

export interface SprintEvent {
  readonly kind: 'sprint-started' | 'sprint-closed' | 'sprint-updated';
  readonly eventType: 'avi:jira-software:started:sprint' | 'avi:jira-software:closed:sprint' | 'avi:jira-software:updated:sprint';
  readonly actor: string | null;
  readonly selfGenerated: boolean;
  readonly sprint: Sprint;
  /**
   * The goal before this update, when known: from the event's `oldValue` (Forge sends the changed
   * fields' values from before the change), else from what the replayer remembered of the sprint.
   */
  readonly previousGoal?: string | null | undefined;
}

export type DomainEvent = IssueUpdatedEvent | IssueCreatedEvent | TransitionAttemptEvent | SprintEvent;

export interface NormaliseError {
  readonly code: 'not-an-object' | 'invalid-payload';
  readonly message: string;
  readonly issues: readonly BoundaryIssue[];
}

export type NormaliseResult =
  | { readonly kind: 'event'; readonly event: DomainEvent }
  | { readonly kind: 'ignored'; readonly eventType: string | null; readonly reason: string }
  | { readonly kind: 'error'; readonly eventType: string | null; readonly error: NormaliseError };

// ---------------------------------------------------------------------------------------------
// Field recognition

const SYSTEM_FIELD_IDS: Readonly<Record<string, WatchedField>> = {
  status: 'status',
  priority: 'priority',
  assignee: 'assignee',
};

/**
 * Names used only for changelog items without a `fieldId`: English names as Jira writes them in
 * changelogs. Items with a `fieldId` are recognised by id alone, so renamed or localised fields work.
 */
const FIELD_NAMES: Readonly<Record<string, WatchedField>> = {
  status: 'status',
  priority: 'priority',
  assignee: 'assignee',
  rank: 'rank',
  sprint: 'sprint',
  'story points': 'estimate',
  'story point estimate': 'estimate',
};

/**
 * How Jira writes a rank change into a changelog: in English, whatever the field is called on the
 * site or in its language (a German site writes field "Rang", toString "Ranked higher"), with or
 * without a `fieldId`.
 */
const RANK_TO_STRINGS = new Set(['Ranked higher', 'Ranked lower']);

function isRankWording(item: Record<string, unknown>): boolean {
  const text = Object.hasOwn(item, 'toString') ? item['toString'] : undefined;
  return typeof text === 'string' && RANK_TO_STRINGS.has(text);
}

/**
 * Which watched field a changelog item changes, if any: by `fieldId`, else by Jira's rank wording,
 * else by the (English) name Jira writes in items without a `fieldId`. The replay of history walks
 * the sprint field back with it, so live judging and the replay recognise the same items.
 */
export function recogniseChangelogItem(item: Record<string, unknown>, fields: FieldIds): WatchedField | null {
  const fieldId = item['fieldId'];
  if (typeof fieldId === 'string' && fieldId !== '') {
    const system = SYSTEM_FIELD_IDS[fieldId];
    if (system) return system;
    if (fieldId === fields.rank) return 'rank';
    if (fieldId === fields.estimate) return 'estimate';
    if (fieldId === fields.sprint) return 'sprint';
    return isRankWording(item) ? 'rank' : null;
  }
  if (isRankWording(item)) return 'rank';
  const name = item['field'];
  if (typeof name === 'string') return FIELD_NAMES[name.toLowerCase()] ?? null;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Schemas: only what the rules use; everything else in a payload is left alone.

const idString = z.union([z.string().min(1), z.number().int().transform(String)], { error: 'expected an id (string or number)' });
const nullableText = z.union([z.string(), z.number().transform(String), z.null()], { error: 'expected a string or null' }).optional().transform((v) => v ?? null);

const sprintRefSchema = z.looseObject({ id: idString, state: z.string({ error: 'expected the sprint state as a string' }) });

const issueSchema = z.looseObject(
  {
    id: idString,
    key: z.string({ error: 'expected the work item key as a string' }).min(1, { error: 'expected a non-empty work item key' }),
    fields: z
      .looseObject({
        issuetype: z.looseObject({ subtask: z.boolean().optional() }).nullish(),
        issueType: z.looseObject({ subtask: z.boolean().optional() }).nullish(),
        project: z.looseObject({ id: idString.optional(), key: z.string().optional() }).nullish(),
      }, { error: 'expected the work item fields as an object' })
      .optional(),
  },
  { error: 'expected the work item as an object' },
);

const actorFields = {
  atlassianId: z.string({ error: 'expected the actor account id as a string' }).min(1).nullish(),
  selfGenerated: z.boolean({ error: 'expected true or false' }).optional(),
};

const changelogItemSchema = z.looseObject({
  field: z.string({ error: 'expected the field name as a string' }).optional(),
  fieldId: z.string({ error: 'expected the field id as a string' }).optional(),
  from: nullableText,
  to: nullableText,
  fromString: nullableText,
  toString: nullableText,
  tmpToAccountId: z.string().nullish(),
});

const issueUpdatedSchema = z.looseObject({
  ...actorFields,
  issue: issueSchema,
  changelog: z.looseObject(
    { id: idString.optional(), items: z.array(z.unknown(), { error: 'expected a list of changelog items' }) },
    { error: 'expected the changelog as an object' },
  ),
});

const issueCreatedSchema = z.looseObject({ ...actorFields, issue: issueSchema });

const sprintSchema = z.looseObject(
  {
    id: idString,
    name: nullableText,
    state: z.string({ error: 'expected the sprint state as a string' }),
    goal: nullableText,
    startDate: nullableText,
    endDate: nullableText,
    completeDate: nullableText,
    originBoardId: idString.nullish(),
  },
  { error: 'expected the sprint as an object' },
);
/**
 * `oldValue` of `avi:jira-software:updated:sprint`: the sprint's values from before the change, holding
 * only the fields that changed. A goal absent from it did not change.
 */
const sprintOldValueSchema = z.looseObject({ goal: nullableText }, { error: 'expected the sprint\'s previous values as an object' });
const sprintEventSchema = z.looseObject({ ...actorFields, sprint: sprintSchema, oldValue: sprintOldValueSchema.nullish() });

type IssueInput = z.infer<typeof issueSchema>;

// ---------------------------------------------------------------------------------------------

function invalid(eventType: string | null, issues: readonly BoundaryIssue[]): NormaliseResult {
  const message = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return { kind: 'error', eventType, error: { code: 'invalid-payload', message, issues } };
}

/** Reads the sprints an item is in from the Agile API's `sprint` field or the site's sprint field. */
export function sprintsOf(fields: unknown, sprintFieldId: string | undefined): SprintRef[] | null {
  if (!isRecord(fields)) return null;
  const found: SprintRef[] = [];
  let known = false;
  const agile = fields['sprint'];
  if (agile === null) known = true;
  else if (agile !== undefined) {
    const parsed = sprintRefSchema.safeParse(agile);
    if (parsed.success) {
      known = true;
      found.push({ id: parsed.data.id, state: parsed.data.state });
    }
  }
  if (sprintFieldId !== undefined && sprintFieldId in fields) {
    const value = fields[sprintFieldId];
    if (value === null) known = true;
    else if (Array.isArray(value)) {
      known = true;
      for (const entry of value) {
        const parsed = typeof entry === 'string' ? parseLegacySprint(entry) : sprintRefSchema.safeParse(entry).data;
        if (parsed && !found.some((s) => s.id === parsed.id)) found.push({ id: parsed.id, state: parsed.state });
      }
    }
  }
  return known ? found : null;
}

export function toIssueRef(issue: IssueInput, fields: FieldIds): IssueRef {
  const f = issue.fields;
  const type = f?.issuetype ?? f?.issueType;
  return {
    id: issue.id,
    key: issue.key,
    projectId: f?.project?.id ?? null,
    projectKey: f?.project?.key ?? null,
    subtask: type?.subtask === true,
    sprints: sprintsOf(f, fields.sprint),
  };
}

/** Whether the item is in an active sprint; when nothing says so, it is in the backlog. */
export function inActiveSprint(issue: IssueRef): boolean {
  return issue.sprints?.some((s) => s.state === 'active') ?? false;
}

function actorOf(data: { atlassianId?: string | null | undefined }): string | null {
  return data.atlassianId ?? null;
}

/** The assignee the payload's work item shows (after the change, in an update event). */
function assigneeAccountIdOf(issue: IssueInput): string | null {
  const assignee = (issue.fields)?.['assignee'];
  if (!isRecord(assignee)) return null;
  return typeof assignee['accountId'] === 'string' && assignee['accountId'] !== '' ? assignee['accountId'] : null;
}

function normaliseIssueUpdated(raw: Record<string, unknown>, fields: FieldIds): NormaliseResult {
  const eventType = 'avi:jira:updated:issue';
  const changelog = raw['changelog'];
  const items = isRecord(changelog) ? changelog['items'] : undefined;
  if (Array.isArray(items)) {
    // Fast path: nothing watched, nothing to validate.
    let watched = false;
    for (const item of items) {
      if (isRecord(item) && recogniseChangelogItem(item, fields) !== null) {
        watched = true;
        break;
      }
    }
    if (!watched && items.every(isRecord)) return { kind: 'ignored', eventType, reason: 'no watched field changed' };
  }
  const parsed = issueUpdatedSchema.safeParse(raw);
  if (!parsed.success) return invalid(eventType, formatIssues(parsed.error.issues));
  const changes: FieldChange[] = [];
  const issues: BoundaryIssue[] = [];
  parsed.data.changelog.items.forEach((rawItem, index) => {
    if (!isRecord(rawItem)) {
      issues.push({ path: formatPath(['changelog', 'items', index]), message: 'expected a changelog item object' });
      return;
    }
    const field = recogniseChangelogItem(rawItem, fields);
    if (field === null) return;
    const item = changelogItemSchema.safeParse(rawItem);
    if (!item.success) {
      for (const issue of item.error.issues) {
        issues.push({ path: formatPath(['changelog', 'items', index, ...issue.path]), message: issue.message });
      }
      return;
    }
    changes.push({
      field,
      fieldId: item.data.fieldId ?? item.data.field ?? field,
      from: item.data.from,
      to: item.data.to,
      fromText: item.data.fromString,
      toText: item.data.toString,
      ...(field === 'assignee' ? { toAccountId: item.data.tmpToAccountId ?? assigneeAccountIdOf(parsed.data.issue) } : {}),
    });
  });
  if (issues.length > 0) return invalid(eventType, issues);
  if (changes.length === 0) return { kind: 'ignored', eventType, reason: 'no watched field changed' };
  return {
    kind: 'event',
    event: {
      kind: 'issue-updated',
      eventType,
      actor: actorOf(parsed.data),
      selfGenerated: parsed.data.selfGenerated === true,
      issue: toIssueRef(parsed.data.issue, fields),
      changelogId: parsed.data.changelog.id ?? null,
      changes,
    },
  };
}

function normaliseIssueCreated(raw: Record<string, unknown>, fields: FieldIds): NormaliseResult {
  const eventType = 'avi:jira:created:issue';
  const parsed = issueCreatedSchema.safeParse(raw);
  if (!parsed.success) return invalid(eventType, formatIssues(parsed.error.issues));
  return {
    kind: 'event',
    event: {
      kind: 'issue-created',
      eventType,
      actor: actorOf(parsed.data),
      selfGenerated: parsed.data.selfGenerated === true,
      issue: toIssueRef(parsed.data.issue, fields),
    },
  };
}

const SPRINT_KINDS = {
  'avi:jira-software:started:sprint': 'sprint-started',
  'avi:jira-software:closed:sprint': 'sprint-closed',
  'avi:jira-software:updated:sprint': 'sprint-updated',
} as const;

function normaliseSprint(raw: Record<string, unknown>, eventType: keyof typeof SPRINT_KINDS): NormaliseResult {
  const parsed = sprintEventSchema.safeParse(raw);
  if (!parsed.success) return invalid(eventType, formatIssues(parsed.error.issues));
  const s = parsed.data.sprint;
  const goal = previousGoalOf(eventType, parsed.data.oldValue, s.goal);
  return {
    kind: 'event',
    event: {
      kind: SPRINT_KINDS[eventType],
      eventType,
      actor: actorOf(parsed.data),
      selfGenerated: parsed.data.selfGenerated === true,
      sprint: {
        id: s.id,
        name: s.name,
        state: s.state,
        goal: s.goal,
        startDate: s.startDate,
        endDate: s.endDate,
        completeDate: s.completeDate,
        originBoardId: s.originBoardId ?? null,
      },
      ...(goal === undefined ? {} : { previousGoal: goal }),
    },
  };
}

/**
 * The goal before a sprint update, as its `oldValue` tells: the old goal when `goal` is in it, the
 * current goal when it is not (only the changed fields are there). Undefined without `oldValue`: the
 * replayer's memory is the fallback then.
 */
function previousGoalOf(eventType: keyof typeof SPRINT_KINDS, oldValue: { goal?: unknown } | null | undefined, goal: string | null): string | null | undefined {
  if (eventType !== 'avi:jira-software:updated:sprint' || oldValue === null || oldValue === undefined) return undefined;
  return Object.hasOwn(oldValue, 'goal') ? ((oldValue.goal as string | null | undefined) ?? null) : goal;
}

/** Turns one raw Forge event payload into a domain event. Never throws. */
export function normaliseEvent(raw: unknown, fields: FieldIds = {}): NormaliseResult {
  if (!isRecord(raw)) {
    return { kind: 'error', eventType: null, error: { code: 'not-an-object', message: '(root): expected an event object', issues: [{ path: '(root)', message: 'expected an event object' }] } };
  }
  const eventType = raw['eventType'];
  if (typeof eventType !== 'string') return invalid(null, [{ path: 'eventType', message: 'expected the event type as a string' }]);
  try {
    switch (eventType) {
      case 'avi:jira:updated:issue':
        return normaliseIssueUpdated(raw, fields);
      case 'avi:jira:created:issue':
        return normaliseIssueCreated(raw, fields);
      case 'avi:jira-software:started:sprint':
      case 'avi:jira-software:closed:sprint':
      case 'avi:jira-software:updated:sprint':
        return normaliseSprint(raw, eventType);
      default:
        return { kind: 'ignored', eventType, reason: 'not an event the app watches' };
    }
  } catch (error) {
    // A getter that throws or a pathological object: still an answer, never a crash.
    return invalid(eventType, [{ path: '(root)', message: `unreadable payload (${error instanceof Error ? error.message : String(error)})` }]);
  }
}

/** The domain event the workflow validator judges: a status transition not yet made. */
export function transitionAttempt(args: Omit<TransitionAttemptEvent, 'kind' | 'eventType' | 'selfGenerated'>): TransitionAttemptEvent {
  return { kind: 'transition-attempt', eventType: 'jira:workflowValidator', selfGenerated: false, ...args };
}

export function issueKeyOf(event: DomainEvent): string | null {
  return 'issue' in event ? event.issue.key : null;
}
