/**
 * The app's own knowledge of the order. A rank change reaches the app as "Ranked higher" or "Ranked
 * lower" with no values, so to put an item back the app must know where it was: it keeps, per item, the
 * rank value it last saw (seeded once per project from Jira in rank order, then updated from every rank
 * event and after every revert).
 *
 * Why it can be trusted: before an item is put back next to an old neighbour, the neighbour's rank value
 * in Jira is read and compared with the snapshot; a neighbour that moved too is passed over for the next
 * one. An item put back keeps its old value as its order key, so a burst of forbidden moves put back one
 * by one, in any order, ends in the old relative order.
 */
import { JiraUnavailableError, type IssueSnapshot, type JiraPort, type RankAnchor, type RankEntry, type RankSnapshot } from './enforcement-ports';

/** How many neighbours on each side are considered before giving up. */
const NEIGHBOUR_CANDIDATES = 8;

export function changelogNewer(a: string, b: string): boolean {
  const x = Number(a);
  const y = Number(b);
  if (Number.isFinite(x) && Number.isFinite(y)) return x > y;
  return a > b;
}

/** Seeds the project's order from Jira when it has never been seeded. Returns whether it seeded now. */
export async function ensureSeeded(project: string, rankFieldId: string, deps: { jira: JiraPort; ranks: RankSnapshot }): Promise<boolean> {
  if (await deps.ranks.isSeeded(project)) return false;
  const order = await deps.jira.rankOrder(project, rankFieldId);
  await deps.ranks.putMany(order.map((i) => ({ issueId: i.id, issueKey: i.key, project, rank: i.rank, orderKey: i.rank, changelogId: '0' })));
  await deps.ranks.markSeeded(project);
  return true;
}

/** Records the item's current rank after a move the app leaves standing (allowed, flagged or skipped). */
export async function rememberMove(issue: IssueSnapshot, project: string, changelogId: string, ranks: RankSnapshot): Promise<void> {
  if (issue.rank === null) return;
  const known = await ranks.get(issue.id);
  // An entry as new as this event stays: it was written for this very event (an item found already back
  // in place keeps its order key, as a put-back does) or by a redelivery of it.
  if (known && (known.changelogId === changelogId || changelogNewer(known.changelogId, changelogId))) return;
  await ranks.put({ issueId: issue.id, issueKey: issue.key, project, rank: issue.rank, orderKey: issue.rank, changelogId });
}

/**
 * Whether the item, at `itemRank`, already stands right beside the anchor as Jira has it now: on the
 * anchor's side, with none of the other items just read (the old neighbours around that place) between
 * them. Only items read from Jira in this same call count, so a "not beside" is certain; an item the app
 * has not yet seen move into that gap would go unnoticed, and the item is then left one place off rather
 * than logged as put back by a rank that moved nothing.
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

export type RankRevert =
  | { readonly outcome: 'reverted'; readonly anchor: RankAnchor }
  | { readonly outcome: 'revert-skipped'; readonly reason: string }
  | { readonly outcome: 'already-handled' };

/**
 * Puts the item back next to its old neighbour, unless it moved again since. `issue` is the item as
 * read (with its changelog) after the event.
 */
export async function revertRank(
  issue: IssueSnapshot,
  project: string,
  changelogId: string,
  rankFieldId: string,
  deps: { jira: JiraPort; ranks: RankSnapshot },
): Promise<RankRevert> {
  const known = await deps.ranks.get(issue.id);
  if (!known) return { outcome: 'revert-skipped', reason: 'the app had not seen this item in the order before, so it does not know where it was' };
  if (known.changelogId === changelogId) {
    // A redelivery after the put-back already happened: nothing more to do.
    return { outcome: 'already-handled' };
  }
  if (changelogNewer(known.changelogId, changelogId)) return { outcome: 'revert-skipped', reason: 'the item moved again since' };
  const movedSince = issue.changelog?.some((h) => changelogNewer(h.id, changelogId) && h.fieldIds.includes(rankFieldId)) ?? false;
  if (movedSince) return { outcome: 'revert-skipped', reason: 'the item moved again since' };

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
  else return { outcome: 'revert-skipped', reason: 'none of the old neighbours is where the app last saw it' };

  const itemRank = current.get(issue.key)?.rank ?? null;
  const neighbourKey = 'before' in anchor ? anchor.before : anchor.after;
  if (itemRank !== null && alreadyBeside(itemRank, anchor, current, issue.key)) {
    // Already where it belongs (a later forbidden move took it back, or its neighbour was just put back
    // beside it): Jira would write no history for a rank that moves nothing, so none is asked for. The
    // entry keeps its order key, like a put-back, so a redelivery finds the event handled.
    await deps.ranks.put({ ...known, issueKey: issue.key, rank: itemRank, orderKey: known.orderKey, changelogId });
    return { outcome: 'revert-skipped', reason: `it already stands ${'before' in anchor ? 'before' : 'after'} ${neighbourKey}, where it was` };
  }

  await deps.jira.rank(issue.key, anchor, rankFieldId);
  // The put-back is done: a failing read now must not turn it into a retry that finds the item in place
  // and logs it as not put back. Without its new value the entry keeps the old one, which Jira no longer
  // has, so the item is passed over as a neighbour until its next move is seen: safe, only less useful.
  const newRank = await deps.jira.currentRanks([issue.key], rankFieldId).then(
    (placed) => placed.get(issue.key)?.rank ?? known.rank,
    (error: unknown) => {
      if (!(error instanceof JiraUnavailableError)) throw error;
      return known.rank;
    },
  );
  await deps.ranks.put({ ...known, issueKey: issue.key, rank: newRank, orderKey: known.orderKey, changelogId });
  return { outcome: 'reverted', anchor };
}
