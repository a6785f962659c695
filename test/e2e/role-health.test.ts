/**
 * Role health, the role charter and suggested roles in Chromium (issue 15): the Scrum Master's heat
 * map shows the server's own numbers for the demo history, a cell opens the changes behind it with
 * working links; a Developer has no Role health tab (and the resolver refuses her); the charter names
 * the Product Owner and downloads as Markdown; the admin's "Suggest roles" proposes Olivia as Product
 * Owner and puts her in the unsaved draft, saved only by Save. Every new view in both themes, axe
 * clean, photographed into test-output/screenshots/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { ACCOUNTABILITIES, HEALTH_BUCKETS } from '../../src/core/accountability';
import type { RoleCharterView, RoleHealthView, RoleSuggestionView } from '../../src/shared/resolver-api';
import { describeChromium, SCREENSHOTS } from '../support/chromium';
import { axeSerious, invokeAs, screenBed, teamDocument, type ScreenBed } from './support';

const THEMES = ['light', 'dark'] as const;

/** Asks a frame's resolver again until the computation behind it is done (it runs in the app's queue). */
async function whenReady<T extends { state: string }>(ask: () => Promise<T>): Promise<T> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const answer = await ask();
    if (answer.state !== 'computing') return answer;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the computation never finished');
}

async function healthTab(frame: Frame): Promise<void> {
  await frame.getByRole('tab', { name: 'Role health' }).click();
  await frame.locator('table.srg-heat-map').waitFor({ timeout: 60_000 });
}

/** The heat map as shown: accountability label -> bucket column header -> the cell's text. */
async function heatMapCells(frame: Frame): Promise<string[][]> {
  return frame.locator('table.srg-heat-map tbody tr').evaluateAll((rows) =>
    rows.map((row) => Array.from(row.querySelectorAll('td')).map((td) => (td.querySelector('.srg-heat-percent, .srg-heat-count') ? `${td.querySelector('.srg-heat-percent')!.textContent} ${td.querySelector('.srg-heat-count')!.textContent}` : '0'))),
  );
}

/** What the heat map must show for one sprint of the server's answer. */
function expectedCells(sprint: RoleHealthView['sprints'][number]): string[][] {
  return ACCOUNTABILITIES.map((accountability) => {
    const row = sprint.actions[accountability];
    const total = HEALTH_BUCKETS.reduce((sum, bucket) => sum + row[bucket], 0);
    return HEALTH_BUCKETS.map((bucket) => (row[bucket] === 0 ? '0' : `${Math.round((row[bucket] / total) * 100)}% ${row[bucket]} of ${total}`));
  });
}

