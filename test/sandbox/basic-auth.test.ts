/**
 * The local Jira's REST API over HTTP takes basic authentication with an e-mail address and an API
 * token, as Jira Cloud does: 401 with X-Seraph-LoginReason for a wrong one, 401 without any, and
 * Jira's own answers (contract-checked, faults included) for the right one.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiTokensOf, demoApiToken, demoEmail } from '../../sandbox/jira/basic-auth';
import { PEOPLE } from '../../sandbox/jira';
import { createSandbox, type Sandbox } from '../../sandbox/sandbox';
import { startServer, type RunningServer } from '../../sandbox/server/server';

let sandbox: Sandbox;
let server: RunningServer;
beforeAll(async () => {
  sandbox = await createSandbox({ dataDir: mkdtempSync(join(tmpdir(), 'srg-basic-auth-')) });
  server = await startServer(sandbox, 0);
});
afterAll(async () => {
  await server.close();
  await sandbox.close();
});

const basic = (email: string, token: string): string => `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`;
const alex = () => sandbox.site.findPerson('alex')!;

describe('basic authentication on the local Jira', () => {
  it('answers as the person whose e-mail and API token are given', async () => {
    const response = await fetch(`${server.url}/rest/api/3/myself`, { headers: { authorization: basic(demoEmail(alex()), demoApiToken(alex())) } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ accountId: PEOPLE.admin.accountId, accountType: 'atlassian' });
    const created = apiTokensOf(sandbox.site).create('stella');
    const mine = await fetch(`${server.url}/rest/api/3/myself`, { headers: { authorization: basic(created.email, created.token) } });
    expect(await mine.json()).toMatchObject({ accountId: PEOPLE.stakeholder.accountId });
    expect(sandbox.site.contractViolations).toEqual([]);
  });

  it('answers 401 for a wrong token, a token of someone else, and no credentials', async () => {
    for (const authorization of [basic(demoEmail(alex()), 'wrong'), basic('olivia@example.com', demoApiToken(alex())), 'Bearer x', undefined]) {
      const response = await fetch(`${server.url}/rest/api/3/myself`, { headers: authorization ? { authorization } : {} });
      expect({ authorization, status: response.status }).toEqual({ authorization, status: 401 });
      if (authorization) expect(response.headers.get('x-seraph-loginreason')).toBe('AUTHENTICATED_FAILED');
    }
  });

  it('answers 429 with Retry-After when the fault switch says so, then goes on', async () => {
    sandbox.site.faults.add({ method: 'GET', pathPattern: /\/search\/jql/, status: 429, retryAfterSeconds: 2, times: 1 });
    const url = `${server.url}/rest/api/3/search/jql?jql=${encodeURIComponent('project = DEMO')}&fields=key`;
    const headers = { authorization: basic(demoEmail(alex()), demoApiToken(alex())) };
    const limited = await fetch(url, { headers });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    const next = await fetch(url, { headers });
    expect(next.status).toBe(200);
    expect((await next.json()).issues.length).toBeGreaterThan(0);
  });

  it('holds requests over HTTP to the OpenAPI description', async () => {
    const before = sandbox.site.contractViolations.length;
    const response = await fetch(`${server.url}/rest/api/3/search/jql?maxResults=notanumber&jql=project%3DDEMO`, { headers: { authorization: basic(demoEmail(alex()), demoApiToken(alex())) } });
    expect(response.status).toBe(400);
    expect(sandbox.site.contractViolations.length).toBe(before + 1);
  });
});
