/**
 * What a warm event costs (Forge invocations, Jira calls, storage operations), and the violation log
 * on MariaDB through the real handlers.
 */
import { describeMariaDb, dropDatabase, freshDatabase } from '../support/mariadb';
import { appContractProblems, startHarness, type Harness } from './harness';

describe('cost of an event with warm caches', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    expect(appContractProblems(h.sandbox)).toEqual([]);
    await h.close();
  });

  it('an irrelevant update does not invoke the app; an allowed one reads nothing, a violation two SQL requests and one Jira call', async () => {
    await h.saveConfig({ 'priority-change': 'flag' });
    // Warm up: field discovery and the actor's roles.
    await h.act('olivia', { action: 'edit', issue: 'DEMO-12', fields: { priority: { name: 'High' } } });
    await h.act('dana', { action: 'edit', issue: 'DEMO-12', fields: { priority: { name: 'Low' } } });
    await h.settle();

    h.sandbox.host.resetCounters();
    await h.act('dana', { action: 'edit', issue: 'DEMO-13', fields: { summary: 'A clearer title' } });
    await h.settle();
    expect(h.sandbox.host.counters().invocations).toEqual({});

    // Allowed: judged by the config this container read less than a minute ago, nothing to record.
    h.sandbox.host.resetCounters();
    await h.act('olivia', { action: 'edit', issue: 'DEMO-13', fields: { priority: { name: 'Highest' } } });
    await h.settle();
    let counters = h.sandbox.host.counters();
    expect(counters.invocations).toEqual({ 'srg-issue-updated': 1 });
    expect(counters.productRequests.asApp).toBe(0);
    expect(counters.kvs).toEqual({ reads: 0, writes: 0 });
    expect(counters.sqlStatements).toBe(0);

    // A violation: one row written with the item's sprint (read because a violation is recorded), the
    // work item's summary read in one query, and its property: two Jira calls.
    h.sandbox.host.resetCounters();
    await h.act('dana', { action: 'edit', issue: 'DEMO-13', fields: { priority: { name: 'Lowest' } } });
    await h.settle();
    counters = h.sandbox.host.counters();
    expect(counters.productRequests.asApp).toBe(2);
    expect(counters.kvs.reads).toBe(0);
    expect(counters.sqlStatements).toBe(2);
    console.info(`warm violating event: ${JSON.stringify(counters)}`);
    const property = h.sandbox.site.findIssue('DEMO-13')!.properties.get('scrum-role-guard-summary') as { openCount: number; latest: { rule: string }[] };
    expect(property.openCount).toBe(1);
    expect(property.latest.map((l) => l.rule)).toEqual(['priority-change']);
  });
});

describeMariaDb('the violation log on MariaDB', () => {
  let h: Harness;
  let url: string;
  beforeAll(async () => {
    url = await freshDatabase('enforcement');
  });
  afterAll(async () => {
    await dropDatabase(url);
  });
  beforeEach(async () => {
    h = await startHarness({ sqlUrl: url });
  });
  afterEach(async () => {
    h.sandbox.host.setChaos(null);
    await h.close();
  });

  it('records each violation once under duplicated delivery, and the undo once', async () => {
    await h.saveConfig({ 'backlog-rank': 'block', 'estimate-change': 'flag' });
    const first = h.backlog();
    await h.act('olivia', { action: 'rank', issue: first[1]!, before: first[0]! });
    await h.settle();
    const order = h.backlog();
    h.sandbox.host.setChaos({ duplicate: true, shuffle: true, delayMs: [0, 20], seed: 5 });
    await h.act('stella', { action: 'rank', issue: order[3]!, before: order[0]! });
    await h.act('stella', { action: 'edit', issue: 'DEMO-12', fields: { customfield_10016: 8 } });
    await h.settle();
    expect(h.backlog()).toEqual(order);
    const rows = await h.violations();
    expect(rows.map((r) => [r.rule, r.outcome]).sort()).toEqual([
      ['backlog-rank', 'reverted'],
      ['estimate-change', 'flagged'],
    ]);
    expect(appContractProblems(h.sandbox)).toEqual([]);
  });
});
