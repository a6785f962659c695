/**
 * Edges of the undo, through the real handlers on the sandbox (delivery-and-faults.test.ts has the
 * common cases): two forbidden edits of one field arriving late in either order, a put-back that Jira
 * fails in the queue consumer, and the app's knowledge of the order staying true while the rank rules
 * are switched between off, flag and block.
 */
import { appContractProblems, startHarness, type Harness } from './harness';

jest.setTimeout(120_000);

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  h.sandbox.host.setChaos(null);
  await h.settle();
  expect(appContractProblems(h.sandbox)).toEqual([]);
  await h.close();
});

const byRule = <T extends { rule: string }>(rows: T[], rule: string): T[] => rows.filter((r) => r.rule === rule);

/** Requests the app itself made to the local Jira (method and path, query stripped). */
function appRequests(method: string, pathPattern: RegExp): number {
  const app = h.accountOf('app');
  return h.sandbox.site.requestLog.filter((r) => r.actor === app && r.method === method && pathPattern.test(r.path.split('?')[0]!)).length;
}

/** An allowed move by the Product Owner: the app seeds its knowledge of the order from it. */
async function teachOrder(): Promise<string[]> {
  const original = h.backlog();
  await h.act('olivia', { action: 'rank', issue: original[0]!, before: original[1]! });
  await h.settle();
  return h.backlog();
}

describe('late events and failures', () => {
  it('undoes only the newest of two forbidden edits of one field, whichever order their late events arrive in', async () => {
    await h.saveConfig({ 'estimate-change': 'block' });
    // Both edits happen before either event is delivered; the shuffle hands them over in a seeded order.
    h.sandbox.host.setChaos({ duplicate: false, shuffle: true, delayMs: [40, 40], seed: 3, shuffleWindowMs: 200 });
    await h.act('stella', { action: 'edit', issue: 'DEMO-12', fields: { customfield_10016: 13 } });
    await h.act('stella', { action: 'edit', issue: 'DEMO-12', fields: { customfield_10016: 21 } });
    await h.settle();
    h.sandbox.host.setChaos(null);

    const rows = byRule(await h.violations(), 'estimate-change');
    const byValue = [...rows].sort((a, b) => Number(a.toText) - Number(b.toText));
    expect(byValue.map((r) => [r.toText, r.outcome])).toEqual([
      ['13', 'revert-skipped'],
      ['21', 'reverted'],
    ]);
    expect(byValue[1]!.fromText).toBe('13');
    // The newest change was undone (back to 13); the older one was left, since the field changed again after it.
    expect(h.sandbox.site.issueState('DEMO-12').estimate).toBe(13);
    expect(appRequests('PUT', /^\/rest\/api\/3\/issue\/DEMO-12$/)).toBe(1);
  });

  it('retries a put-back that Jira failed with 500, and puts the item back once', async () => {
    await h.saveConfig({ 'backlog-rank': 'block' });
    const order = await teachOrder();
    // The event arrives a moment late, so the fault is in place for the app's put-back, not for Stella's move.
    h.sandbox.host.setChaos({ duplicate: false, shuffle: false, delayMs: [50, 50] });
    await h.act('stella', { action: 'rank', issue: order[4]!, before: order[0]! });
    const fault = h.sandbox.site.faults.add({ method: 'PUT', pathPattern: /^\/rest\/agile\/1\.0\/issue\/rank$/, status: 500, retryAfterSeconds: 1, times: 1 });
    await h.settle();

    expect(fault.hits).toBe(1);
    const consumer = h.sandbox.host.deliveries().filter((d) => d.kind === 'consumer' && d.moduleKey === 'srg-enforcement-consumer');
    expect(consumer.map((d) => d.outcome)).toContain('retry-requested');
    expect(consumer.at(-1)!.outcome).toBe('delivered');
    expect(h.backlog()).toEqual(order);
    const rows = byRule(await h.violations(), 'backlog-rank');
    expect(rows).toEqual([expect.objectContaining({ issueKey: order[4], outcome: 'reverted' })]);
    // The failed attempt and the successful one: no third put-back.
    expect(appRequests('PUT', /^\/rest\/agile\/1\.0\/issue\/rank$/)).toBe(2);
  });
});

