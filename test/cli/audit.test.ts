/**
 * `scrum-guard audit` against the sandbox over HTTP, with basic authentication: the report is the
 * in-app "Try it first" report on the same history; it only reads; it honours 429 and Retry-After;
 * it says what is wrong in one line with the documented exit codes.
 */
import { createServer } from 'node:net';
import { demoRoleConfig, PEOPLE } from '../../sandbox/jira';
import { RESOLVER_KEYS as K } from '../../src/shared/resolver-api';
import { cliBed, cliInProcess, cliProcess, type CliBed } from './support';

let bed: CliBed;
let document: Record<string, unknown>;
beforeAll(async () => {
  bed = await cliBed();
  const site = bed.sandbox.site;
  document = { ...demoRoleConfig(site.fieldIds), rules: { 'backlog-rank': { mode: 'block' }, 'priority-change': { mode: 'flag' } } };
  await bed.saveConfig(document);
  // Live history on top of the demo's seeded one: a stakeholder's backlog move the app puts back,
  // a priority change by the Scrum Master, a Developer moving her own work.
  const backlog = site.backlogOrder();
  await site.act('stella', { action: 'rank', issue: backlog[4]!, before: backlog[0]! });
  await site.act('sam', { action: 'edit', issue: backlog[2]!, fields: { priority: 'Highest' } });
  await site.act('dana', { action: 'transition', issue: 'DEMO-4', to: 'In Progress' });
  await bed.sandbox.host.settle();
});
afterAll(async () => {
  await bed?.close();
});

const site = () => bed.sandbox.site;
const args = (...extra: string[]) => ['audit', '--site', bed.server.url, '--project', 'DEMO', '--days', '14', ...extra];

