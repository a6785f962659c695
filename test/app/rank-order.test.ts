/**
 * The app's knowledge of the order (src/app/rank-order.ts) on in-memory fakes: moving items back after a
 * burst of forbidden moves, neighbours that moved too, a read failing after a move, and the order
 * following moves the app leaves standing. The bulk rank on the sandbox is test/integration/bulk-rank.
 */
import { ensureSeeded, followRankEvent, learnNewItem, moveBack } from '../../src/app/rank-order';
import { JiraUnavailableError } from '../../src/app/ports';
import { FAKE_FIELDS, FakeJira, FakeRankSnapshot } from '../fakes';
import { PEOPLE } from '../support/payloads';

const RANK = FAKE_FIELDS.rank;
let jira: FakeJira;
let ranks: FakeRankSnapshot;

beforeEach(async () => {
  jira = new FakeJira();
  ranks = new FakeRankSnapshot();
  jira.seed('DEMO', 10);
  expect(await ensureSeeded('DEMO', RANK, { jira, ranks })).toBe(true);
  expect(await ensureSeeded('DEMO', RANK, { jira, ranks })).toBe(false);
});

async function moveBackNow(key: string, changelogId: string) {
  const issue = (await jira.readIssue(key, FAKE_FIELDS, { changelog: true }))!;
  return moveBack(issue, 'DEMO', changelogId, RANK, { jira, ranks });
}

it('ends a burst of forbidden moves, undone one by one in any order, in the old order', async () => {
  const moves = [
    ['DEMO-9', { before: 'DEMO-1' }],
    ['DEMO-2', { after: 'DEMO-8' }],
    ['DEMO-5', { before: 'DEMO-9' }],
    ['DEMO-7', { before: 'DEMO-3' }],
  ] as const;
  const ids = moves.map(([key, anchor]) => [key, jira.userChanges(PEOPLE.stakeholder, key, { field: 'rank', anchor })] as const);
  for (const [key, id] of [ids[2]!, ids[0]!, ids[3]!, ids[1]!]) expect((await moveBackNow(key, id)).kind).toMatch(/moved-back|skipped/);
  expect(jira.order()).toEqual(['DEMO-1', 'DEMO-2', 'DEMO-3', 'DEMO-4', 'DEMO-5', 'DEMO-6', 'DEMO-7', 'DEMO-8', 'DEMO-9', 'DEMO-10']);
  // A redelivery of any of them finds it handled.
  expect(await moveBackNow('DEMO-9', ids[0]![1])).toEqual({ kind: 'already-undone' });
});

it('passes over an old neighbour that moved too, for the next one still in place', async () => {
  jira.userChanges(PEOPLE.po, 'DEMO-6', { field: 'rank', anchor: { before: 'DEMO-1' } });
  const id = jira.userChanges(PEOPLE.stakeholder, 'DEMO-5', { field: 'rank', anchor: { before: 'DEMO-2' } });
  expect(await moveBackNow('DEMO-5', id)).toEqual({ kind: 'moved-back', anchor: { before: 'DEMO-7' } });
  expect(jira.order().slice(4)).toEqual(['DEMO-4', 'DEMO-5', 'DEMO-7', 'DEMO-8', 'DEMO-9', 'DEMO-10']);
});

it('asks again when Jira is busy before the move, and counts the move as done when only the read after it fails', async () => {
  const id = jira.userChanges(PEOPLE.stakeholder, 'DEMO-4', { field: 'rank', anchor: { before: 'DEMO-1' } });
  const issue = (await jira.readIssue('DEMO-4', FAKE_FIELDS, { changelog: true }))!;
  jira.fail('currentRanks', 1);
  await expect(moveBack(issue, 'DEMO', id, RANK, { jira, ranks })).rejects.toThrow(JiraUnavailableError);
  expect(jira.count('rank')).toBe(0);
  const answer = jira.currentRanks.bind(jira);
  let reads = 0;
  jira.currentRanks = (keys, field) => (++reads === 2 ? Promise.reject(new JiraUnavailableError(503, 'currentRanks', 1)) : answer(keys, field));
  expect((await moveBack(issue, 'DEMO', id, RANK, { jira, ranks })).kind).toBe('moved-back');
  expect(jira.order().slice(0, 5)).toEqual(['DEMO-1', 'DEMO-2', 'DEMO-3', 'DEMO-4', 'DEMO-5']);
  // Without the new value the entry keeps the old one, which Jira no longer has: not trusted as a neighbour.
  expect(await ranks.get(issue.id)).toMatchObject({ changelogId: id, rank: '0|000004000000:' });
});

it('does not move an item that moved again since, nor one the app has never seen', async () => {
  const id = jira.userChanges(PEOPLE.stakeholder, 'DEMO-3', { field: 'rank', anchor: { before: 'DEMO-1' } });
  const issue = (await jira.readIssue('DEMO-3', FAKE_FIELDS, { changelog: true }))!;
  await ranks.put({ ...(await ranks.get(issue.id))!, changelogId: String(Number(id) + 1) });
  expect(await moveBack(issue, 'DEMO', id, RANK, { jira, ranks })).toEqual({ kind: 'skipped', reason: 'the item moved again since' });
  ranks.entries.delete(issue.id);
  expect(await moveBack(issue, 'DEMO', id, RANK, { jira, ranks })).toMatchObject({ kind: 'skipped', reason: expect.stringMatching(/had not seen this item/) });
  expect(jira.count('rank')).toBe(0);
});

it('follows the moves it leaves standing, keeps what is newer, and learns a new item', async () => {
  const first = jira.userChanges(PEOPLE.po, 'DEMO-8', { field: 'rank', anchor: { before: 'DEMO-2' } });
  const second = jira.userChanges(PEOPLE.po, 'DEMO-8', { field: 'rank', anchor: { before: 'DEMO-5' } });
  const issue = async () => jira.readIssue('DEMO-8', FAKE_FIELDS, { changelog: true });
  await followRankEvent('DEMO', RANK, { changelogId: second, issue: await issue(), watched: true, movedBack: false, judged: true }, { jira, ranks });
  const entry = await ranks.get(jira.items.get('DEMO-8')!.id);
  await followRankEvent('DEMO', RANK, { changelogId: first, issue: await issue(), watched: true, movedBack: false, judged: true }, { jira, ranks });
  expect(await ranks.get(jira.items.get('DEMO-8')!.id)).toEqual(entry);
  expect(entry).toMatchObject({ changelogId: second, rank: jira.items.get('DEMO-8')!.rank });

  jira.seed('DEMO', 1);
  const created = jira.items.get('DEMO-11')!;
  await learnNewItem(created.id, 'DEMO', FAKE_FIELDS, { jira, ranks });
  expect(await ranks.get(created.id)).toMatchObject({ issueKey: 'DEMO-11', rank: created.rank, changelogId: '0' });

  await followRankEvent('DEMO', RANK, { changelogId: second, issue: await issue(), watched: false, movedBack: false, judged: true }, { jira, ranks });
  expect(await ranks.isSeeded('DEMO')).toBe(false);
});
