/**
 * `scrum-guard check`: judges a stream of raw Forge event payloads against a config, one answer per
 * line, with the same engine the app runs on Forge.
 */
import { z } from 'zod';
import {
  directMembership,
  evaluate,
  formatIssues,
  normaliseEvent,
  rememberGoal,
  resolveRoles,
  webhookToForgeEvent,
  withPreviousGoal,
  type EffectiveConfig,
  type FieldIds,
  type Membership,
  type RuleId,
  type SprintGoals,
} from '../core';

export interface CheckViolation {
  readonly rule: RuleId;
  readonly mode: 'flag' | 'block';
  readonly message: string;
}

export type CheckLine =
  | {
      readonly line: number;
      readonly eventType: string;
      readonly issueKey: string | null;
      readonly actor: string | null;
      readonly violations: readonly CheckViolation[];
    }
  | { readonly line: number; readonly error: string };

/**
 * Who is in which group and project role, for configs that name groups or project roles:
 * `{ "<accountId>": { "groups": ["<groupId>"], "projectRoles": ["<roleId>"] } }`.
 */
export const directorySchema = z.record(
  z.string().min(1),
  z.strictObject({ groups: z.array(z.string()).default([]), projectRoles: z.array(z.string()).default([]) }),
  { error: 'expected an object of account ids, each with "groups" and "projectRoles" lists' },
);
export type Directory = z.infer<typeof directorySchema>;

export function parseDirectory(input: unknown): { ok: true; directory: Directory } | { ok: false; error: string } {
  const parsed = directorySchema.safeParse(input);
  if (parsed.success) return { ok: true, directory: parsed.data };
  return { ok: false, error: formatIssues(parsed.error.issues).map((i) => `${i.path}: ${i.message}`).join('; ') };
}

function membershipOf(accountId: string, directory: Directory): Membership {
  const entry = directory[accountId];
  return entry ? { accountId, groupIds: entry.groups, projectRoleIds: entry.projectRoles } : directMembership(accountId);
}

/**
 * The ids Jira Cloud gives the rank, story point estimate and sprint fields on most sites. A config
 * without `fields` is judged with these, and the command says so: nothing is silently switched off.
 */
export const JIRA_CLOUD_USUAL_FIELDS: Required<{ [K in keyof FieldIds]: string }> = {
  rank: 'customfield_10019',
  estimate: 'customfield_10016',
  sprint: 'customfield_10020',
};

/** The config's field ids, completed with Jira Cloud's usual ones; `assumed` names those filled in. */
export function fieldsWithDefaults(fields: FieldIds | undefined): { fields: FieldIds; assumed: (keyof FieldIds)[] } {
  const assumed = (Object.keys(JIRA_CLOUD_USUAL_FIELDS) as (keyof FieldIds)[]).filter((k) => fields?.[k] === undefined);
  return { fields: { ...JIRA_CLOUD_USUAL_FIELDS, ...fields }, assumed };
}

/** The stderr line that says which field ids were assumed. */
export function assumedFieldsNotice(fields: FieldIds, assumed: readonly (keyof FieldIds)[], where = 'the config'): string | null {
  if (assumed.length === 0) return null;
  const list = assumed.map((k) => `${k} ${fields[k]}`).join(', ');
  return `${where} names no field id for ${assumed.join(', ')}; assumed Jira Cloud's usual ${list}. Set "fields" in the config to your site's ids (GET /rest/api/3/field lists them).`;
}

/** Judges lines one by one; keeps what a stream needs to remember (sprint goals) between them. */
export class Checker {
  private goals: SprintGoals = new Map();
  private readonly fields: FieldIds;

  constructor(
    private readonly effective: EffectiveConfig,
    private readonly directory: Directory = {},
    fields?: FieldIds,
  ) {
    this.fields = fields ?? effective.config.fields ?? {};
  }

  judgeLine(text: string, line: number): CheckLine {
    let parsedJson: unknown;
    try {
      parsedJson = JSON.parse(text);
    } catch (error) {
      return { line, error: `not valid JSON (${error instanceof Error ? error.message : String(error)})` };
    }
    // A Jira webhook body is judged as the Forge event that carries the same change.
    const raw = webhookToForgeEvent(parsedJson) ?? parsedJson;
    const result = normaliseEvent(raw, this.fields);
    if (result.kind === 'error') return { line, error: result.error.message };
    if (result.kind === 'ignored') {
      return { line, eventType: result.eventType ?? '', issueKey: issueKeyOfRaw(raw), actor: actorOfRaw(raw), violations: [] };
    }
    const event = withPreviousGoal(result.event, this.goals);
    this.goals = rememberGoal(this.goals, result.event);
    const roles = event.actor === null ? new Set<never>() : resolveRoles(this.effective.config, membershipOf(event.actor, this.directory));
    const violations = evaluate(event, roles, this.effective).map((v) => ({ rule: v.rule, mode: v.mode, message: v.message }));
    return {
      line,
      eventType: event.eventType,
      issueKey: 'issue' in event ? event.issue.key : null,
      actor: event.actor,
      violations,
    };
  }
}

function issueKeyOfRaw(raw: unknown): string | null {
  const issue = (raw as { issue?: { key?: unknown } }).issue;
  return typeof issue?.key === 'string' ? issue.key : null;
}

function actorOfRaw(raw: unknown): string | null {
  const actor = (raw as { atlassianId?: unknown }).atlassianId;
  return typeof actor === 'string' ? actor : null;
}

/** The table for people: one row per violation, or per line when nothing is wrong. */
export function formatTable(lines: readonly CheckLine[]): string {
  const rows: string[][] = [['line', 'event', 'work item', 'actor', 'rule', 'mode']];
  for (const entry of lines) {
    if ('error' in entry) {
      rows.push([String(entry.line), 'error', '', '', entry.error, '']);
      continue;
    }
    const event = entry.eventType.replace(/^avi:jira(-software)?:/, '');
    if (entry.violations.length === 0) rows.push([String(entry.line), event, entry.issueKey ?? '', entry.actor ?? '', 'ok', '']);
    for (const v of entry.violations) rows.push([String(entry.line), event, entry.issueKey ?? '', entry.actor ?? '', v.rule, v.mode]);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const render = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  const violations = lines.reduce((n, l) => n + ('violations' in l ? l.violations.length : 0), 0);
  const errors = lines.filter((l) => 'error' in l).length;
  return [render(rows[0]!), render(widths.map((w) => '-'.repeat(w))), ...rows.slice(1).map(render), '', `${lines.length} events, ${violations} violations, ${errors} errors`].join('\n');
}
