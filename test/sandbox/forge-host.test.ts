/**
 * The local Forge host runs the fixture app's real handlers with the real @forge/* clients:
 * actors reach the product side, triggers are filtered and retried as Forge does, the chaos switch
 * duplicates, delays and reorders, queues reach consumers, settle() waits for all of it.
 */
import { EmbeddedSqlEngine, ForgeHost, scaledClock, type ProductRequest } from '../../sandbox/forge';
import { FIXTURE_APP, recordingProduct, temporaryDataDir } from '../fixtures/forge-app/harness';
import { resetSeen, seen } from '../fixtures/forge-app/src/recorder';

const updated = (fieldId: string, issueKey = 'DEMO-1', changelogId = '100') => ({
  issue: { id: '10001', key: issueKey, fields: {} },
  atlassianId: 'dev-1',
  changelog: { id: changelogId, items: [{ field: fieldId, fieldId, fieldtype: 'jira', from: '1', fromString: 'a', to: '2', toString: 'b' }] },
});

async function makeHost(options: { timeScale?: number; invocationTimeoutMs?: number } = {}) {
  const product = recordingProduct();
  const host = new ForgeHost({
    appDir: FIXTURE_APP,
    dataDir: temporaryDataDir(),
    productFetch: product.productFetch,
    sql: await EmbeddedSqlEngine.open(undefined),
    clock: scaledClock(options.timeScale ?? 0.001),
    ...(options.invocationTimeoutMs !== undefined ? { invocationTimeoutMs: options.invocationTimeoutMs } : {}),
  });
  return { host, requests: product.requests };
}

beforeEach(() => resetSeen());