describe("the app's knowledge of the order while the rank rules change mode", () => {
  it('follows allowed moves made while backlog-rank only flags, so a later put-back lands where the item really was', async () => {
    await h.saveConfig({ 'backlog-rank': 'block' });
    await teachOrder();
    // In flag mode the Product Owner moves an item far up: the move stands, and the app must learn it.
    await h.saveConfig({ 'backlog-rank': 'flag' });
    const before = h.backlog();
    const item = before[5]!;
    await h.act('olivia', { action: 'rank', issue: item, before: before[1]! });
    await h.settle();
    const order = h.backlog();
    expect(order.indexOf(item)).toBe(1);

    await h.saveConfig({ 'backlog-rank': 'block' });
    await h.act('stella', { action: 'rank', issue: item, after: order.at(-1)! });
    await h.settle();
    expect(h.backlog()).toEqual(order);
    expect(byRule(await h.violations(), 'backlog-rank')).toEqual([expect.objectContaining({ issueKey: item, mode: 'block', outcome: 'reverted' })]);
  });

  it('does not trust what it knew before the rank rules were switched off: it learns the order again rather than put an item back in a stale place', async () => {
    await h.saveConfig({ 'backlog-rank': 'block' });
    await teachOrder();
    await h.saveConfig({ 'backlog-rank': 'off', 'sprint-rank': 'off' });
    const before = h.backlog();
    const item = before[5]!;
    await h.act('olivia', { action: 'rank', issue: item, before: before[1]! });
    await h.settle();
    const order = h.backlog();

    await h.saveConfig({ 'backlog-rank': 'block' });
    await h.act('stella', { action: 'rank', issue: item, after: order.at(-1)! });
    await h.settle();
    // Put back next to where the Product Owner left it, or left alone with the reason logged; never
    // put back where it was before the rules were switched off.
    const rows = byRule(await h.violations(), 'backlog-rank');
    expect(rows).toEqual([expect.objectContaining({ issueKey: item, mode: 'block', outcome: expect.stringMatching(/^(reverted|revert-skipped)$/) })]);
    const after = h.backlog();
    if (rows[0]!.outcome === 'reverted') expect(after).toEqual(order);
    else expect(after.at(-1)).toBe(item);
    expect(after.indexOf(item)).not.toBe(before.indexOf(item));
  });
});

describe('work items created after the order was learnt', () => {
  it('are known to the app, so a forbidden first move of one is put back', async () => {
    await h.saveConfig({ 'backlog-rank': 'block' });
    await teachOrder();
    await h.act('olivia', { action: 'create', summary: 'A fresh backlog item', type: 'Story' });
    await h.settle();
    const order = h.backlog();
    const fresh = order.at(-1)!;
    expect(h.sandbox.site.issueState(fresh).summary).toBe('A fresh backlog item');

    await h.act('stella', { action: 'rank', issue: fresh, before: order[0]! });
    await h.settle();
    expect(h.backlog()).toEqual(order);
    expect(byRule(await h.violations(), 'backlog-rank')).toEqual([expect.objectContaining({ issueKey: fresh, outcome: 'reverted' })]);
  });
});

describe('rank values that grew long', () => {
  it('puts an item back between neighbours whose rank values were extended by many moves into one gap', async () => {
    await h.saveConfig({ 'backlog-rank': 'block' });
    await teachOrder();
    // The Product Owner keeps dropping items right below the top one: each new value extends the last.
    for (let i = 0; i < 30; i++) {
      const order = h.backlog();
      await h.act('olivia', { action: 'rank', issue: order.at(-1)!, after: order[0]! });
    }
    await h.settle();
    const order = h.backlog();
    expect(h.sandbox.site.issueState(order[1]!).rank.length).toBeGreaterThan(h.sandbox.site.issueState(order.at(-1)!).rank.length);
    await h.act('stella', { action: 'rank', issue: order[2]!, after: order.at(-1)! });
    await h.settle();
    expect(h.backlog()).toEqual(order);
    expect(byRule(await h.violations(), 'backlog-rank')).toEqual([expect.objectContaining({ issueKey: order[2], outcome: 'reverted' })]);
  });
});

describe('Jira unavailable through every retry Forge allows', () => {
  it('records the event as unjudgeable on the last try, and undoes nothing', async () => {
    await h.saveConfig({ 'priority-change': 'block' });
    // The item itself cannot be read, on every try.
    h.sandbox.site.faults.add({ method: 'GET', pathPattern: /^\/rest\/api\/3\/issue\/\d+\?/, status: 503, retryAfterSeconds: 1, times: 20 });
    await h.act('dana', { action: 'edit', issue: 'DEMO-13', fields: { priority: { name: 'Highest' } } });
    const highest = h.sandbox.site.issueState('DEMO-13').priority;
    await h.settle();

    const attempts = h.sandbox.host.deliveries().filter((d) => d.topic === 'avi:jira:updated:issue' && d.kind === 'trigger');
    expect(attempts.map((d) => d.outcome)).toEqual(['retry-requested', 'retry-requested', 'retry-requested', 'retry-requested', 'delivered']);
    expect(byRule(await h.violations(), 'priority-change')).toEqual([expect.objectContaining({ outcome: 'unjudgeable', actor: h.accountOf('dana') })]);
    expect(h.sandbox.site.issueState('DEMO-13').priority).toBe(highest);
    expect(appRequests('PUT', /^\/rest\/api\/3\/issue\/DEMO-13$/)).toBe(0);
  });
});
