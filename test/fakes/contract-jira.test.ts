/**
 * The Jira fakes, the queue fake and the personal data fake hold to the real adapters: the same
 * assertions run on each fake and on the Forge adapter (the real @forge/api and @forge/events clients,
 * in an invocation on the sandbox's local Forge host, against the local Jira, every request checked
 * against Atlassian's OpenAPI description).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ForgeJira } from '../../src/adapters/jira';
import { forgeJiraReads } from '../../src/adapters/jira-reads';
import { atlassianReporter } from '../../src/adapters/privacy';
import { ForgeEventQueue } from '../../src/adapters/queue';
import type { AccountReporter, EventQueue, JiraPort, JiraReads } from '../../src/app/ports';
import { changedSinceJql } from '../../src/app/audit';
import { PEOPLE } from '../../sandbox/jira';
import { createSandbox, type Sandbox } from '../../sandbox/sandbox';
import { FakeJira, FakeJiraReads, FakeQueue, FakeReporter } from './index';

/** What the assertions need to know of the site they run on. */
interface Site {
  readonly jira: JiraPort;
  readonly reads: JiraReads;
  readonly queue: EventQueue;
  readonly reporter: AccountReporter;
  readonly boardId: string;
  /** Two work items next to each other in the backlog, and one in the running sprint. */
  readonly backlog: readonly [string, string, string];
  readonly inSprint: string;
  readonly admin: string;
  readonly outsider: string;
  /** An account Atlassian answers as closed. */
  readonly closed: string;
  readonly problems: () => unknown[];
  run<T>(fn: () => Promise<T>, as?: string): Promise<T>;
  close(): Promise<void>;
}

async function fakeSite(): Promise<Site> {
  const jira = new FakeJira();
  jira.seed('DEMO', 8, [1, 2]);
  const reads = new FakeJiraReads();
  reads.permissions.set(PEOPLE.admin.accountId, new Set(['BROWSE_PROJECTS', 'ADMINISTER_PROJECTS', 'ADMINISTER']));
  for (const person of Object.values(PEOPLE)) reads.people.set(person.accountId, { accountId: person.accountId, displayName: person.displayName, avatarUrl: null, active: true });
  for (const item of jira.items.values()) {
    reads.issues.push({ id: item.id, key: item.key, fields: {} });
    reads.histories.set(item.id, [{ id: '10400', created: '2026-11-02T09:00:00.000+0000', author: { accountId: PEOPLE.po.accountId }, items: [{ field: 'priority', fieldtype: 'jira', fieldId: 'priority', from: '3', fromString: 'Medium', to: '2', toString: 'High' }] }]);
  }
  reads.sprints.push({ id: 1, name: 'DEMO Sprint 1', state: 'active', originBoardId: 1 });
  const reporter = new FakeReporter();
  reporter.closed.add(PEOPLE.outsider.accountId);
  return {
    jira,
    reads,
    queue: new FakeQueue(),
    reporter,
    boardId: '1',
    backlog: ['DEMO-3', 'DEMO-4', 'DEMO-5'],
    inSprint: 'DEMO-1',
    admin: PEOPLE.admin.accountId,
    outsider: PEOPLE.outsider.accountId,
    closed: PEOPLE.outsider.accountId,
    problems: () => [],
    run: async (fn, as) => {
      reads.caller = as ?? '';
      return fn();
    },
    close: async () => undefined,
  };
}

