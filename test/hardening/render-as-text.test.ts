/**
 * Script in names, notes and work item summaries, rendered by the real pages in Debian's Chromium
 * against the sandbox: a stakeholder whose display name carries markup breaks a rule on a work item
 * whose summary carries script, and the Scrum Master acknowledges the entry with a note that carries
 * script. The issue panel, the violation log and the settings page must show all of it as plain text,
 * and no frame of any page may run a line of it (window.__pwned stays undefined everywhere).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { createSandbox, type Sandbox } from '../../sandbox/sandbox';
import { startServer, type RunningServer } from '../../sandbox/server/server';
import { appFrame, describeChromium, launchChromium, openAs } from '../support/chromium';

const NOTE = '<img src=x onerror="window.__pwned=1"> talked it through';
const NAME = 'Stella <img src=x onerror="window.__pwned=2"><script>window.__pwned=3</script>';
const SUMMARY = '<script>window.__pwned=4</script><svg onload="window.__pwned=5"></svg> Export button';

describeChromium('script in names, notes and summaries renders as text', () => {
  let dataDir: string;
  let sandbox: Sandbox;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'srg-render-'));
    sandbox = await createSandbox({ dataDir });
    server = await startServer(sandbox, 0);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await sandbox?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function post(path: string, method: string, body: unknown): Promise<Response> {
    return fetch(`${server.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }

  const open = (as: string, path: string): Promise<Page> => openAs(browser, server.url, as, path);

  /** No frame of the page ran the injected script, and no markup from the data became an element. */
  async function nothingRan(page: Page, app: Frame, what: string): Promise<void> {
    // An <img onerror> fires once the broken image fails to load: give it the time to.
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(300);
    const pwned = await Promise.all(page.frames().map((f) => f.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)));
    expect({ what, frames: page.frames().length, pwned: pwned.filter((p) => p !== undefined) }).toEqual({ what, frames: page.frames().length, pwned: [] });
    // The frame has scripts of its own (the bridge); only elements made from the data count.
    const injected = await app.evaluate(
      () => Array.from(document.querySelectorAll('img[src="x"], [onerror], [onload], script')).filter((e) => e.tagName !== 'SCRIPT' || (e.textContent ?? '').includes('__pwned')).length,
    );
    expect({ what, injected }).toEqual({ what, injected: 0 });
  }

  it('shows the name, the note and the summary as text on every page, and runs none of it', async () => {
    const site = sandbox.site;
    const stella = site.findPerson('stella')!;
    // An Atlassian account's display name is whatever its owner typed.
    const index = site.people.indexOf(stella);
    site.people[index] = { ...stella, displayName: NAME };
    const group = (name: string): string => site.groups.find((g) => g.name === name)!.groupId;
    const saved = await post('/sandbox/api/projects/DEMO/config', 'PUT', {
      version: 1,
      roles: {
        productOwner: { users: [site.findPerson('olivia')!.accountId] },
        scrumMaster: { users: [site.findPerson('sam')!.accountId] },
        developers: { users: [], groups: [group('demo-developers')] },
        stakeholders: { users: [stella.accountId], groups: [] },
      },
      rules: { 'backlog-rank': { mode: 'block' } },
    });
    expect(saved.status).toBe(200);

    const order = site.backlogOrder();
    const item = order[3]!;
    expect((await post('/sandbox/api/act', 'POST', { as: 'olivia', action: 'edit', issue: item, fields: { summary: SUMMARY } })).status).toBe(200);
    expect((await post('/sandbox/api/act', 'POST', { as: 'stella', action: 'rank', issue: item, before: order[0] })).status).toBe(200);
    await sandbox.host.settle();
    expect(site.backlogOrder()).toEqual(order);
    expect(site.issueState(item).summary).toBe(SUMMARY);

    // The Scrum Master acknowledges the entry on the log page, typing the note.
    const log = await open('sam', '/project/DEMO/violations');
    let frame = await appFrame(log);
    await frame.getByRole('checkbox', { name: new RegExp(`on ${item}`) }).first().check();
    await frame.getByRole('textbox', { name: /^Note/ }).fill(NOTE);
    await frame.getByRole('button', { name: 'Save note' }).click();
    await frame.getByText(NOTE, { exact: false }).filter({ visible: true }).first().waitFor();
    await frame.getByText(NAME, { exact: false }).filter({ visible: true }).first().waitFor();
    await nothingRan(log, frame, 'violation log');
    await log.close();

    const panel = await open('sam', `/browse/${item}`);
    frame = await appFrame(panel);
    await frame.getByText(NAME, { exact: false }).filter({ visible: true }).first().waitFor();
    await frame.getByText(NOTE, { exact: false }).filter({ visible: true }).first().waitFor();
    // The host page shows the summary too (as Jira would); the app's frame must not be the one that runs it.
    await panel.getByText(SUMMARY, { exact: false }).filter({ visible: true }).first().waitFor();
    await nothingRan(panel, frame, 'issue panel');
    await panel.close();

    const settings = await open('alex', '/project/DEMO/settings');
    frame = await appFrame(settings);
    await frame.getByText(NAME, { exact: false }).filter({ visible: true }).first().waitFor();
    await nothingRan(settings, frame, 'settings');
    await settings.close();
  }, 180_000);
});
