/**
 * Forge's delivery as it really is (twice, late, out of order), undo racing a new legitimate move, Jira
 * answering 429 and 500, roles that cannot be resolved, and a bulk rank of 50 items through the queue.
 */
import { appContractProblems, startHarness, type Harness } from './harness';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  h.sandbox.host.setChaos(null);
  expect(appContractProblems(h.sandbox)).toEqual([]);
  await h.close();
});

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function retriesRequested(): number {
  return h.sandbox.host.deliveries().filter((d) => d.outcome === 'retry-requested').length;
}

/** Teaches the app the order with an allowed move (the first rank event seeds its snapshot). */
async function learnOrder(): Promise<string[]> {
  const order = h.backlog();
  await h.act('olivia', { action: 'rank', issue: order[1]!, before: order[0]! });
  await h.settle();
  return h.backlog();
}

describe('redelivered and out-of-order events', () => {
  it('judges each change once and undoes it once, whatever the delivery order', async () => {
    await h.saveConfig({ 'backlog-rank': 'block', 'priority-change': 'block' });
    const order = await learnOrder();
    const priorities = ['DEMO-12', 'DEMO-13', 'DEMO-14'].map((k) => h.sandbox.site.issueState(k).priority);
    h.sandbox.host.setChaos({ duplicate: true, shuffle: true, delayMs: [0, 30], seed: 11 });
    await h.act('stella', { action: 'rank', issue: order[5]!, before: order[0]! });
    await h.act('stella', { action: 'rank', issue: order[8]!, before: order[2]! });
    for (const key of ['DEMO-12', 'DEMO-13', 'DEMO-14']) await h.act('dana', { action: 'edit', issue: key, fields: { priority: { name: 'Lowest' } } });
    await h.settle();
    h.sandbox.host.setChaos(null);
    const rows = await h.violations();
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(rows.filter((r) => r.rule === 'priority-change').map((r) => r.outcome)).toEqual(['reverted', 'reverted', 'reverted']);
    expect(rows.filter((r) => r.rule === 'backlog-rank').map((r) => r.outcome)).toEqual(['reverted', 'reverted']);
    expect(['DEMO-12', 'DEMO-13', 'DEMO-14'].map((k) => h.sandbox.site.issueState(k).priority)).toEqual(priorities);
    expect(h.backlog()).toEqual(order);
    // Every copy was delivered, and each undo happened once: two ranks and three edits by the app.
    const appWrites = h.sandbox.site.requestLog.filter((r) => r.actor === h.sandbox.site.appAccountId && (r.method === 'PUT' && !r.path.includes('/properties/')));
    expect(appWrites.map((r) => r.path.replace(/\?.*/, '')).sort()).toEqual([
      '/rest/agile/1.0/issue/rank',
      '/rest/agile/1.0/issue/rank',
      '/rest/api/3/issue/DEMO-12',
      '/rest/api/3/issue/DEMO-13',
      '/rest/api/3/issue/DEMO-14',
    ]);
  });
});

describe('an undo racing a new legitimate move', () => {
  it('leaves the rank alone when the item moved again before the app got to it', async () => {
    await h.saveConfig({ 'backlog-rank': 'block' });
    const order = await learnOrder();
    const item = order[6]!;
    // Jira is busy for the app's first look at the stakeholder's move: the consumer retries a second later.
    h.sandbox.site.faults.add({ method: 'GET', pathPattern: /^\/rest\/api\/3\/issue\/\d+\?/, status: 429, retryAfterSeconds: 1, times: 1 });
    const retries = retriesRequested();
    await h.act('stella', { action: 'rank', issue: item, before: order[0]! });
    await until(() => retriesRequested() > retries, 'the retry request');
    await h.act('olivia', { action: 'rank', issue: item, before: order[3]! });
    await h.settle();
    const rows = await h.violations();
    expect(rows).toEqual([expect.objectContaining({ rule: 'backlog-rank', outcome: 'revert-skipped', issueKey: item })]);
    expect(h.backlog().indexOf(item)).toBe(h.backlog().indexOf(order[3]!) - 1);
  });

  it('leaves a field alone when it changed again since', async () => {
    await h.saveConfig({ 'priority-change': 'block' });
    h.sandbox.site.faults.add({ method: 'GET', pathPattern: /^\/rest\/api\/3\/issue\/\d+\?/, status: 503, retryAfterSeconds: 1, times: 1 });
    const retries = retriesRequested();
    await h.act('dana', { action: 'edit', issue: 'DEMO-12', fields: { priority: { name: 'Lowest' } } });
    await until(() => retriesRequested() > retries, 'the retry request');
    await h.act('olivia', { action: 'edit', issue: 'DEMO-12', fields: { priority: { name: 'Highest' } } });
    await h.settle();
    expect(h.sandbox.site.issueState('DEMO-12').priority).toBe('Highest');
    expect(await h.violations()).toEqual([expect.objectContaining({ rule: 'priority-change', outcome: 'revert-skipped', actor: h.accountOf('dana') })]);
  });
});