async function sandboxSite(): Promise<Site> {
  const dataDir = mkdtempSync(join(tmpdir(), 'srg-contract-'));
  const sandbox: Sandbox = await createSandbox({ dataDir });
  const view = sandbox.site.boardView();
  const backlog = view.backlog;
  sandbox.closedAccounts.add(PEOPLE.outsider.accountId);
  return {
    jira: new ForgeJira(),
    reads: forgeJiraReads,
    queue: new ForgeEventQueue(),
    reporter: atlassianReporter,
    boardId: String(sandbox.site.board.id),
    backlog: [backlog[0]!, backlog[1]!, backlog[2]!],
    inSprint: view.sprints.find((s) => s.state === 'active')!.keys[0]!,
    admin: PEOPLE.admin.accountId,
    outsider: PEOPLE.outsider.accountId,
    closed: PEOPLE.outsider.accountId,
    problems: () => [...sandbox.site.contractViolations],
    run: (fn, as) => sandbox.host.runInInvocation(fn, as === undefined ? {} : { accountId: as }),
    close: async () => {
      await sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describe.each([
  ['in-memory fakes', fakeSite],
  ['Forge adapters on the local Jira', sandboxSite],
])('Jira, the queue and personal data reporting: %s', (_label, open) => {
  let site: Site;
  beforeEach(async () => {
    site = await open();
  });
  afterEach(async () => {
    expect(site.problems()).toEqual([]);
    await site.close();
  });

  it('reads a work item with its rank, sprints, values and history, and nothing for one that is not there', async () => {
    const fields = await site.run(() => site.jira.discoverFields('DEMO'));
    expect(fields).toEqual(expect.objectContaining({ rank: expect.stringMatching(/^customfield_/), sprint: expect.stringMatching(/^customfield_/) }));
    await site.run(async () => {
      expect(await site.jira.readIssue('DEMO-999', fields, { changelog: true })).toBeNull();
      const item = await site.jira.readIssue(site.inSprint, fields, { changelog: true });
      expect(item).toEqual(expect.objectContaining({ key: site.inSprint, projectKey: 'DEMO', rank: expect.any(String), changelog: expect.any(Array) }));
      expect(item!.sprints?.some((s) => s.state === 'active')).toBe(true);
      expect((await site.jira.agileSprints(site.inSprint))?.some((s) => s.state === 'active')).toBe(true);
      expect((await site.jira.readIssue(site.inSprint, fields, { changelog: false }))!.changelog).toBeNull();
    });
  });

  it('ranks an item before another, and says so in its history and in the order', async () => {
    const [first, second, third] = site.backlog;
    await site.run(async () => {
      const fields = await site.jira.discoverFields('DEMO');
      const order = await site.jira.rankOrder('DEMO', fields.rank!);
      expect(order.map((i) => i.rank)).toEqual([...order.map((i) => i.rank)].sort());
      const before = await site.jira.readIssue(third, fields, { changelog: true });
      await site.jira.rank(third, { before: first }, fields.rank);
      const ranks = await site.jira.currentRanks([first, second, third], fields.rank!);
      expect(ranks.get(third)!.rank! < ranks.get(first)!.rank!).toBe(true);
      expect(ranks.get(first)!.rank! < ranks.get(second)!.rank!).toBe(true);
      const after = await site.jira.readIssue(third, fields, { changelog: true });
      const newer = after!.changelog!.filter((h) => !before!.changelog!.some((b) => b.id === h.id));
      expect(newer).toEqual([expect.objectContaining({ fieldIds: [fields.rank] })]);
      await site.jira.rank(third, { after: second }, fields.rank);
      const back = (await site.jira.rankOrder('DEMO', fields.rank!)).map((i) => i.key);
      expect(back.indexOf(third)).toBe(back.indexOf(second) + 1);
    });
  });

  it('writes values back, takes an item out of the sprint, keeps properties, and knows its own account and the board\'s project', async () => {
    await site.run(async () => {
      const fields = await site.jira.discoverFields('DEMO');
      await site.jira.editFields(site.backlog[0], { priority: { id: '1' } });
      expect((await site.jira.readIssue(site.backlog[0], fields, { changelog: false }))!.priorityId).toBe('1');
      await site.jira.moveToBacklog([site.inSprint]);
      expect((await site.jira.agileSprints(site.inSprint))?.some((s) => s.state === 'active')).toBe(false);
      await site.jira.setIssueProperty(site.backlog[0], 'scrum-role-guard-summary', { version: 1, openCount: 2 });
      expect((await site.jira.readIssue(site.backlog[0], fields, { changelog: false }))!.summaryProperty).toEqual({ version: 1, openCount: 2 });
      expect(await site.jira.projectProperty('DEMO', 'scrum-role-guard-config')).toBeUndefined();
      await site.jira.setProjectProperty('DEMO', 'scrum-role-guard-config', { version: 1, revision: 3 });
      expect(await site.jira.projectProperty('DEMO', 'scrum-role-guard-config')).toEqual({ version: 1, revision: 3 });
      await site.jira.deleteProjectProperty('DEMO', 'scrum-role-guard-config');
      await site.jira.deleteProjectProperty('DEMO', 'scrum-role-guard-config');
      expect(await site.jira.projectProperty('DEMO', 'scrum-role-guard-config')).toBeUndefined();
      const app = await site.jira.appAccountId();
      expect(app).toMatch(/\S/);
      expect(await site.reads.appAccountId()).toBe(app);
      expect(await site.jira.boardProjectKey(site.boardId)).toBe('DEMO');
      expect(await site.jira.boardProjectKey('987654')).toBeNull();
      expect(await site.jira.projectStyle('DEMO')).toBe('company-managed');
    });
  });

  it('reads for the screens with the caller\'s own rights, and history as the app', async () => {
    expect(await site.run(() => site.reads.myPermissions('DEMO'), site.admin)).toEqual({ BROWSE_PROJECTS: true, ADMINISTER_PROJECTS: true, ADMINISTER: true });
    expect(await site.run(() => site.reads.myPermissions('DEMO'), site.outsider)).toEqual({ BROWSE_PROJECTS: false, ADMINISTER_PROJECTS: false, ADMINISTER: false });
    await site.run(async () => {
      const people = await site.reads.usersByIds([PEOPLE.sm.accountId, '712020:00000000-0000-4000-8000-00000000dead'], 'app');
      expect(people).toEqual([expect.objectContaining({ accountId: PEOPLE.sm.accountId, displayName: PEOPLE.sm.displayName })]);
      const found = await site.reads.searchIssues(changedSinceJql('DEMO', 30), ['key'], 'app');
      expect(found.map((i) => i.key)).toEqual(expect.arrayContaining([...site.backlog]));
      const two = await site.reads.searchIssues(`key in (${site.backlog[0]}, ${site.backlog[1]})`, ['key'], 'app');
      expect(two.map((i) => i.key).sort()).toEqual([site.backlog[0], site.backlog[1]].sort());
      const histories = await site.reads.changelogsOf(two.map((i) => i.id), 'app');
      for (const issue of two) {
        for (const history of histories.get(issue.id) ?? []) expect(history).toEqual(expect.objectContaining({ id: expect.any(String), created: expect.any(String), items: expect.any(Array) }));
      }
      expect((await site.reads.projectSprints('DEMO', 'app')).some((s) => s.state === 'active')).toBe(true);
      expect(await site.reads.agileFieldIds('app')).toEqual(expect.objectContaining({ rank: expect.any(String), sprint: expect.any(String) }));
      // A group deleted since the config named it: the directory reads it as nobody by this answer.
      await expect(site.reads.groupMembers('00000000-0000-4000-8000-0000000dead0', 'app')).rejects.toThrow(/answered 404/);
    });
  });

  it('queues what it is given, and hears from Atlassian which accounts were closed', async () => {
    await site.run(() => site.queue.push([{ event: { eventType: 'avi:jira:updated:issue', note: 'contract' } }], 'project-DEMO'));
    const at = '2026-11-10T10:00:00.000Z';
    const answer = await site.run(() => site.reporter.report([{ accountId: site.admin, updatedAt: at }, { accountId: site.closed, updatedAt: at }]));
    expect(answer).toEqual([{ accountId: site.closed, status: 'closed' }]);
    expect(await site.run(() => site.reporter.report([{ accountId: site.admin, updatedAt: at }]))).toEqual([]);
  });
});
