/**
 * Each rule in flag and in block mode, through the real handlers on the sandbox: what is logged, what
 * is undone, and that Jira's contract held for every request the app made.
 */
import { startHarness, type Harness } from './harness';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  expect(h.sandbox.site.contractViolations).toEqual([]);
  await h.close();
});

function byRule(rows: { rule: string }[], rule: string) {
  return rows.filter((r) => r.rule === rule);
}

describe('backlog-rank', () => {
  it('flags a stakeholder reordering the backlog, and leaves the order alone', async () => {
    await h.saveConfig({ 'backlog-rank': 'flag' });
    const before = h.backlog();
    const [first, second] = before;
    await h.act('stella', { action: 'rank', issue: second!, before: first! });
    await h.settle();
    const rows = byRule(await h.violations(), 'backlog-rank');
    expect(rows).toEqual([expect.objectContaining({ rule: 'backlog-rank', mode: 'flag', outcome: 'flagged', actor: h.accountOf('stella'), issueKey: second, status: 'open' })]);
    expect(h.backlog().slice(0, 2)).toEqual([second, first]);
  });

  it('puts the item back next to its old neighbour in block mode, and logs the undo', async () => {
    await h.saveConfig({ 'backlog-rank': 'block' });
    const original = h.backlog();
    // The app learns the order from the first rank event it sees in the project (an allowed move).
    await h.act('olivia', { action: 'rank', issue: original[0]!, before: original[1]! });
    await h.settle();
    const order = h.backlog();
    await h.act('stella', { action: 'rank', issue: order[4]!, before: order[0]! });
    await h.settle();
    expect(h.backlog()).toEqual(order);
    const rows = byRule(await h.violations(), 'backlog-rank');
    expect(rows).toEqual([expect.objectContaining({ mode: 'block', outcome: 'reverted', issueKey: order[4], actor: h.accountOf('stella') })]);
    // The put-back was the app's own change: not judged again.
    expect((await h.violations()).length).toBe(1);
  });

  it('allows the Product Owner', async () => {
    await h.saveConfig({ 'backlog-rank': 'block' });
    const order = h.backlog();
    await h.act('olivia', { action: 'rank', issue: order[3]!, before: order[0]! });
    await h.settle();
    expect(await h.violations()).toEqual([]);
    expect(h.backlog()[0]).toBe(order[3]);
  });
});
