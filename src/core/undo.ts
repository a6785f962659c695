/**
 * The undo plan: given the change that broke a rule in block mode and the work item as Jira has it
 * now, what to do. Events come late and out of order, so nothing is undone that has moved on since
 * (someone's newer change of the same field), and nothing is done twice (the app's own newer change of
 * the field, or a value already back, means it was undone before).
 */
import type { FieldChange, FieldIds, SprintRef } from './events';
import { addedSprintIds } from './evaluate';

/** What the plan needs of the work item now. */
export interface ItemNow {
  readonly estimate: number | null;
  readonly priorityId: string | null;
  readonly assigneeId: string | null;
  /** Sprints the item is in (with their state), or null when unknown. */
  readonly sprints: readonly SprintRef[] | null;
  /** The changelogs: each one's id, the field ids it touched and who made it; null when not read. */
  readonly changelog: readonly { readonly id: string; readonly fieldIds: readonly string[]; readonly authorId: string | null }[] | null;
}

export type UndoPlan =
  /** Move the item back beside its old neighbour: the app's knowledge of the order decides where. */
  | { readonly kind: 'rank-back'; readonly rankFieldId: string; readonly changelogId: string }
  | { readonly kind: 'edit'; readonly fields: Readonly<Record<string, unknown>> }
  | { readonly kind: 'remove-from-sprint' }
  /** The value is back where it was (undone before, or changed back by someone). */
  | { readonly kind: 'already-undone' }
  | { readonly kind: 'skip'; readonly reason: string };

/** Changelog ids are numbers in Jira Cloud; compared as text only when they are not. */
export function changelogNewer(a: string, b: string): boolean {
  const x = Number(a);
  const y = Number(b);
  if (Number.isFinite(x) && Number.isFinite(y)) return x > y;
  return a > b;
}

/** Who changed the field after `changelogId`: nobody, only the app (undoing it), or someone else. */
export function changedSince(item: Pick<ItemNow, 'changelog'>, changelogId: string | null, fieldId: string, appAccountId: string): 'nobody' | 'app' | 'someone' {
  if (changelogId === null) return 'nobody';
  const newer = item.changelog?.filter((h) => changelogNewer(h.id, changelogId) && h.fieldIds.includes(fieldId)) ?? [];
  if (newer.length === 0) return 'nobody';
  return newer.every((h) => h.authorId === appAccountId) ? 'app' : 'someone';
}

/** Jira writes number fields (story points) into changelogs as text only: `from` is null, the text "5". */
function valueBefore(change: FieldChange): string | null {
  return change.field === 'estimate' ? (change.from ?? change.fromText) : change.from;
}

function valueAfter(change: FieldChange): string | null {
  return change.field === 'estimate' ? (change.to ?? change.toText) : change.to;
}

function normalisedNumber(value: string | null): string | null {
  if (value === null || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? String(n) : value;
}

/** The field's value now, in the changelog's own terms (ids, numbers as text). */
function currentValue(change: FieldChange, item: ItemNow): string | null {
  switch (change.field) {
    case 'estimate':
      return item.estimate === null ? null : String(item.estimate);
    case 'priority':
      return item.priorityId;
    case 'assignee':
      return item.assigneeId;
    default:
      return null;
  }
}

function restoringEdit(change: FieldChange, estimateField: string | undefined): Record<string, unknown> | null {
  switch (change.field) {
    case 'estimate': {
      if (estimateField === undefined) return null;
      const value = normalisedNumber(valueBefore(change));
      return { [estimateField]: value === null ? null : Number(value) };
    }
    case 'priority':
      return change.from === null ? null : { priority: { id: change.from } };
    case 'assignee':
      return { assignee: change.from === null ? null : { accountId: change.from } };
    default:
      return null;
  }
}

export interface UndoContext {
  readonly changelogId: string | null;
  readonly fields: FieldIds;
  /** The app's own account: its newer change of the field is this undo, done before. */
  readonly appAccountId: string;
}

const MOVED_ON: UndoPlan = { kind: 'skip', reason: 'the item has changed again since' };

export function planUndo(change: FieldChange, item: ItemNow, context: UndoContext): UndoPlan {
  const { changelogId, fields } = context;
  const since = (fieldId: string): 'nobody' | 'app' | 'someone' => changedSince(item, changelogId, fieldId, context.appAccountId);
  switch (change.field) {
    case 'rank': {
      if (fields.rank === undefined || changelogId === null) return { kind: 'skip', reason: 'the site\'s rank field or the changelog id is unknown' };
      const changed = since(fields.rank);
      return changed === 'someone' ? MOVED_ON : changed === 'app' ? { kind: 'already-undone' } : { kind: 'rank-back', rankFieldId: fields.rank, changelogId };
    }
    case 'estimate':
    case 'priority':
    case 'assignee': {
      const changed = since(change.fieldId);
      if (changed !== 'nobody') return changed === 'app' ? { kind: 'already-undone' } : MOVED_ON;
      const same = (a: string | null, b: string | null): boolean => (change.field === 'estimate' ? normalisedNumber(a) === normalisedNumber(b) : a === b);
      const current = currentValue(change, item);
      if (same(current, valueBefore(change))) return { kind: 'already-undone' };
      if (!same(current, valueAfter(change))) return { kind: 'skip', reason: 'the value is neither the old nor the new one' };
      const edit = restoringEdit(change, fields.estimate);
      return edit === null ? { kind: 'skip', reason: 'the old value cannot be written back' } : { kind: 'edit', fields: edit };
    }
    case 'sprint': {
      const changed = fields.sprint === undefined ? 'nobody' : since(fields.sprint);
      if (changed !== 'nobody') return changed === 'app' ? { kind: 'already-undone' } : MOVED_ON;
      const added = addedSprintIds(change);
      const stillIn = item.sprints?.some((s) => added.includes(s.id) && s.state === 'active') ?? false;
      return stillIn ? { kind: 'remove-from-sprint' } : { kind: 'skip', reason: 'the item is no longer in the sprint it was added to' };
    }
    case 'status':
      return { kind: 'skip', reason: 'a status change is refused before it happens, or not at all' };
  }
}
