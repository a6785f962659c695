/**
 * `scrum-guard check --jira-export`: an export of the demo project (the answer of
 * `GET /rest/api/3/search/jql?expand=changelog`, downloaded with basic authentication) is judged
 * exactly as the app judged the same changes live; anything else is refused, saying what was expected.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoRoleConfig } from '../../sandbox/jira';
import { RESOLVER_KEYS as K } from '../../src/shared/resolver-api';
import { cliBed, cliInProcess, cliProcess, type CliBed } from './support';

const dir = mkdtempSync(join(tmpdir(), 'srg-export-'));
const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

let bed: CliBed;
beforeAll(async () => {
  bed = await cliBed();
});
afterAll(async () => {
  await bed?.close();
});

async function exportPages(): Promise<unknown[]> {
  const { JIRA_EMAIL, JIRA_API_TOKEN } = bed.credentials;
  const pages: unknown[] = [];
  for (let token: string | undefined; ; ) {
    const query = new URLSearchParams({ jql: 'project = DEMO ORDER BY key ASC', fields: '*all', expand: 'changelog', maxResults: '8', ...(token ? { nextPageToken: token } : {}) });
    const response = await fetch(`${bed.server.url}/rest/api/3/search/jql?${query}`, { headers: { authorization: `Basic ${Buffer.from(`${JIRA_EMAIL}:${JIRA_API_TOKEN}`).toString('base64')}` } });
    expect(response.status).toBe(200);
    const page = (await response.json()) as { nextPageToken?: string };
    pages.push(page);
    if (!page.nextPageToken) return pages;
    token = page.nextPageToken;
  }
}

describe('scrum-guard check --jira-export', () => {
  it('judges an export of the demo project exactly as the app judged the same changes live', async () => {
    const site = bed.sandbox.site;
    const document = { ...demoRoleConfig(site.fieldIds), rules: { 'backlog-rank': { mode: 'block' } } };
    await bed.saveConfig(document);
    const firstLiveChangelog = Math.max(...site.issues.flatMap((i) => i.changelog.map((e) => Number(e.id)))) + 1;
    const liveFrom = Date.now();

    const board = site.boardView();
    const backlog = board.backlog;
    const inSprint = board.sprints.find((s) => s.state === 'active')!.keys;
    await site.act('stella', { action: 'rank', issue: backlog[3]!, before: backlog[0]! }); // put back by the app
    await site.act('stella', { action: 'rank', issue: inSprint[2]!, before: inSprint[0]! }); // sprint-rank
    await site.act('olivia', { action: 'rank', issue: backlog[5]!, before: backlog[1]! }); // fine
    await site.act('sam', { action: 'edit', issue: backlog[2]!, fields: { priority: 'Highest' } });
    await site.act('sam', { action: 'edit', issue: backlog[4]!, fields: { assignee: 'theo' } });
    await site.act('theo', { action: 'edit', issue: backlog[6]!, fields: { assignee: 'theo' } }); // himself: fine
    await site.act('olivia', { action: 'transition', issue: inSprint[1]!, to: 'In Progress' });
    await site.act('dana', { action: 'edit', issue: inSprint[0]!, fields: { estimate: 8 } }); // fine
    await site.act('stella', { action: 'edit', issue: backlog[7]!, fields: { sprint: 1 } }); // scope added by a stakeholder
    await site.act('stella', { action: 'create', summary: 'An idea from sales', type: 'Story' });
    await bed.sandbox.host.settle();

    const log = await bed.call('violationLog', K.listViolations, { sort: { by: 'occurredAt', direction: 'desc' }, limit: 200, cursor: null, filter: {} }, 'sm');
    expect(log.ok).toBe(true);
    const live = (log.rows as { id: string; issueKey: string; rule: string; actor: string }[])
      .map((r) => `${r.issueKey} ${r.rule} ${r.actor} ${/^\d+:/.test(r.id) ? r.id.split(':')[0] : 'created'}`)
      .sort();
    expect(live.map((k) => k.split(' ')[1])).toEqual(
      expect.arrayContaining(['backlog-rank', 'sprint-rank', 'priority-change', 'assign-others', 'status-change', 'sprint-scope-add', 'item-create']),
    );

    const exported = file('export.json', JSON.stringify(await exportPages()));
    const config = file('config.json', JSON.stringify(document));
    // The config names groups: who is in them, as an admin would write it down for the command.
    const directory = file(
      'directory.json',
      JSON.stringify(Object.fromEntries(site.people.map((p) => [p.accountId, { groups: site.groupsOf(p.accountId).map((g) => g.groupId), projectRoles: [] }]))),
    );
    const cli = await cliProcess(['check', '--config', config, '--directory', directory, '--jira-export', exported], {});
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const lines = cli.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.line)).toEqual(lines.map((_, i) => i + 1));
    const judged = lines
      .filter((l) => (l.changelogId === null ? Date.parse(l.at) >= liveFrom - 1000 : Number(l.changelogId) >= firstLiveChangelog))
      .flatMap((l) => l.violations.map((v: { rule: string }) => `${l.issueKey} ${v.rule} ${l.actor} ${l.changelogId ?? 'created'}`))
      .sort();
    expect(judged).toEqual(live);
    // The app's own put-back is in the export, and is not judged.
    expect(lines.map((l) => l.actor)).not.toContain(site.appAccountId);
    expect(site.contractViolations).toEqual([]);
  });

  it('reads one page, an array of pages, or one work item per line, and prints a table', async () => {
    const pages = (await exportPages()) as { issues: unknown[] }[];
    const config = file('config-plain.json', JSON.stringify(demoRoleConfig(bed.sandbox.site.fieldIds)));
    const onePage = file('one-page.json', JSON.stringify({ issues: pages.flatMap((p) => p.issues) }));
    const perLine = file('per-line.jsonl', pages.flatMap((p) => p.issues).map((i) => JSON.stringify(i)).join('\n'));
    const arrayOfPages = file('pages.json', JSON.stringify(pages));
    const outputs = await Promise.all([onePage, perLine, arrayOfPages].map((f) => cliInProcess(['check', '--config', config, '--jira-export', f], {})));
    for (const o of outputs) expect(o.code).toBe(0);
    expect(outputs[1]!.stdout).toBe(outputs[0]!.stdout);
    expect(outputs[2]!.stdout).toBe(outputs[0]!.stdout);
    const table = await cliInProcess(['check', '--config', config, '--format', 'table', '--jira-export', onePage], {});
    expect(table.stdout).toMatch(/^line\s+event\s+work item\s+actor\s+rule\s+mode/);
    expect(table.stdout).toMatch(/backlog-rank/);
  });

  it('refuses a file that is not such an export, saying what was expected', async () => {
    const config = file('config-refuse.json', JSON.stringify(demoRoleConfig(bed.sandbox.site.fieldIds)));
    const events = file('events.jsonl', JSON.stringify({ eventType: 'avi:jira:created:issue', issue: { id: '1', key: 'A-1' } }));
    const noChangelog = file('no-changelog.json', JSON.stringify({ issues: [{ id: '1', key: 'A-1', fields: {} }] }));
    for (const [path, reason] of [
      [events, /line 1: issues?|key|expected/],
      [noChangelog, /A-1 has no "changelog": export with expand=changelog/],
      [file('garbage.txt', 'hello'), /line 1 is not JSON/],
    ] as const) {
      const out = await cliInProcess(['check', '--config', config, '--jira-export', path], {});
      expect(out.code).toBe(2);
      expect(out.stdout).toBe('');
      expect(out.stderr).toMatch(/is not a Jira export: expected the answer of GET \/rest\/api\/3\/search\/jql\?expand=changelog/);
      expect(out.stderr).toMatch(reason);
    }
  });
});