describe('Jira answering 429 and 500', () => {
  it('asks Forge for a retry after the Retry-After Jira gave, and judges once', async () => {
    await h.saveConfig({ 'priority-change': 'flag' });
    h.sandbox.site.faults.add({ method: 'GET', pathPattern: /^\/rest\/api\/3\/user\/groups/, status: 429, retryAfterSeconds: 2, times: 1 });
    const started = Date.now();
    await h.act('dana', { action: 'edit', issue: 'DEMO-13', fields: { priority: { name: 'Lowest' } } });
    await h.settle();
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    const retry = h.sandbox.host.deliveries().find((d) => d.outcome === 'retry-requested');
    expect(retry?.detail).toContain('FUNCTION_UPSTREAM_RATE_LIMITED');
    expect(await h.violations()).toEqual([expect.objectContaining({ rule: 'priority-change', outcome: 'flagged' })]);
  });

  it('retries a 500 and undoes once Jira is back', async () => {
    await h.saveConfig({ 'priority-change': 'block' });
    const before = h.sandbox.site.issueState('DEMO-13').priority;
    await h.act('dana', { action: 'edit', issue: 'DEMO-13', fields: { priority: { name: 'Lowest' } } });
    // Only the app's undo meets the failure: the Developer's own edit went through before it was set.
    h.sandbox.site.faults.add({ method: 'PUT', pathPattern: /^\/rest\/api\/3\/issue\/DEMO-13$/, status: 500, times: 1 });
    await h.settle();
    expect(retriesRequested()).toBe(1);
    expect(h.sandbox.site.issueState('DEMO-13').priority).toBe(before);
    expect(await h.violations()).toEqual([expect.objectContaining({ rule: 'priority-change', outcome: 'reverted' })]);
  });

  it('logs the event as unjudgeable, and undoes nothing, when the roles cannot be resolved', async () => {
    await h.saveConfig({ 'priority-change': 'block' });
    h.sandbox.site.faults.add({ method: 'GET', pathPattern: /^\/rest\/api\/3\/user\/groups/, status: 500, retryAfterSeconds: 1, times: 20 });
    await h.act('dana', { action: 'edit', issue: 'DEMO-14', fields: { priority: { name: 'Lowest' } } });
    await h.settle();
    expect(retriesRequested()).toBe(4);
    expect(h.sandbox.site.issueState('DEMO-14').priority).toBe('Lowest');
    expect(await h.violations()).toEqual([expect.objectContaining({ rule: 'priority-change', mode: 'block', outcome: 'unjudgeable', actorRoles: [] })]);
  }, 30_000);
});

describe('a bulk rank of 50 items', () => {
  async function fiftyItems(): Promise<string[]> {
    for (let i = 0; i < 45; i++) await h.act('olivia', { action: 'create', summary: `Backlog item ${i + 1}`, type: 'Story' });
    await h.settle();
    return h.backlog();
  }

  async function bulkRank(as: string, keys: string[], before: string): Promise<void> {
    const answer = await h.sandbox.site.handle({
      actor: { kind: 'user', accountId: h.accountOf(as) },
      method: 'PUT',
      path: '/rest/agile/1.0/issue/rank',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ issues: keys, rankBeforeIssue: before }),
    });
    expect(answer.status).toBe(204);
  }

  it('flags each of the 50 moves once, through the queue', async () => {
    await h.saveConfig({ 'backlog-rank': 'flag' });
    const order = await fiftyItems();
    expect(order.length).toBeGreaterThanOrEqual(51);
    const moved = order.slice(order.length - 50);
    h.sandbox.host.resetCounters();
    await bulkRank('stella', moved, order[0]!);
    await h.settle();
    const counters = h.sandbox.host.counters();
    const rows = (await h.violations()).filter((r) => r.rule === 'backlog-rank');
    expect(rows.length).toBe(50);
    expect(new Set(rows.map((r) => r.issueKey))).toEqual(new Set(moved));
    expect(counters.queuePushes).toBe(50);
    expect(counters.invocations['srg-enforcement-consumer']).toBe(50);
  }, 60_000);

  it('puts all 50 back in their old order in block mode', async () => {
    await h.saveConfig({ 'backlog-rank': 'block' });
    await fiftyItems();
    const order = await learnOrder();
    const moved = order.slice(order.length - 50);
    h.sandbox.host.resetCounters();
    await bulkRank('stella', moved, order[0]!);
    await h.settle();
    const counters = h.sandbox.host.counters();
    expect(h.backlog()).toEqual(order);
    const rows = (await h.violations()).filter((r) => r.rule === 'backlog-rank');
    expect(rows.map((r) => r.outcome)).toEqual(Array(50).fill('reverted'));
    console.info(`bulk rank of 50 in block mode: ${JSON.stringify(counters)}`);
  }, 60_000);
});
