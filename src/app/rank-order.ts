/**
 * The app's own knowledge of the order. A rank change reaches the app as "Ranked higher" or "Ranked
 * lower" with no values, so to move an item back the app must know where it was: it keeps, per item, the
 * rank value it last saw (seeded once per project from Jira in rank order, then updated from every rank
 * event and after every move back).
 *
 * Why it can be trusted: before an item is moved back next to an old neighbour, the neighbour's rank value
 * in Jira is read and compared with the snapshot; a neighbour that moved too is passed over for the next
 * one. An item moved back keeps its old value as its order key, so a burst of forbidden moves undone one
 * by one, in any order, ends in the old relative order.
 */
import type { FieldIds } from '../core/events';
import { changelogNewer } from '../core/undo';
import { JiraUnavailableError, type IssueSnapshot, type JiraPort, type RankAnchor, type RankEntry, type RankSnapshot } from './ports';

export interface RankOrderDeps {
  readonly jira: JiraPort;
  readonly ranks: RankSnapshot;
}

/** How many neighbours on each side are considered before giving up. */
const NEIGHBOUR_CANDIDATES = 8;

/** Seeds the project's order from Jira when it has never been seeded. Returns whether it seeded now. */
export async function ensureSeeded(project: string, rankFieldId: string, deps: RankOrderDeps): Promise<boolean> {
  if (await deps.ranks.isSeeded(project)) return false;
  const order = await deps.jira.rankOrder(project, rankFieldId);
  await deps.ranks.putMany(order.map((i) => ({ issueId: i.id, issueKey: i.key, project, rank: i.rank, orderKey: i.rank, changelogId: '0' })));
  await deps.ranks.markSeeded(project);
  return true;
}

/**
 * Whether the item already stands right beside the anchor, with none of the items just read between
 * them. Only items read in this same call count, so "not beside" is certain; an unseen item in the gap
 * leaves the item one place off rather than logged as moved back by a rank that moved nothing.
 */
function alreadyBeside(itemRank: string, anchor: RankAnchor, current: ReadonlyMap<string, { rank: string | null }>, itemKey: string): boolean {
  const anchorKey = 'before' in anchor ? anchor.before : anchor.after;
  const anchorRank = current.get(anchorKey)?.rank ?? null;
  if (anchorRank === null) return false;
  const [low, high] = 'before' in anchor ? [itemRank, anchorRank] : [anchorRank, itemRank];
  if (!(low < high)) return false;
  for (const [key, entry] of current) {
    if (key === itemKey || key === anchorKey || entry.rank === null) continue;
    if (entry.rank > low && entry.rank < high) return false;
  }
  return true;
}

export type RankBack =
  | { readonly kind: 'moved-back'; readonly anchor: RankAnchor }
  | { readonly kind: 'skipped'; readonly reason: string }
  /** A redelivery after the item was moved back: nothing more to do. */
  | { readonly kind: 'already-undone' };

