/**
 * The three screens end to end in Debian's Chromium, against the sandbox running the real app:
 * an admin sets the roles and switches backlog-rank to block, a stakeholder's reorder is undone,
 * the nudge shows on the work item, the Scrum Master works the log, a developer sees only their own
 * entries, and a non-admin cannot save even by calling the resolver directly. Every screen is
 * photographed and checked with axe, as every demo person, by tour.test.ts.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PEOPLE } from '../../sandbox/jira';
import { createSandbox, type Sandbox } from '../../sandbox/sandbox';
import { startServer, type RunningServer } from '../../sandbox/server/server';
import { appFrame, describeChromium, launchChromium, openAs } from '../support/chromium';

describeChromium('the three screens, end to end', () => {
  let sandbox: Sandbox;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    sandbox = await createSandbox({ dataDir: mkdtempSync(join(tmpdir(), 'srg-e2e-')) });
    server = await startServer(sandbox, 0);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await sandbox?.close();
  });

  const open = (as: string, path: string, theme: 'light' | 'dark' = 'light'): Promise<Page> => openAs(browser, server.url, as, path, theme);

  async function settle(): Promise<void> {
    await sandbox.host.settle();
  }

  it('lets a Jira admin set the roles and switch backlog-rank to block', async () => {
    const page = await open('alex', '/project/DEMO/settings');
    const frame = await appFrame(page);
    for (const [role, person] of [
      ['Product Owner', 'Olivia Owen'],
      ['Scrum Master', 'Sam Rivera'],
      ['Developers', 'Dana Kim'],
      ['Developers', 'Theo Novak'],
      ['Developers', 'Ravi Shah'],
      ['Stakeholders', 'Stella Hart'],
    ] as const) {
      await frame.getByLabel(`${role}: people`, { exact: true }).fill(person.split(' ')[0]!);
      await frame.getByRole('option', { name: new RegExp(person) }).click();
    }
    await frame.getByRole('tab', { name: 'Rules' }).click();
    await frame.getByLabel('Mode for Reordering a Product Backlog item (not in the active sprint)').selectOption('block');
    await frame.getByRole('button', { name: 'Save', exact: true }).click();
    await frame.getByText('Settings saved.').waitFor();
    // Read back through the app's settings resolver: the people picked, each in their role, and the rule switched.
    const stored = await (await fetch(`${server.url}/sandbox/api/projects/DEMO/config`)).json();
    expect(stored).toMatchObject({
      ok: true,
      revision: 1,
      updatedBy: PEOPLE.admin.accountId,
      document: {
        roles: {
          productOwner: { users: [PEOPLE.po.accountId] },
          scrumMaster: { users: [PEOPLE.sm.accountId] },
          developers: { users: [PEOPLE.dev1.accountId, PEOPLE.dev2.accountId, PEOPLE.dev3.accountId] },
          stakeholders: { users: [PEOPLE.stakeholder.accountId] },
        },
        rules: { 'backlog-rank': { mode: 'block' } },
      },
    });
    await page.close();
  }, 120_000);

  it('puts a stakeholder\'s reorder of the backlog back, and the nudge shows on the work item', async () => {
    const before = sandbox.site.backlogOrder();
    const index = before.indexOf('DEMO-12');
    const page = await open('stella', '/');
    // The page acts, waits for the app to settle, then reloads.
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Move DEMO-12 up' }).click()]);
    await settle();
    expect(sandbox.site.backlogOrder()).toEqual(before);
    expect(sandbox.site.backlogOrder().indexOf('DEMO-12')).toBe(index);
    await page.close();

    const item = await open('sam', '/browse/DEMO-12');
    const panel = await appFrame(item);
    await panel.getByText(/Ordering the backlog is the Product Owner/).first().waitFor();
    await item.close();
  }, 120_000);

  it('lets the Scrum Master filter the log, acknowledge the entry and export CSV', async () => {
    const page = await open('sam', '/project/DEMO/violations');
    const frame = await appFrame(page);
    await frame.getByText('DEMO-12').first().waitFor();
    await frame.getByLabel('Rule', { exact: true }).selectOption('backlog-rank');
    await frame.getByRole('button', { name: 'Apply filter' }).click();
    await frame.getByRole('checkbox', { name: /on DEMO-12/ }).first().check();
    await frame.getByRole('textbox', { name: /^Note/ }).fill('Talked it through at the Daily Scrum.');
    await frame.getByRole('button', { name: 'Save note' }).click();
    await frame.locator('td').getByText('Talked through', { exact: true }).first().waitFor();
    const download = page.waitForEvent('download');
    await frame.getByRole('button', { name: 'Export CSV' }).click();
    const csv = readFileSync((await (await download).path()), 'utf8');
    expect(csv).toContain('DEMO-12');
    expect(csv).toContain('backlog-rank');
    await page.close();
  }, 120_000);

  it('shows a developer only their own entries', async () => {
    expect((await fetch(`${server.url}/sandbox/api/act`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ as: 'dana', action: 'edit', issue: 'DEMO-13', fields: { priority: 'High' } }) })).status).toBe(200);
    await settle();
    const page = await open('dana', '/project/DEMO/violations');
    const frame = await appFrame(page);
    await frame.getByText('DEMO-13').first().waitFor();
    expect(await frame.getByText('DEMO-12').count()).toBe(0);
    await page.close();
  }, 120_000);

  it('refuses a save by someone who is not a project admin, even straight to the resolver', async () => {
    const page = await open('dana', '/project/DEMO/settings');
    const src = await page.getAttribute('iframe.app', 'src');
    const token = /\/frame\/([0-9a-f]+)\//.exec(src!)![1];
    const answer = await (
      await fetch(`${server.url}/sandbox/bridge`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, method: 'invoke', payload: { functionKey: 'saveProjectSettings', payload: { document: { version: 1, roles: {} }, expectedRevision: 1 } } }),
      })
    ).json();
    expect(answer.result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await page.close();
  }, 120_000);
});