describe('scrum-guard audit', () => {
  it('gives the same report as "Try it first" on the same history, reading only', async () => {
    const requestsBefore = site().requestLog.length;
    const cli = await cliProcess([...args('--format', 'json')], bed.credentials);
    expect(cli.stderr).not.toMatch(/Error|warning/);
    expect(cli.code).toBe(0);
    const report = JSON.parse(cli.stdout);

    const started = await bed.call('settings', K.startAudit, { document, days: 14 }, 'sm');
    await bed.sandbox.host.settle();
    const inApp = await bed.call('settings', K.auditProgress, { auditId: started.auditId }, 'sm');
    expect(inApp).toMatchObject({ ok: true, state: 'done' });

    const shared = (r: Record<string, unknown>) => ({
      eventsReplayed: r['eventsReplayed'],
      byRule: r['byRule'],
      byPerson: r['byPerson'],
      bySprint: r['bySprint'],
      findings: r['findings'],
      findingsTruncated: r['findingsTruncated'],
      notJudged: r['notJudged'],
    });
    expect(shared(report)).toEqual(shared(inApp));
    expect(report.workItems).toBe(inApp.total);
    // Something to compare: the seeded history and the live changes, and never the app's put-back.
    expect(report.byRule.map((r: { rule: string }) => r.rule)).toEqual(expect.arrayContaining(['backlog-rank', 'priority-change', 'status-change']));
    expect(report.byPerson.map((p: { accountId: string }) => p.accountId)).not.toContain(site().appAccountId);
    expect(report.bySprint.length).toBeGreaterThan(0);
    expect(report.config).toMatch(/project property scrum-role-guard-config \(revision \d+\)/);
    expect(report.people[PEOPLE.stakeholder.accountId]).toBe('Stella Hart');

    const mine = site().requestLog.slice(requestsBefore).filter((r) => r.actor === PEOPLE.admin.accountId);
    expect(mine.length).toBeGreaterThan(5);
    expect(mine.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(site().contractViolations).toEqual([]);
  });

  it('prints a table for people, and JSON lines with one finding a line then the report', async () => {
    const table = await cliInProcess(args(), bed.credentials);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^DEMO on http:\/\/127\.0\.0\.1:\d+: \d+ work items/);
    expect(table.stdout).toMatch(/Per rule\nrule\s+mode\s+count/);
    expect(table.stdout).toMatch(/Stella Hart\s+Stakeholder\w*\s+\d+\s+.*backlog-rank/);
    expect(table.stdout).toMatch(/Per sprint/);

    const lines = (await cliInProcess(args('--format', 'jsonl'), bed.credentials)).stdout.trim().split('\n').map((l) => JSON.parse(l));
    const last = lines.at(-1);
    expect(last.type).toBe('report');
    expect(last.findings).toBeUndefined();
    const findings = lines.slice(0, -1);
    expect(findings.every((l: { type: string }) => l.type === 'finding')).toBe(true);
    expect(findings.length).toBe(last.byRule.reduce((n: number, r: { count: number }) => n + r.count, 0));
  });

  it('shows progress with the time left: plain lines, or a bar on a terminal', async () => {
    const plain = await cliInProcess(args('--format', 'json'), bed.credentials);
    expect(plain.stderr).toMatch(/^scrum-guard: \d+ of \d+ work items replayed, done in \d+ s$/m);
    const tty = await cliInProcess(args('--format', 'json'), bed.credentials, true);
    // The terminal's erase-line sequence (ESC [2K) before each redraw.
    // eslint-disable-next-line no-control-regex
    expect(tty.stderr).toMatch(/\r\x1b\[2K\[#+\.*\] \d+ of \d+ work items, (about \d+ s left|estimating the time left)/);
  });

  it('waits as long as Retry-After says when Jira answers 429, then goes on', async () => {
    site().faults.add({ method: 'GET', pathPattern: /\/search\/jql\?.*expand=changelog/, status: 429, retryAfterSeconds: 1, times: 2 });
    const started = Date.now();
    const cli = await cliInProcess(args('--format', 'json'), bed.credentials);
    expect(cli.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(cli.stderr).toMatch(/rate limited by Jira: waiting 1 s/);
    expect(site().faults.pending()).toEqual([]);
  });

  it('says in one line that the e-mail or token is wrong, or that the project cannot be seen, with exit code 2', async () => {
    const wrong = await cliInProcess(args(), { ...bed.credentials, JIRA_API_TOKEN: 'not-a-token' });
    expect(wrong).toMatchObject({ code: 2, stdout: '' });
    expect(wrong.stderr.trim().split('\n')).toEqual([expect.stringMatching(/401: the e-mail address or the API token is wrong/)]);

    const missing = await cliInProcess(['audit', '--site', bed.server.url, '--project', 'NOPE'], bed.credentials);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toEqual([expect.stringMatching(/404 for the project NOPE: no such project .*, or no permission to browse it/)]);

    // Oscar is outside the project: Jira answers 404 for a project he cannot browse.
    const oscar = bed.sandbox.site;
    const { apiTokensOf } = await import('../../sandbox/jira/basic-auth');
    const token = apiTokensOf(oscar).create('oscar');
    const outsider = await cliInProcess(args(), { JIRA_EMAIL: token.email, JIRA_API_TOKEN: token.token });
    expect(outsider.code).toBe(2);
    expect(outsider.stderr).toMatch(/no permission to browse it/);
  });

  it('retries network failures, then exits 3', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const port = (probe.address() as { port: number }).port;
        probe.close(() => resolve(port));
      });
    });
    const cli = await cliInProcess(['audit', '--site', `http://127.0.0.1:${closed}`, '--project', 'DEMO'], bed.credentials);
    expect(cli.code).toBe(3);
    expect(cli.stderr).toMatch(/network failure .* waiting/);
    expect(cli.stderr.trim().split('\n').at(-1)).toMatch(/could not read the project DEMO from http:\/\/127\.0\.0\.1:\d+ after 5 attempts/);
  });

  it('says a config is needed when the app has published none, and uses --config when given', async () => {
    const fresh = await cliBed();
    try {
      const none = await cliInProcess(['audit', '--site', fresh.server.url, '--project', 'DEMO'], fresh.credentials);
      expect(none.code).toBe(2);
      expect(none.stderr).toMatch(/a config is needed: the project DEMO has no Scrum Role Guard config/);
      const { mkdtempSync, writeFileSync } = await import('node:fs');
      const { join } = await import('node:path');
      const { tmpdir } = await import('node:os');
      const file = join(mkdtempSync(join(tmpdir(), 'srg-audit-config-')), 'config.json');
      writeFileSync(file, JSON.stringify(demoRoleConfig(fresh.sandbox.site.fieldIds)));
      const given = await cliInProcess(['audit', '--site', fresh.server.url, '--project', 'DEMO', '--config', file, '--format', 'json'], fresh.credentials);
      expect(given.code).toBe(0);
      expect(JSON.parse(given.stdout).config).toBe(file);
    } finally {
      await fresh.close();
    }
  });
});
