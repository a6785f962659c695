/**
 * The sandbox as a whole, driven through its HTTP API: the local Jira, the local Forge host and a
 * small fixture app (test/fixtures/sandbox-app) wired the way a Jira site and Forge are.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createSandbox, type Sandbox } from '../../sandbox/sandbox';
import { startServer, type RunningServer } from '../../sandbox/server/server';
import { describeMariaDb, dropDatabase, freshDatabase } from '../support/mariadb';

const APP = resolve(__dirname, '../fixtures/sandbox-app');
const STELLA = '712020:aa000000-0000-4000-8000-000000000005';
// The fixture app's module, loaded by the host in this same process.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fixture = require('../fixtures/sandbox-app/src/index') as { received: { eventType: string; payload: Record<string, unknown> }[] };

interface Running {
  sandbox: Sandbox;
  server: RunningServer;
  dataDir: string;
}

async function start(dataDir = mkdtempSync(join(tmpdir(), 'srg-sandbox-')), sqlUrl?: string): Promise<Running> {
  const sandbox = await createSandbox({ dataDir, appDir: APP, sqlUrl });
  const server = await startServer(sandbox, 0);
  return { sandbox, server, dataDir };
}

async function stop(running: Running): Promise<void> {
  await running.server.close();
  await running.sandbox.close();
}

async function call(running: Running, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${running.server.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text };
}

describe('the sandbox, through its API', () => {
  let running: Running;
  beforeEach(async () => {
    fixture.received.length = 0;
    running = await start();
  });
  afterEach(() => stop(running));

  it('lists the demo people with their account ids and roles', async () => {
    const { status, body } = await call(running, 'GET', '/sandbox/api/users');
    expect(status).toBe(200);
    expect(body.map((u: { handle: string }) => u.handle)).toEqual(expect.arrayContaining(['olivia', 'sam', 'dana', 'theo', 'ravi', 'stella', 'alex']));
    expect(body.find((u: { handle: string }) => u.handle === 'stella')).toMatchObject({ accountId: STELLA, demoRole: 'stakeholder' });
  });

  it('delivers a stakeholder\'s backlog reorder to the app\'s trigger with the real payload shape', async () => {
    const before = (await call(running, 'GET', '/sandbox/api/issues/DEMO-12')).body;
    const backlog = running.sandbox.site.backlogOrder();
    const target = backlog[backlog.indexOf('DEMO-12') - 1]!;
    const moved = await call(running, 'POST', '/sandbox/api/act', { as: 'stella', action: 'rank', issue: 'DEMO-12', before: target });
    expect(moved.status).toBe(200);
    expect((await call(running, 'POST', '/sandbox/api/settle')).body).toEqual({ settled: true });
    const after = (await call(running, 'GET', '/sandbox/api/issues/DEMO-12')).body;
    expect(after.backlogPosition).toBe(before.backlogPosition - 1);

    const updates = fixture.received.filter((r) => r.eventType === 'avi:jira:updated:issue');
    expect(updates).toHaveLength(1);
    const payload = updates[0]!.payload;
    expect(payload).toMatchObject({
      eventType: 'avi:jira:updated:issue',
      atlassianId: STELLA,
      selfGenerated: false,
      issue: { key: 'DEMO-12', fields: { project: { key: 'DEMO' } } },
    });
    const items = (payload['changelog'] as { id: string; items: Record<string, unknown>[] }).items;
    expect(items).toEqual([
      expect.objectContaining({ field: 'Rank', fieldtype: 'custom', fieldId: running.sandbox.site.fieldIds.rank, toString: 'Ranked higher' }),
    ]);
    // As Jira Cloud sends a rank change (test/fixtures/real-payloads/cloud-2019-ru-webhooks.jsonl): empty from and to, present.
    expect(items[0]).toMatchObject({ from: '', fromString: '', to: '' });
  });

  it('answers a validator\'s refusal with 409 and the message, and changes nothing', async () => {
    const refused = await call(running, 'POST', '/sandbox/api/act', { as: 'stella', action: 'transition', issue: 'DEMO-4', to: 'In Progress' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ ok: false, refused: true, message: expect.stringContaining('Stella may not move work items here.') });
    expect((await call(running, 'GET', '/sandbox/api/issues/DEMO-4')).body.status).toBe('To Do');
    const allowed = await call(running, 'POST', '/sandbox/api/act', { as: 'dana', action: 'transition', issue: 'DEMO-4', to: 'In Progress' });
    expect(allowed.status).toBe(200);
    expect(allowed.body.issue.status).toBe('In Progress');
  });

  it('names what is wrong with a bad request', async () => {
    expect(await call(running, 'POST', '/sandbox/api/act', { action: 'rank' })).toMatchObject({ status: 400, body: { error: expect.stringContaining('as:') } });
    expect(await call(running, 'POST', '/sandbox/api/act', { as: 'nobody', action: 'rank', issue: 'DEMO-1', before: 'DEMO-2' })).toMatchObject({ status: 404 });
    expect(await call(running, 'POST', '/sandbox/api/act', { as: 'dana', action: 'rank', issue: 'DEMO-1' })).toMatchObject({ status: 400, body: { message: expect.stringContaining('before') } });
    expect(await call(running, 'GET', '/sandbox/api/issues/DEMO-999')).toMatchObject({ status: 404 });
  });

  it('records a request of the app that Atlassian\'s description forbids', async () => {
    const module = 'sandbox-page';
    const answer = (await running.sandbox.host.invokeResolver(module, 'badRequest', {}, { accountId: STELLA, extension: {} })) as { status: number };
    expect(answer.status).toBe(400);
    expect(running.sandbox.site.contractViolations).toEqual([
      expect.objectContaining({ direction: 'request', method: 'GET', problems: [expect.objectContaining({ where: expect.stringContaining('bogus') })] }),
    ]);
  });

  it('delivers every event twice, late and out of order when asked to', async () => {
    expect((await call(running, 'PUT', '/sandbox/api/chaos', { duplicate: true, shuffle: true, delayMs: [0, 40] })).status).toBe(200);
    for (const key of ['DEMO-4', 'DEMO-5', 'DEMO-6']) {
      expect((await call(running, 'POST', '/sandbox/api/act', { as: 'dana', action: 'edit', issue: key, fields: { labels: ['chaos'] } })).status).toBe(200);
    }
    await call(running, 'POST', '/sandbox/api/settle');
    const keys = fixture.received.map((r) => (r.payload['issue'] as { key: string }).key);
    expect(keys).toHaveLength(6);
    for (const key of ['DEMO-4', 'DEMO-5', 'DEMO-6']) expect(keys.filter((k) => k === key)).toHaveLength(2);
    await call(running, 'PUT', '/sandbox/api/chaos', { duplicate: false });
  });

  it('serves Custom UI frames with the bridge in front, acting as the chosen person', async () => {
    const page = await fetch(`${running.server.url}/project/DEMO/violations?as=stella`).then((r) => r.text());
    const src = /<iframe class="app" src="([^"]+)"/.exec(page)?.[1];
    expect(src).toMatch(/^\/frame\/[0-9a-f]+\/$/);
    const frame = await fetch(`${running.server.url}${src}`).then((r) => r.text());
    expect(frame.indexOf('globalThis.__bridge')).toBeGreaterThan(0);
    expect(frame.indexOf('globalThis.__bridge')).toBeLessThan(frame.indexOf('page.js'));
    const token = /\/frame\/([0-9a-f]+)\//.exec(src!)![1];
    const bridge = (method: string, payload: unknown) => call(running, 'POST', '/sandbox/bridge', { token, method, payload });
    expect((await bridge('getContext', null)).body.result).toMatchObject({ accountId: STELLA, extension: { type: 'jira:projectPage', project: { key: 'DEMO' } } });
    expect((await bridge('invoke', { functionKey: 'whoAmI', payload: {} })).body.result).toEqual({ accountId: STELLA, jira: STELLA });
    const jira = (await bridge('fetchProduct', { product: 'jira', restPath: '/rest/api/3/myself', fetchRequestInit: { method: 'GET', headers: [] } })).body.result;
    expect(jira.status).toBe(200);
    expect(JSON.parse(jira.body).accountId).toBe(STELLA);
    expect((await call(running, 'POST', '/sandbox/bridge', { token: 'forged', method: 'getContext', payload: null })).status).toBe(403);
    expect((await fetch(`${running.server.url}/frame/${token}/..%2f..%2fmanifest.yml`)).status).toBe(403);
  });

  it('renders the Jira-like pages, escaping what people typed', async () => {
    await call(running, 'POST', '/sandbox/api/act', { as: 'olivia', action: 'create', summary: '<img src=x onerror=alert(1)>', type: 'Story' });
    const backlog = await fetch(`${running.server.url}/?as=olivia`).then((r) => r.text());
    expect(backlog).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(backlog).not.toContain('<img src=x');
    const item = await fetch(`${running.server.url}/browse/DEMO-3`).then((r) => r.text());
    expect(item).toContain('DEMO-3');
    expect(await fetch(`${running.server.url}/project/DEMO/settings`).then((r) => r.text())).toContain('does not have a settings page yet');
  });
});

describe('app storage in the sandbox', () => {
  it('survives a restart on the same data folder', async () => {
    const first = await start();
    await call(first, 'POST', '/sandbox/api/act', { as: 'dana', action: 'edit', issue: 'DEMO-4', fields: { labels: ['kept'] } });
    await call(first, 'POST', '/sandbox/api/settle');
    expect(await first.sandbox.host.invokeResolver('sandbox-page', 'eventsSeen', {}, { accountId: STELLA, extension: {} })).toEqual({ count: 1 });
    await stop(first);
    const second = await start(first.dataDir);
    try {
      expect(await second.sandbox.host.invokeResolver('sandbox-page', 'eventsSeen', {}, { accountId: STELLA, extension: {} })).toEqual({ count: 1 });
    } finally {
      await stop(second);
    }
  });

  it('runs the app\'s SQL on the embedded engine', async () => {
    const running = await start();
    try {
      expect(await running.sandbox.host.invokeResolver('sandbox-page', 'sqlRoundTrip', { id: 'n1' }, { accountId: STELLA, extension: {} })).toEqual([{ id: 'n1', body: 'a note' }]);
    } finally {
      await stop(running);
    }
  });

});

describeMariaDb('the sandbox on MariaDB', () => {
  it('runs the same SQL as on the embedded engine', async () => {
    const url = await freshDatabase('sandbox');
    const running = await start(undefined, url);
    try {
      expect(running.sandbox.sql.kind).toBe('mariadb');
      expect(await running.sandbox.host.invokeResolver('sandbox-page', 'sqlRoundTrip', { id: 'n1' }, { accountId: STELLA, extension: {} })).toEqual([{ id: 'n1', body: 'a note' }]);
    } finally {
      await stop(running);
      await dropDatabase(url);
    }
  });
});
