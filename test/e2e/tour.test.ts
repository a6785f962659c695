/**
 * Every screen as every kind of demo person, in light and dark, on the demo's Scrum Team start after a
 * little activity: the settings page, a work item's panel and the violation log as the Jira admin,
 * the Product Owner, the Scrum Master, a Developer, a stakeholder and someone outside the project.
 * Each is checked with axe and photographed (test-output/screenshots/tour/); the README's pictures
 * are copied from here.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { describeChromium, SCREENSHOTS } from '../support/chromium';
import { axeSerious, screenBed, type ScreenBed } from './support';

const TOUR = join(SCREENSHOTS, 'tour');

const PEOPLE = ['alex', 'olivia', 'sam', 'dana', 'stella', 'oscar'] as const;

describeChromium('every screen as every demo person', () => {
  let bed: ScreenBed;
  const act = (as: string, action: Record<string, unknown>): Promise<void> => bed.act(as, action);

  beforeAll(async () => {
    bed = await screenBed('scrum-team');
    mkdirSync(TOUR, { recursive: true });
    // A week of a team finding its way: a stakeholder reorders the backlog (put back each time), the
    // Scrum Master moves a work item on the board, the Product Owner sizes one, a Developer and a
    // stakeholder change priorities, a stakeholder files a new item.
    for (let i = 0; i < 3; i++) await act('stella', { action: 'rank', issue: 'DEMO-12', before: 'DEMO-11' });
    await act('sam', { action: 'transition', issue: 'DEMO-4', to: 'In Progress' });
    await act('olivia', { action: 'edit', issue: 'DEMO-7', fields: { estimate: 5 } });
    await act('dana', { action: 'edit', issue: 'DEMO-14', fields: { priority: 'Highest' } });
    await act('stella', { action: 'edit', issue: 'DEMO-13', fields: { priority: 'High' } });
    await act('stella', { action: 'create', summary: 'Let customers pay with gift cards', type: 'Story' });
  }, 120_000);

  afterAll(async () => {
    await bed?.close();
  });

  async function tour(screen: string, path: string, ready: (frame: Frame, page: Page, as: string) => Promise<void>): Promise<void> {
    const problems: string[] = [];
    for (const as of PEOPLE) {
      for (const theme of ['light', 'dark'] as const) {
        const { page, frame } = await bed.frameOf(as, path, theme);
        try {
          await ready(frame, page, as);
        } catch (error) {
          await page.screenshot({ path: join(TOUR, `${screen}-${as}-${theme}-failed.png`), fullPage: true });
          throw new Error(`${screen} as ${as} (${theme}): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        }
        for (const issue of await axeSerious(frame)) problems.push(`${screen} as ${as} (${theme}): ${issue}`);
        await page.screenshot({ path: join(TOUR, `${screen}-${as}-${theme}.png`), fullPage: true });
        await page.close();
      }
    }
    expect(problems).toEqual([]);
  }

  it('the settings page', async () => {
    await tour('settings', '/project/DEMO/settings', async (frame, _page, as) => {
      if (as === 'oscar') await frame.getByText("You don't have access to this project").waitFor();
      else await frame.getByRole('tab', { name: 'Scrum roles' }).waitFor();
    });
  }, 180_000);

  it('the panel of a work item', async () => {
    await tour('issue-panel', '/browse/DEMO-12', async (frame, _page, as) => {
      if (as === 'oscar') await frame.getByText("You don't have access to this project").waitFor();
      else await frame.getByText('3 times', { exact: false }).first().waitFor();
    });
  }, 180_000);

  it('the violation log', async () => {
    await tour('violation-log', '/project/DEMO/violations', async (frame, _page, as) => {
      if (as === 'oscar') await frame.getByText("You don't have access to this project").waitFor();
      else if (as === 'alex' || as === 'olivia' || as === 'sam') await frame.getByRole('link', { name: 'DEMO-12' }).first().waitFor();
      else await frame.getByRole('heading', { name: 'Entries', exact: true }).waitFor();
      if (as !== 'oscar') await frame.getByText(/Loading/).first().waitFor({ state: 'detached' }).catch(() => undefined);
    });
  }, 180_000);
});