describe('product requests', () => {
  it('sends asUser() with the invoking account and asApp() as the app', async () => {
    const { host, requests } = await makeHost();
    const result = await host.invokeFunction('who-am-i', {}, {}, { accountId: 'po-1' });
    expect(result).toEqual({ asUser: { accountId: 'po-1' }, asUserStatus: 200, asAppStatus: 204 });
    expect(requests.map((r: ProductRequest) => [r.actor, r.method, r.path])).toEqual([
      [{ kind: 'user', accountId: 'po-1' }, 'GET', '/rest/api/3/myself'],
      [{ kind: 'app' }, 'PUT', '/rest/api/3/issue/DEMO-1'],
    ]);
    expect(requests[1]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(requests[1]!.body!)).toEqual({ fields: { priority: { name: 'High' } } });
    expect(host.counters().productRequests).toEqual({ asApp: 1, asUser: 1 });
  });

  it('refuses asUser() without a user the way Forge does, and names what it does not serve', async () => {
    const { host, requests } = await makeHost();
    expect(await host.invokeFunction('as-user-without-user', {})).toBe('NEEDS_AUTHENTICATION_ERR');
    expect(await host.invokeFunction('unsupported-call', {})).toMatch(/does not serve .*"provider":"none".*asApp\(\) or asUser\(\)/);
    expect(requests).toHaveLength(0);
  });

  it('gives each overlapping invocation its own runtime', async () => {
    const { host } = await makeHost();
    const [slow, fast] = await Promise.all([
      host.invokeFunction('runtime-snapshot', { waitMs: 50 }, {}, { moduleKey: 'first', accountId: 'a-1' }),
      host.invokeFunction('runtime-snapshot', {}, {}, { moduleKey: 'second', accountId: 'a-2' }),
    ]);
    expect(slow).toMatchObject({ moduleKey: 'first', sameInvocation: true, accountId: 'a-1' });
    expect(fast).toMatchObject({ moduleKey: 'second', sameInvocation: true, accountId: 'a-2' });
    const remaining = (slow as { remaining: number }).remaining;
    expect(remaining).toBeGreaterThan(24_000);
    expect(remaining).toBeLessThanOrEqual(25_000);
    expect((slow as { installation: string }).installation).toMatch(/^ari:cloud:ecosystem::installation\//);
    expect(host.counters().invocations).toEqual({ first: 1, second: 1 });
  });

  it('stops a function at its time limit', async () => {
    const { host } = await makeHost({ invocationTimeoutMs: 30 });
    await expect(host.invokeFunction('slow', { ms: 200 })).rejects.toThrow(/ran longer than 30 ms/);
  });
});

describe('product events', () => {
  it('does not invoke an ignoreSelf trigger for the app’s own change, and marks selfGenerated', async () => {
    const { host } = await makeHost();
    const own = host.deliverEvent('avi:jira:updated:issue', updated('status'), { byApp: true });
    expect(own).toEqual({ deliveredTo: [], skipped: [{ moduleKey: 'on-issue-updated', reason: expect.stringMatching(/ignoreSelf/) }] });
    host.deliverEvent('avi:jira:created:issue', { issue: { key: 'DEMO-30' } }, { byApp: true });
    host.deliverEvent('avi:jira:updated:issue', updated('status'), { byApp: false });
    await host.settle();
    expect(seen.map((s) => [s.moduleKey, s.payload.selfGenerated, s.payload.eventType])).toEqual(
      expect.arrayContaining([
        ['on-issue-created', true, 'avi:jira:created:issue'],
        ['on-issue-updated', false, 'avi:jira:updated:issue'],
      ]),
    );
    expect(seen).toHaveLength(2);
    const context = seen.find((s) => s.moduleKey === 'on-issue-updated')!.context;
    expect(context).toMatchObject({ moduleKey: 'on-issue-updated', installContext: expect.stringMatching(/^ari:cloud:jira::site\//), cloudId: expect.any(String) });
  });

  it('drops an event the filter expression rules out', async () => {
    const { host } = await makeHost();
    const irrelevant = host.deliverEvent('avi:jira:updated:issue', updated('summary'), { byApp: false });
    expect(irrelevant.deliveredTo).toEqual([]);
    expect(irrelevant.skipped[0]!.reason).toMatch(/expression is false/);
    host.deliverEvent('avi:jira:updated:issue', updated('priority'), { byApp: false });
    await host.settle();
    expect(seen.map((s) => (s.payload.changelog as { items: Array<{ fieldId: string }> }).items[0]!.fieldId)).toEqual(['priority']);
    // An event the expression cannot read (no changelog): Forge's default onError is IGNORE_AND_LOG.
    const broken = host.deliverEvent('avi:jira:updated:issue', { issue: { key: 'DEMO-2' } }, { byApp: false });
    expect(broken.skipped[0]!.reason).toMatch(/onError IGNORE_AND_LOG/);
  });

  it('retries an InvocationError with retryContext after the asked delay and gives up after 4 retries', async () => {
    const { host } = await makeHost({ timeScale: 0.001 });
    const started = Date.now();
    host.deliverEvent('avi:jira:started:sprint', { sprint: { id: 1 } }, { byApp: false });
    await host.settle();
    const elapsed = Date.now() - started;
    expect(seen.map((s) => s.payload.retryContext ?? null)).toEqual([
      null,
      { retryCount: 1, retryReason: 'FUNCTION_UPSTREAM_RATE_LIMITED', retryData: { tried: 1 } },
      { retryCount: 2, retryReason: 'FUNCTION_UPSTREAM_RATE_LIMITED', retryData: { tried: 2 } },
      { retryCount: 3, retryReason: 'FUNCTION_UPSTREAM_RATE_LIMITED', retryData: { tried: 3 } },
      { retryCount: 4, retryReason: 'FUNCTION_UPSTREAM_RATE_LIMITED', retryData: { tried: 4 } },
    ]);
    // retryAfter 30 s four times, at a thousandth of the time: at least 120 ms.
    expect(elapsed).toBeGreaterThanOrEqual(115);
    const outcomes = host.deliveries().filter((d) => d.moduleKey === 'flaky-on-sprint').map((d) => d.outcome);
    expect(outcomes).toEqual(['retry-requested', 'retry-requested', 'retry-requested', 'retry-requested', 'retry-requested', 'gave-up']);
  });

  it('retries a handler that throws, and stops once it succeeds', async () => {
    const { host } = await makeHost();
    host.deliverEvent('avi:jira:started:sprint', { sprint: { id: 2 }, succeedOn: 2, throwInstead: true }, { byApp: false });
    await host.settle();
    expect(seen.map((s) => (s.payload.retryContext as { retryCount: number; retryReason: string } | undefined)?.retryReason ?? null)).toEqual([
      null,
      'FUNCTION_PLATFORM_UNKNOWN_ERROR',
      'FUNCTION_PLATFORM_UNKNOWN_ERROR',
    ]);
    expect(host.deliveries().map((d) => d.outcome)).toEqual(['failed', 'failed', 'delivered']);
  });

  it('delivers every event twice, late and out of order when the chaos switch is on', async () => {
    const { host } = await makeHost({ timeScale: 1 });
    host.setChaos({ duplicate: true, delayMs: [5, 40], shuffle: true, seed: 7 });
    const sent = Date.now();
    for (let n = 1; n <= 6; n++) host.deliverEvent('avi:jira:updated:issue', updated('status', `DEMO-${n}`, String(n)), { byApp: false });
    expect(seen).toHaveLength(0);
    await host.settle();
    const order = seen.map((s) => (s.payload.changelog as { id: string }).id);
    expect(order).toHaveLength(12);
    for (let n = 1; n <= 6; n++) expect(order.filter((id) => id === String(n))).toHaveLength(2);
    expect(order).not.toEqual([...order].sort((a, b) => Number(a) - Number(b)));
    expect(host.deliveries().every((d) => d.at - sent >= 5)).toBe(true);
  });

  it('shuffles reproducibly: the same seed gives the same order, another seed another', async () => {
    const orderFor = async (seed: number) => {
      resetSeen();
      const { host } = await makeHost();
      host.setChaos({ duplicate: false, shuffle: true, seed });
      for (let n = 1; n <= 8; n++) host.deliverEvent('avi:jira:updated:issue', updated('status', `DEMO-${n}`, String(n)), { byApp: false });
      await host.settle();
      return seen.map((s) => (s.payload.changelog as { id: string }).id);
    };
    const first = await orderFor(42);
    expect([...first].sort()).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(first).not.toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(await orderFor(42)).toEqual(first);
    expect(await orderFor(43)).not.toEqual(first);
  });
});

describe('queues, settle, resolvers, validators, scheduled triggers', () => {
  it('delivers a queue push to the consumer, and settle() waits for events that push more work', async () => {
    const { host } = await makeHost();
    host.deliverEvent('avi:jira:closed:sprint', { sprint: 'S1', items: 3 }, { byApp: false });
    await host.settle();
    const consumed = seen.filter((s) => s.moduleKey === 'bulk-consumer');
    expect(consumed.map((s) => (s.payload.body as { index: number }).index).sort()).toEqual([0, 1, 2]);
    const jobId = seen.find((s) => s.moduleKey === 'pushed')!.payload.jobId;
    expect(consumed.every((s) => s.payload.jobId === jobId && s.payload.queueName === 'bulk-work' && typeof s.payload.eventId === 'string')).toBe(true);
    expect(host.counters()).toMatchObject({ queuePushes: 1, invocations: { 'push-on-sprint-closed': 1, 'bulk-consumer': 3 } });
  });

  it('invokes a resolver the way Custom UI invoke() does', async () => {
    const { host } = await makeHost();
    const answer = await host.invokeResolver('panel', 'getGreeting', { name: 'Priya' }, { accountId: 'sm-1', extension: { issue: { key: 'DEMO-4' } } });
    expect(answer).toEqual({ greeting: 'Hello Priya', accountId: 'sm-1', issueKey: 'DEMO-4', moduleKey: 'guard-panel' });
    await expect(host.invokeResolver('guard-panel', 'noSuchFunction', {}, { accountId: 'sm-1', extension: {} })).rejects.toThrow(/no definition for 'noSuchFunction'/);
  });

  it('runs a workflow validator function and a scheduled trigger', async () => {
    const { host } = await makeHost();
    expect(await host.runWorkflowValidator('role-validator', { issue: { key: 'DEMO-13' } })).toEqual({ result: false, errorMessage: expect.stringMatching(/status-change/) });
    expect(await host.runWorkflowValidator('role-validator', { issue: { key: 'DEMO-1' } })).toEqual({ result: true });
    await host.runScheduled('nightly');
    expect(seen[0]).toMatchObject({ moduleKey: 'nightly', payload: { context: { moduleKey: 'nightly', cloudId: expect.any(String) }, contextToken: expect.any(String) } });
  });

  it('counts and resets', async () => {
    const { host } = await makeHost();
    await host.invokeFunction('kvs-round-trip', { key: 'k1', value: 1 });
    expect(host.counters()).toMatchObject({ kvs: { reads: 1, writes: 1 }, invocations: { 'kvs-round-trip': 1 } });
    host.resetCounters();
    expect(host.counters()).toEqual({ invocations: {}, productRequests: { asApp: 0, asUser: 0 }, kvs: { reads: 0, writes: 0 }, sqlStatements: 0, queuePushes: 0, queueRefusals: 0 });
  });
});