describeChromium('role health, the role charter and suggested roles', () => {
  let bed: ScreenBed;
  let health: RoleHealthView;
  beforeAll(async () => {
    bed = await screenBed('scrum-team');
  }, 120_000);
  afterAll(async () => {
    await bed?.close();
  });

  async function shoot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });
  }

  it('as the Scrum Master: the heat map of the demo history shows the server’s numbers, sprint by sprint, in both themes, axe clean', async () => {
    const problems: string[] = [];
    for (const theme of THEMES) {
      const { page, frame } = await bed.frameOf('sam', '/project/DEMO/violations', theme);
      await healthTab(frame);
      health = await whenReady(async () => (await invokeAs(bed.server, page, 'roleHealth', { sprints: 6 })) as unknown as RoleHealthView);
      expect(health).toMatchObject({ ok: true, state: 'ready' });
      // The demo history has closed sprints with work in them.
      expect(health.sprints.filter((s) => s.state === 'closed').length).toBeGreaterThanOrEqual(3);
      const newest = health.sprints[health.sprints.length - 1]!;
      await frame.getByRole('table', { name: `Who did the work in ${newest.name}` }).waitFor();
      expect(await heatMapCells(frame)).toEqual(expectedCells(newest));
      // Every sprint, picked in turn, shows its own figures.
      for (const sprint of health.sprints) {
        await frame.getByLabel('Sprint', { exact: true }).selectOption(sprint.id);
        await frame.getByRole('table', { name: `Who did the work in ${sprint.name}` }).waitFor();
        expect({ sprint: sprint.name, cells: await heatMapCells(frame) }).toEqual({ sprint: sprint.name, cells: expectedCells(sprint) });
      }
      // The sprint with the most work off its role is the one photographed; its cells say so in words.
      const drifting = [...health.sprints].sort((a, b) => b.offRole.length - a.offRole.length)[0]!;
      await frame.getByLabel('Sprint', { exact: true }).selectOption(drifting.id);
      await frame.getByRole('table', { name: `Who did the work in ${drifting.name}` }).waitFor();
      expect(drifting.offRole.length).toBeGreaterThan(0);
      expect(await frame.locator('table.srg-heat-map .srg-heat-off').count()).toBe(drifting.offRole.length);
      for (const cell of drifting.offRole) await frame.getByText(cell.reason, { exact: true }).waitFor();
      if (drifting.clerical.count > 0) await frame.getByRole('heading', { name: /^The Scrum Master took on some of the team.s own work$/ }).waitFor();
      for (const issue of await axeSerious(frame)) problems.push(`role health (${theme}): ${issue}`);
      await shoot(page, `role-health-${theme}.png`);
      await page.close();
    }
    expect(problems).toEqual([]);
  }, 240_000);

  it('a cell opens the changes behind it, each linked to its work item; closing gives the focus back to the cell', async () => {
    const { page, frame } = await bed.frameOf('sam', '/project/DEMO/violations');
    await healthTab(frame);
    const sprint = health.sprints[health.sprints.length - 1]!;
    const cell = frame.locator('table.srg-heat-map button.srg-heat-button').first();
    const counted = Number(((await cell.locator('.srg-heat-count').textContent()) ?? '').split(' ')[0]);
    await cell.click();
    const heading = frame.locator('#drill-heading');
    await heading.waitFor();
    expect(await frame.evaluate(() => document.activeElement?.id)).toBe('drill-heading');
    expect(await heading.textContent()).toContain(sprint.name);
    const rows = frame.locator('section[aria-labelledby="drill-heading"] tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(Math.min(50, counted));
    // Names, never account ids.
    for (const who of await frame.locator('section[aria-labelledby="drill-heading"] td.srg-col-who').allTextContents()) expect(who).not.toMatch(/^[0-9a-f:-]{20,}$/);
    if (counted > 50) {
      await frame.getByRole('button', { name: 'Show more' }).click();
      await frame.waitForFunction((n) => document.querySelectorAll('section[aria-labelledby="drill-heading"] tbody tr').length === n, Math.min(100, counted));
    }
    await frame.getByRole('button', { name: 'Close the changes' }).click();
    await heading.waitFor({ state: 'detached' });
    await frame.waitForFunction(() => document.activeElement?.classList.contains('srg-heat-button'));

    await cell.click();
    const link = rows.first().getByRole('link');
    const key = ((await link.textContent()) ?? '').trim();
    expect(key).toMatch(/^DEMO-\d+$/);
    await Promise.all([page.waitForURL(new RegExp(`/browse/${key}$`)), link.click()]);
    await page.close();
  }, 90_000);

  it('the tabs work from the keyboard: arrow keys move between them and only the chosen one is in the tab order', async () => {
    const { page, frame } = await bed.frameOf('olivia', '/project/DEMO/violations');
    const violations = frame.getByRole('tab', { name: 'Violations' });
    await violations.focus();
    await page.keyboard.press('ArrowRight');
    const healthTabButton = frame.getByRole('tab', { name: 'Role health' });
    expect(await healthTabButton.getAttribute('aria-selected')).toBe('true');
    expect(await frame.evaluate(() => document.activeElement?.textContent)).toBe('Role health');
    await page.keyboard.press('End');
    expect(await frame.getByRole('tab', { name: 'Role charter' }).getAttribute('aria-selected')).toBe('true');
    expect(await frame.locator('[role="tab"][tabindex="0"]').count()).toBe(1);
    await page.keyboard.press('Home');
    expect(await violations.getAttribute('aria-selected')).toBe('true');
    await page.close();
  }, 60_000);

  it('a Developer has no Role health tab, and the resolver refuses her kindly', async () => {
    const { page, frame } = await bed.frameOf('dana', '/project/DEMO/violations');
    await frame.getByRole('tab', { name: 'Role charter' }).waitFor();
    await frame.getByRole('heading', { name: 'Entries', exact: true }).waitFor();
    expect(await frame.getByRole('tab').allTextContents()).toEqual(['Violations', 'Role charter']);
    const answer = await invokeAs(bed.server, page, 'roleHealth', { sprints: 6 });
    expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await page.close();
  }, 60_000);

  it('the charter names Olivia as Product Owner, copies and downloads as Markdown, in both themes, axe clean', async () => {
    const problems: string[] = [];
    for (const theme of THEMES) {
      const { page, frame } = await bed.frameOf('dana', '/project/DEMO/violations', theme);
      await frame.getByRole('tab', { name: 'Role charter' }).click();
      const po = frame.getByRole('region', { name: 'Product Owner' });
      await po.waitFor();
      expect(await po.textContent()).toContain('Olivia Owen');
      const charter = (await invokeAs(bed.server, page, 'getRoleCharter', {})) as unknown as RoleCharterView;
      for (const row of charter.talkTo) await frame.getByRole('cell', { name: row.who, exact: true }).first().waitFor();

      const download = page.waitForEvent('download');
      await frame.getByRole('button', { name: 'Download Markdown' }).click();
      const file = await download;
      expect(file.suggestedFilename()).toBe('role-charter-DEMO.md');
      const markdown = readFileSync((await file.path()), 'utf8');
      expect(markdown).toBe(charter.markdown);
      expect(markdown).toContain('Olivia Owen');

      await frame.getByRole('button', { name: 'Copy as Markdown' }).click();
      await frame.getByText('Copied as Markdown. Paste it into the team’s wiki.').waitFor();

      for (const issue of await axeSerious(frame)) problems.push(`role charter (${theme}): ${issue}`);
      await shoot(page, `role-charter-${theme}.png`);
      // Printed, the charter goes without the tabs and the buttons.
      await page.emulateMedia({ media: 'print' });
      expect(await frame.getByRole('tablist').isVisible()).toBe(false);
      expect(await frame.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
      expect(await po.isVisible()).toBe(true);
      await page.close();
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it('Suggest roles, as the admin: Olivia as Product Owner with her reason; "Use this" changes only the draft until Save; the Scrum Master is not guessed', async () => {
    // The roles as a team that has not named its Product Owner yet.
    const noOwner = teamDocument(bed.sandbox, { 'backlog-rank': 'block' }) as { roles: Record<string, { users: string[] }> };
    noOwner.roles['productOwner'] = { users: [] };
    await bed.saveConfig(noOwner);
    const olivia = bed.sandbox.site.findPerson('olivia')!.accountId;
    const storedPo = async (): Promise<string[]> =>
      ((await (await fetch(`${bed.server.url}/sandbox/api/projects/DEMO/config`)).json()) as { document: { roles: { productOwner: { users: string[] } } } }).document.roles.productOwner.users;

    const problems: string[] = [];
    for (const theme of THEMES) {
      const { page, frame } = await bed.frameOf('alex', '/project/DEMO/settings', theme);
      await frame.getByRole('button', { name: /^Suggest roles/ }).click();
      const card = frame.getByRole('region', { name: 'Product Owner' }).filter({ has: frame.getByRole('button', { name: /Use this/ }) });
      await card.waitFor({ timeout: 60_000 });
      expect(await card.textContent()).toContain('Olivia Owen');
      const suggestion = (await whenReady(async () => (await invokeAs(bed.server, page, 'suggestRoles', { days: 90 })) as unknown as RoleSuggestionView)).suggestions;
      const po = suggestion.find((s) => s.role === 'productOwner')!;
      expect(po.accountIds).toEqual([olivia]);
      for (const reason of po.reasons) expect((await card.textContent())!.toLowerCase()).toContain(reason.why.toLowerCase());
      const sm = frame.getByRole('region', { name: 'Scrum Master' }).filter({ hasText: 'No suggestion' });
      await sm.waitFor();
      expect(await sm.getByRole('button').count()).toBe(0);

      for (const issue of await axeSerious(frame)) problems.push(`suggest roles (${theme}): ${issue}`);
      await shoot(page, `suggest-roles-${theme}.png`);
      if (theme === 'dark') {
        await page.close();
        continue;
      }
      await card.getByRole('button', { name: /Use this/ }).click();
      // The buttons give way to a line saying where the suggestion went, which takes the focus.
      await frame.getByRole('region', { name: 'Product Owner' }).getByText('In your unsaved changes.', { exact: false }).waitFor();
      expect(await frame.evaluate(() => document.activeElement?.textContent)).toMatch(/^In your unsaved changes/);
      await frame.getByText('Unsaved changes', { exact: true }).waitFor();
      await frame.getByRole('list', { name: 'Product Owner: people: chosen' }).getByText('Olivia Owen').waitFor();
      expect(await storedPo()).toEqual([]);
      await frame.getByRole('button', { name: 'Save', exact: true }).click();
      await frame.getByText('Settings saved.').waitFor();
      expect(await storedPo()).toEqual([olivia]);
      await page.close();
    }
    expect(problems).toEqual([]);
  }, 180_000);
});
