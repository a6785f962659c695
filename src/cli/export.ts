/**
 * `scrum-guard check --jira-export FILE`: judges what a Jira admin can download, the answer of
 * `GET /rest/api/3/search/jql?expand=changelog` (one page, an array of pages, or one work item per
 * line), with the same replay as the audit: every changelog history in time order, sprint
 * membership from the work item's sprint field walked back through its history.
 */
import { z } from 'zod';
import { formatIssues, parseLegacySprint, type EffectiveConfig, type FieldIds } from '../core';
import { replayIssueChanges, toAuditChangelog, toAuditIssue, type AuditDirectory, type AuditSprint, type JudgedChange, type ReplayContext } from '../app/audit';
import type { CheckLine, Directory } from './check';
import { AGILE_FIELD_TYPES, searchedIssueSchema, searchPageSchema, type SearchedIssue } from './jira-answers';
import { APP_ACCOUNT_NAME } from './audit';

export const EXPORT_EXPECTED =
  'expected the answer of GET /rest/api/3/search/jql?expand=changelog: one page ({"issues": [...]}), an array of pages, or one work item per line, each work item with its "changelog"';

export type ExportRead = { ok: true; issues: SearchedIssue[] } | { ok: false; error: string };

function describe(error: z.ZodError, prefix: string): string {
  return formatIssues(error.issues)
    .slice(0, 3)
    .map((i) => `${prefix}${i.path === '(root)' ? '' : i.path}: ${i.message}`)
    .join('; ');
}

/** Reads an export in any of its three forms; refuses anything else, saying what was expected. */
export function readExport(text: string): ExportRead {
  let whole: unknown;
  let wholeParsed = true;
  try {
    whole = JSON.parse(text);
  } catch {
    wholeParsed = false;
  }
  const issues: SearchedIssue[] = [];
  if (wholeParsed) {
    const pages = Array.isArray(whole) ? whole : [whole];
    for (const [index, page] of pages.entries()) {
      const parsed = searchPageSchema.safeParse(page);
      if (!parsed.success) return { ok: false, error: `${EXPORT_EXPECTED} (${describe(parsed.error, Array.isArray(whole) ? `[${index}].` : '')})` };
      issues.push(...parsed.data.issues);
    }
  } else {
    const lines = text.split('\n');
    for (const [index, line] of lines.entries()) {
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        return { ok: false, error: `${EXPORT_EXPECTED} (line ${index + 1} is not JSON)` };
      }
      const parsed = searchedIssueSchema.safeParse(value);
      if (!parsed.success) return { ok: false, error: `${EXPORT_EXPECTED} (line ${index + 1}: ${describe(parsed.error, '')})` };
      issues.push(parsed.data);
    }
  }
  const withoutChangelog = issues.find((i) => i.changelog === undefined);
  if (withoutChangelog) return { ok: false, error: `${EXPORT_EXPECTED} (${withoutChangelog.key} has no "changelog": export with expand=changelog)` };
  if (issues.length === 0) return { ok: false, error: `${EXPORT_EXPECTED} (it holds no work item)` };
  return { ok: true, issues };
}

/** The rank, sprint and estimate field ids the export's own `schema` (expand=schema) names, if any. */
export function fieldsInExport(issues: readonly SearchedIssue[]): FieldIds {
  const found: Record<string, string> = {};
  for (const issue of issues) {
    for (const [id, schema] of Object.entries(issue.schema ?? {})) {
      for (const [name, type] of Object.entries(AGILE_FIELD_TYPES)) if (schema.custom === type) found[name] ??= id;
    }
  }
  return found;
}

/** Every sprint the export's sprint fields mention, with its dates, so its state at any moment is known. */
function sprintsInExport(issues: readonly SearchedIssue[], sprintField: string | undefined): Map<string, AuditSprint> {
  const sprints = new Map<string, AuditSprint>();
  if (sprintField === undefined) return sprints;
  const entrySchema = z.looseObject({ id: z.union([z.number(), z.string()]), startDate: z.string().nullish(), completeDate: z.string().nullish() });
  for (const issue of issues) {
    const value = issue.fields[sprintField];
    if (!Array.isArray(value)) continue;
    for (const entry of value) {
      // The old text form carries the dates too (`startDate=2021-08-19T04:30:00.000-07:00`, or `<null>`).
      const parsed = typeof entry === 'string' ? parseLegacySprint(entry) : entrySchema.safeParse(entry).data;
      if (parsed) sprints.set(String(parsed.id), { id: String(parsed.id), startDate: parsed.startDate ?? null, completeDate: parsed.completeDate ?? null });
    }
  }
  return sprints;
}

/** The per-account directory of `--directory` as the replay takes it (members per group and role). */
export function auditDirectoryOf(directory: Directory): AuditDirectory {
  const groupMembers: Record<string, string[]> = {};
  const projectRoleMembers: Record<string, string[]> = {};
  for (const [accountId, entry] of Object.entries(directory)) {
    for (const g of entry.groups) (groupMembers[g] ??= []).push(accountId);
    for (const r of entry.projectRoles) (projectRoleMembers[r] ??= []).push(accountId);
  }
  return { groupMembers, projectRoleMembers };
}

/** A judged change as `check` prints it: the same shape as for an event line, with where it came from. */
export type ExportLine = Extract<CheckLine, { eventType: string }> & {
  readonly changelogId: string | null;
  readonly at: string;
  /** The active sprint the work item was in at that moment (null: none), as the audit's per-sprint counts see it. */
  readonly sprintId: string | null;
};

/**
 * Judges every change of the export, oldest first. `warn` hears about work items whose export holds
 * only part of their history (Jira embeds the newest changes only).
 */
export function judgeExport(
  issues: readonly SearchedIssue[],
  effective: EffectiveConfig,
  fields: FieldIds,
  directory: Directory,
  warn: (line: string) => void,
): ExportLine[] {
  const sprints = sprintsInExport(issues, fields.sprint);
  // The app's undos never reach its triggers, so they are not judged here either.
  const appAccountIds = new Set<string>();
  for (const issue of issues) {
    for (const h of issue.changelog?.histories ?? []) {
      if (h.author?.accountId && h.author.accountType === 'app' && h.author.displayName === APP_ACCOUNT_NAME) appAccountIds.add(h.author.accountId);
    }
  }
  const changes: JudgedChange[] = [];
  const context: ReplayContext = { sprints, effective, directory: auditDirectoryOf(directory), fields, since: new Date(0), appAccountIds };
  for (const issue of issues) {
    const histories = issue.changelog?.histories ?? [];
    const total = issue.changelog?.total;
    if (total !== undefined && total > histories.length) {
      warn(`${issue.key}: the export holds ${histories.length} of its ${total} changes (Jira embeds only the newest); the older ones are not judged`);
    }
    const projectKey = issue.key.split('-')[0] ?? '';
    replayIssueChanges(toAuditIssue(issue, projectKey, fields, histories.map(toAuditChangelog)), context, (change) => changes.push(change));
  }
  const time = (iso: string): number => Date.parse(iso) || 0;
  changes.sort((a, b) => time(a.at) - time(b.at) || Number(a.changelogId ?? -1) - Number(b.changelogId ?? -1));
  return changes.map((change, index) => ({
    line: index + 1,
    eventType: change.eventType,
    issueKey: change.issueKey,
    actor: change.actor,
    violations: change.verdicts.map((v) => ({ rule: v.rule, mode: v.mode, message: v.message })),
    changelogId: change.changelogId,
    at: change.at,
    sprintId: change.sprintId,
  }));
}
