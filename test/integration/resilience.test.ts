/**
 * Enforcement when the world is not tidy, through the real handlers on the sandbox: events delivered
 * twice, late and out of order (the host's chaos switch), an undo racing a new legitimate change, Jira
 * answering 429 and 500 (the local Jira's faults), and an actor whose roles cannot be resolved.
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

describe('redelivered and out-of-order events', () => {
  it('logs every violation once and undoes each forbidden change once, whatever the order and however often events arrive', async () => {
    await h.saveConfig({ 'backlog-rank': 'block', 'priority-change': 'block', 'estimate-change': 'flag', 'item-create': 'flag' });
    const order = await teachOrder();
    const priorityBefore = h.sandbox.site.issueState('DEMO-13').priority;

    h.sandbox.host.setChaos({ duplicate: true, shuffle: true, delayMs: [0, 30], seed: 7 });
    await h.act('stella', { action: 'rank', issue: order[5]!, before: order[0]! });
    await h.act('dana', { action: 'edit', issue: 'DEMO-13', fields: { priority: { name: 'Highest' } } });
    await h.act('stella', { action: 'edit', issue: 'DEMO-12', fields: { customfield_10016: 40 } });
    await h.act('stella', { action: 'create', summary: 'A stakeholder idea, delivered twice', type: 'Story' });
    await h.settle();
    h.sandbox.host.setChaos(null);

    // Every product event really did arrive twice.
    const delivered = h.sandbox.host.deliveries().filter((d) => d.kind === 'trigger' && d.outcome === 'delivered');
    expect(delivered.filter((d) => d.topic === 'avi:jira:created:issue').length).toBe(2);

    const rows = await h.violations();
    expect(rows.map((r) => [r.rule, r.outcome]).sort()).toEqual(
      [
        ['backlog-rank', 'reverted'],
        ['estimate-change', 'flagged'],
        ['item-create', 'flagged'],
        ['priority-change', 'reverted'],
      ].sort(),
    );
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    // The order as it was (the new item joins the backlog at its foot, which is Jira's doing).
    expect(h.backlog().filter((key) => order.includes(key))).toEqual(order);
    expect(h.sandbox.site.issueState('DEMO-13').priority).toBe(priorityBefore);
    // One undo each, not one per delivery.
    expect(appRequests('PUT', /^\/rest\/agile\/1\.0\/issue\/rank$/)).toBe(1);
    expect(appRequests('PUT', /^\/rest\/api\/3\/issue\/DEMO-13$/)).toBe(1);
  });

  it('undoes only the newest of two forbidden edits of one field, whichever order their late events arrive in', async () => {
    await h.saveConfig({ 'estimate-change': 'block' });
    // Both edits happen before either event is delivered; the shuffle hands them over in a seeded order.
    h.sandbox.host.setChaos({ duplicate: false, shuffle: true, delayMs: [40, 40], seed: 3, shuffleWindowMs: 200 });
    await h.act('stella', { action: 'edit', issue: 'DEMO-12', fields: { customfield_10016: 13 } });
    await h.act('stella', { action: 'edit', issue: 'DEMO-12', fields: { customfield_10016: 21 } });
    await h.settle();
    h.sandbox.host.setChaos(null);

    const rows = byRule(await h.violations(), 'estimate-change');
    expect(rows.map((r) => [r.fromString ?? '', r.toString, r.outcome]).sort()).toEqual(
      [
        [expect.any(String), '13', 'revert-skipped'],
        ['13', '21', 'reverted'],
      ].sort(),
    );
    // The newest change was undone (back to 13); the older one was left, since the field changed again after it.
    expect(h.sandbox.site.issueState('DEMO-12').estimate).toBe(13);
    expect(appRequests('PUT', /^\/rest\/api\/3\/issue\/DEMO-12$/)).toBe(1);
  });
});

describe('an undo racing a new legitimate change', () => {
  it('leaves a rank alone when the Product Owner moved the item again before the app got to it', async () => {
    await h.saveConfig({ 'backlog-rank': 'block' });
    const order = await teachOrder();
    const item = order[6]!;
    // Events arrive late: both moves are made before the app hears of the first.
    h.sandbox.host.setChaos({ duplicate: false, shuffle: false, delayMs: [50, 50] });
    await h.act('stella', { action: 'rank', issue: item, before: order[0]! });
    await h.act('olivia', { action: 'rank', issue: item, before: order[3]! });
    await h.settle();
    h.sandbox.host.setChaos(null);

    const after = h.backlog();
    expect(after.indexOf(item)).toBe(after.indexOf(order[3]!) - 1);
    expect(byRule(await h.violations(), 'backlog-rank')).toEqual([expect.objectContaining({ issueKey: item, outcome: 'revert-skipped', actor: h.accountOf('stella') })]);
    expect(appRequests('PUT', /^\/rest\/agile\/1\.0\/issue\/rank$/)).toBe(0);
  });

  it('leaves a field alone when it was changed again, legitimately, before the undo', async () => {
    await h.saveConfig({ 'priority-change': 'block' });
    h.sandbox.host.setChaos({ duplicate: false, shuffle: false, delayMs: [50, 50] });
    await h.act('dana', { action: 'edit', issue: 'DEMO-13', fields: { priority: { name: 'Highest' } } });
    await h.act('olivia', { action: 'edit', issue: 'DEMO-13', fields: { priority: { name: 'Low' } } });
    await h.settle();
    h.sandbox.host.setChaos(null);

    const lowId = h.sandbox.site.issueState('DEMO-13').priority;
    expect(byRule(await h.violations(), 'priority-change')).toEqual([expect.objectContaining({ outcome: 'revert-skipped', actor: h.accountOf('dana') })]);
    expect(h.sandbox.site.issueState('DEMO-13').priority).toBe(lowId);
    expect(appRequests('PUT', /^\/rest\/api\/3\/issue\/DEMO-13$/)).toBe(0);
  });
});

describe('Jira answering 429 and 500', () => {
  it('asks Forge for a retry after the time Jira names on 429, then judges the event once', async () => {
    await h.saveConfig({ 'priority-change': 'block' });
    const before = h.sandbox.site.issueState('DEMO-13').priority;
    const fault = h.sandbox.site.faults.add({ method: 'GET', pathPattern: /^\/rest\/api\/3\/issue\/\d+/, status: 429, retryAfterSeconds: 2, times: 1 });
    await h.act('dana', { action: 'edit', issue: 'DEMO-13', fields: { priority: { name: 'Highest' } } });
    await h.settle();

    expect(fault.hits).toBe(1);
    // (The app's own put-back is dropped by ignoreSelf and not counted here.)
    const attempts = h.sandbox.host.deliveries().filter((d) => d.topic === 'avi:jira:updated:issue' && d.kind === 'trigger' && d.outcome !== 'ignored-self');
    expect(attempts.map((d) => [d.attempt, d.outcome])).toEqual([
      [0, 'retry-requested'],
      [1, 'delivered'],
    ]);
    // Retry-After honoured: the retry came no sooner than Jira asked.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(1900);
    expect(h.sandbox.site.issueState('DEMO-13').priority).toBe(before);
    expect(byRule(await h.violations(), 'priority-change')).toEqual([expect.objectContaining({ outcome: 'reverted' })]);
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

  it('records an event whose actor cannot be resolved as unjudgeable, and undoes nothing on a guess', async () => {
    await h.saveConfig({ 'priority-change': 'block' });
    // Group membership stays unavailable through every retry Forge allows.
    h.sandbox.site.faults.add({ method: 'GET', pathPattern: /^\/rest\/api\/3\/user\/groups/, status: 503, retryAfterSeconds: 1, times: 20 });
    await h.act('dana', { action: 'edit', issue: 'DEMO-13', fields: { priority: { name: 'Highest' } } });
    const highest = h.sandbox.site.issueState('DEMO-13').priority;
    await h.settle();

    const attempts = h.sandbox.host.deliveries().filter((d) => d.topic === 'avi:jira:updated:issue' && d.kind === 'trigger');
    expect(attempts.map((d) => d.outcome)).toEqual(['retry-requested', 'retry-requested', 'retry-requested', 'retry-requested', 'delivered']);
    expect(byRule(await h.violations(), 'priority-change')).toEqual([expect.objectContaining({ outcome: 'unjudgeable', actor: h.accountOf('dana'), actorRoles: [] })]);
    expect(appRequests('PUT', /^\/rest\/api\/3\/issue\/DEMO-13$/)).toBe(0);
    expect(h.sandbox.site.issueState('DEMO-13').priority).toBe(highest);
  });
});