/** Moves the item back next to its old neighbour. `issue` is the item as read after the event. */
export async function moveBack(issue: IssueSnapshot, project: string, changelogId: string, rankFieldId: string, deps: RankOrderDeps): Promise<RankBack> {
  // Seeded from Jira just now: the snapshot shows the order after the move, not before it.
  if (await ensureSeeded(project, rankFieldId, deps)) return { kind: 'skipped', reason: 'the app learnt the order only now, after the move' };
  const known = await deps.ranks.get(issue.id);
  if (!known) return { kind: 'skipped', reason: 'the app had not seen this item in the order before, so it does not know where it was' };
  if (known.changelogId === changelogId) return { kind: 'already-undone' };
  if (changelogNewer(known.changelogId, changelogId)) return { kind: 'skipped', reason: 'the item moved again since' };

  const after = (await deps.ranks.neighbours(project, known.orderKey, 'after', NEIGHBOUR_CANDIDATES)).filter((e) => e.issueId !== issue.id);
  const before = (await deps.ranks.neighbours(project, known.orderKey, 'before', NEIGHBOUR_CANDIDATES)).filter((e) => e.issueId !== issue.id);
  // The item itself is read in the same call: where it stands now decides whether anything needs moving.
  const current = await deps.jira.currentRanks([issue.key, ...after.map((e) => e.issueKey), ...before.map((e) => e.issueKey)], rankFieldId);
  const trusted = (e: RankEntry): boolean => current.get(e.issueKey)?.rank === e.rank;
  const next = after.find(trusted);
  const previous = before.find(trusted);
  let anchor: RankAnchor;
  if (next) anchor = { before: next.issueKey };
  else if (previous) anchor = { after: previous.issueKey };
  else return { kind: 'skipped', reason: 'none of the old neighbours is where the app last saw it' };

  const itemRank = current.get(issue.key)?.rank ?? null;
  if (itemRank !== null && alreadyBeside(itemRank, anchor, current, issue.key)) {
    // Jira writes no history for a rank that moves nothing, so none is asked for. The entry keeps its
    // order key, as after a move back, so a redelivery finds the event handled.
    await deps.ranks.put({ ...known, issueKey: issue.key, rank: itemRank, orderKey: known.orderKey, changelogId });
    const neighbour = 'before' in anchor ? `before ${anchor.before}` : `after ${anchor.after}`;
    return { kind: 'skipped', reason: `it already stands ${neighbour}, where it was` };
  }

  await deps.jira.rank(issue.key, anchor, rankFieldId);
  // The move is done: a failing read now must not turn it into a retry that finds the item in place. The
  // entry then keeps the old value, which Jira no longer has, so the item is passed over as a neighbour
  // until its next move is seen.
  const newRank = await deps.jira.currentRanks([issue.key], rankFieldId).then(
    (placed) => placed.get(issue.key)?.rank ?? known.rank,
    (error: unknown) => {
      if (!(error instanceof JiraUnavailableError)) throw error;
      return known.rank;
    },
  );
  await deps.ranks.put({ ...known, issueKey: issue.key, rank: newRank, orderKey: known.orderKey, changelogId });
  return { kind: 'moved-back', anchor };
}

/**
 * After a rank event: the order the app knows follows every move it leaves standing (allowed, flagged or
 * not moved back), so that a later move back lands where the item really was. While neither rank rule
 * is on, or when the move could not be judged, what it knew is stale and is learnt again next time.
 */
export async function followRankEvent(
  project: string,
  rankFieldId: string,
  event: { readonly changelogId: string | null; readonly issue: IssueSnapshot | null; readonly watched: boolean; readonly movedBack: boolean; readonly judged: boolean },
  deps: RankOrderDeps,
): Promise<void> {
  if (!event.watched || !event.judged) {
    if (await deps.ranks.isSeeded(project)) await deps.ranks.forgetSeeded(project);
    return;
  }
  const { issue, changelogId } = event;
  if (issue === null || changelogId === null || event.movedBack) return;
  if ((await ensureSeeded(project, rankFieldId, deps)) || issue.rank === null) return;
  const known = await deps.ranks.get(issue.id);
  // An entry as new as this event stays: it was written for this very event (an item found already back
  // in place keeps its order key) or by a redelivery of it.
  if (known && (known.changelogId === changelogId || changelogNewer(known.changelogId, changelogId))) return;
  await deps.ranks.put({ issueId: issue.id, issueKey: issue.key, project, rank: issue.rank, orderKey: issue.rank, changelogId });
}

/**
 * A work item created after the order was learnt joins it, so that a forbidden first move of it can be
 * undone too. An entry already there came from a rank event of the item (a late creation event) and is
 * newer: it is kept.
 */
export async function learnNewItem(issueId: string, project: string, fields: FieldIds, deps: RankOrderDeps): Promise<void> {
  if (!(await deps.ranks.isSeeded(project)) || (await deps.ranks.get(issueId)) !== undefined) return;
  const issue = await deps.jira.readIssue(issueId, fields, { changelog: false });
  if (issue === null || issue.rank === null) return;
  await deps.ranks.put({ issueId: issue.id, issueKey: issue.key, project, rank: issue.rank, orderKey: issue.rank, changelogId: '0' });
}
