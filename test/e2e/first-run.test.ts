/**
 * The first run, in Chromium (issue 11, items 2 and 3): the demo starts with its Scrum Team set up
 * (SRG_DEMO=empty starts without), "Reset the demo" puts Jira and the app back to that start, and a
 * stakeholder's backlog move that the app puts back shows the item back in its place with a short
 * sandbox-only note of what the app did.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RULE_IDS } from '../../src/core/catalogue';
import { appFrame, describeChromium, launchChromium, openAs } from '../support/chromium';
import { startSandboxProcess } from '../support/sandbox-process';
import { screenBed, type ScreenBed } from './support';

describeChromium('the first run: the demo starts with its Scrum Team (items 2 and 3)', () => {
  let bed: ScreenBed;
  beforeAll(async () => {
    bed = await screenBed('scrum-team');
  }, 60_000);
  afterAll(async () => {
    await bed?.close();
  });

  it('shows the roles and the rules of the start on the settings page, saved by the Jira admin', async () => {
    const { page, frame } = await bed.frameOf('olivia', '/project/DEMO/settings');
    const chosen = async (role: string): Promise<string[]> => (await frame.getByRole('list', { name: `${role}: people: chosen` }).getByRole('listitem').allTextContents()).map((t) => t.trim());
    await frame.getByRole('list', { name: 'Product Owner: people: chosen' }).waitFor();
    expect(await chosen('Product Owner')).toEqual(['Olivia Owen']);
    expect(await chosen('Scrum Master')).toEqual(['Sam Rivera']);
    expect(await chosen('Developers')).toEqual(['Dana Kim', 'Theo Novak', 'Ravi Shah']);
    expect(await chosen('Stakeholders')).toEqual(['Stella Hart']);
    await frame.getByText(/Last saved .* by Alex Morgan\./).waitFor();
    await frame.getByRole('tab', { name: 'Rules' }).click();
    const modes: Record<string, string> = {};
    for (const select of await frame.getByRole('combobox', { name: /^Mode for / }).all()) {
      modes[((await select.getAttribute('id')) ?? '') + (await select.evaluate((e) => (e as HTMLSelectElement).labels?.[0]?.textContent ?? ''))] = await select.inputValue();
    }
    const values = Object.entries(modes);
    expect(values).toHaveLength(RULE_IDS.length);
    expect(values.filter(([label]) => label.includes('Reordering a Product Backlog item')).map(([, mode]) => mode)).toEqual(['block']);
    expect(values.filter(([label]) => !label.includes('Reordering a Product Backlog item')).every(([, mode]) => mode === 'flag')).toBe(true);
    await page.close();
  }, 60_000);

  it('puts back even the first backlog move of a stakeholder, as the order was learnt on the save', async () => {
    const before = bed.sandbox.site.backlogOrder();
    await bed.act('stella', { action: 'rank', issue: 'DEMO-15', before: before[0] });
    expect(bed.sandbox.site.backlogOrder()).toEqual(before);
  }, 60_000);

  it('item 3: shows a put-back backlog move as Jira would, the item back in its place, with a sandbox note of what the app did', async () => {
    const page = await bed.open('stella', '/');
    const backlog = page.getByRole('table', { name: 'the backlog' });
    const keys = async (): Promise<string[]> => (await backlog.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key') ?? '')));
    const before = await keys();
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Move DEMO-12 up' }).click()]);
    // What Jira would show: the item where it was.
    expect(await keys()).toEqual(before);
    const note = page.locator('#status');
    await expect(note.textContent()).resolves.toMatch(/^Sandbox note:/);
    const text = (await note.textContent()) ?? '';
    expect(text).toContain('put DEMO-12 back where it was');
    expect(text).toContain('Reordering a Product Backlog item');
    expect(text).not.toContain('The app has seen the change');
    await page.close();
  }, 60_000);

  it('"Reset the demo" puts the work items, the log and the settings back to the start', async () => {
    const site = bed.sandbox.site;
    const start = { order: site.backlogOrder(), status: site.issueState('DEMO-7').status };
    await bed.act('sam', { action: 'transition', issue: 'DEMO-7', to: 'Done' });
    await bed.act('stella', { action: 'edit', issue: 'DEMO-13', fields: { priority: 'Highest' } });
    // The admin changes the roles on the settings page: Stella is no longer a stakeholder.
    const settings = await bed.frameOf('alex', '/project/DEMO/settings');
    await settings.frame.getByRole('button', { name: 'Remove Stella Hart from Stakeholders: people' }).click();
    await settings.frame.getByRole('button', { name: 'Save', exact: true }).click();
    await settings.frame.getByText('Settings saved.').waitFor();
    expect(site.issueState('DEMO-7').status).toBe('Done');

    await settings.page.getByRole('button', { name: 'Reset the demo' }).click();
    await settings.page.getByText('The demo is back at its start').waitFor();
    expect(site.issueState('DEMO-7').status).toBe(start.status);
    expect(site.backlogOrder()).toEqual(start.order);
    const frame = await appFrame(settings.page);
    expect(await frame.getByRole('list', { name: 'Stakeholders: people: chosen' }).getByRole('listitem').allTextContents()).toEqual([expect.stringContaining('Stella Hart')]);
    await settings.page.close();

    const log = await bed.frameOf('sam', '/project/DEMO/violations');
    await log.frame.getByRole('heading', { name: 'No violations yet' }).waitFor();
    await log.page.close();
    // And the app works from the start again: a stakeholder's move is put back.
    const order = site.backlogOrder();
    await bed.act('stella', { action: 'rank', issue: 'DEMO-14', before: order[0] });
    expect(site.backlogOrder()).toEqual(order);
  }, 90_000);
});

describeChromium('SRG_DEMO=empty (item 2)', () => {
  it('npm start with SRG_DEMO=empty starts with no Scrum roles', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'srg-empty-'));
    const sandbox = await startSandboxProcess({ SRG_DATA_DIR: dataDir, SRG_DEMO: 'empty' }, 30_000);
    const browser = await launchChromium();
    try {
      const page = await openAs(browser, sandbox.url, 'alex', '/project/DEMO/settings');
      const frame = await appFrame(page);
      await frame.getByText('Not saved for this project yet.').waitFor();
      expect(await frame.getByRole('list', { name: /: people: chosen$/ }).count()).toBe(0);
      expect(await frame.getByText('Nobody yet. Add people, a group or a project role above.').count()).toBe(4);
      await page.close();
    } finally {
      await browser.close();
      await sandbox.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
