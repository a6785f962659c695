/**
 * The work item in Chromium (issue 11, items 10, 11, 12 and 17 on the panel): a refused transition
 * says what the roles are in the present tense with no internal id, and the panel shows it without
 * a reload, as it does any change Jira reports (JIRA_ISSUE_CHANGED); statuses read as names; repeats
 * of one nudge are one card; nobody closes an entry about themselves.
 */
import type { Frame, Page } from 'playwright-core';
import { describeChromium } from '../support/chromium';
import { invokeAs, screenBed, teamDocument, type ScreenBed } from './support';

describeChromium('the work item and its panel', () => {
  let bed: ScreenBed;
  beforeAll(async () => {
    bed = await screenBed('scrum-team');
    await bed.saveConfig(teamDocument(bed.sandbox, { 'status-change': 'block', 'backlog-rank': 'block' }));
  }, 60_000);
  afterAll(async () => {
    await bed?.close();
  });

  /** Counts the page's own navigations (a reload would be one). */
  function navigations(page: Page): { count: number } {
    const seen = { count: 0 };
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) seen.count++;
    });
    return seen;
  }

  const cards = (frame: Frame) => frame.locator('article.srg-card');

  it('item 10: a refused transition is said in the present tense with no rule id, and shows on the panel without a reload (item 11: with status names)', async () => {
    const { page, frame } = await bed.frameOf('stella', '/browse/DEMO-12');
    await frame.getByRole('heading', { name: 'Nothing to talk about' }).waitFor();
    const moved = navigations(page);
    await page.getByRole('button', { name: 'In Progress' }).click();
    const refusal = page.locator('#status.error');
    await refusal.waitFor();
    const text = (await refusal.textContent()) ?? '';
    expect(text).toContain('only the Developers may move work items to another status');
    expect(text).toContain('Scrum roles panel');
    expect(text).not.toMatch(/status-change|rule "|was changed/);

    // The panel hears that the work item changed and shows the refused transition, by name.
    const card = cards(frame).filter({ hasText: 'Moving a work item to another status' });
    await card.waitFor({ timeout: 10_000 });
    expect(await card.textContent()).toContain('Refused');
    expect(await card.textContent()).toContain('To Do → In Progress');
    expect(await card.textContent()).not.toMatch(/10000|→ 3\b|was changed/);
    expect(await card.textContent()).toContain('nothing changed');
    expect(moved.count).toBe(0);
    await page.close();
  }, 60_000);

  it('item 10: a change someone else makes while the panel is open shows up on it without a reload', async () => {
    const { page, frame } = await bed.frameOf('sam', '/browse/DEMO-14');
    await frame.getByRole('heading', { name: 'Nothing to talk about' }).waitFor();
    const moved = navigations(page);
    // Dana, a Developer, changes the priority from her own browser (here: the sandbox's API).
    const answer = await fetch(`${bed.server.url}/sandbox/api/act`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ as: 'dana', action: 'edit', issue: 'DEMO-14', fields: { priority: 'Highest' } }),
    });
    expect(answer.status).toBe(200);
    await cards(frame).filter({ hasText: 'Changing the priority' }).waitFor({ timeout: 10_000 });
    // The page's own view of the work item follows too.
    await page.locator('#priority').evaluate((select) => (select as HTMLSelectElement).selectedOptions[0]?.textContent).then((p) => expect(p).toBe('Highest'));
    expect(moved.count).toBe(0);
    await page.close();
  }, 60_000);

  it('item 12: three identical nudges are one card that says how often', async () => {
    for (let i = 0; i < 3; i++) await bed.act('stella', { action: 'rank', issue: 'DEMO-15', before: 'DEMO-11' });
    const { page, frame } = await bed.frameOf('sam', '/browse/DEMO-15');
    await frame.getByText('3 times, last', { exact: false }).waitFor();
    expect(await cards(frame).count()).toBe(1);
    expect(await cards(frame).first().textContent()).toContain('3 times');
    // Closing the card closes all three.
    await frame.getByRole('button', { name: 'Mark all 3 as talked through' }).click();
    await frame.getByRole('textbox', { name: /^Note/ }).fill('Talked with Stella: ideas go to Olivia.');
    await frame.getByRole('button', { name: 'Save note' }).click();
    await frame.getByText('Talked through by Sam Rivera', { exact: false }).waitFor();
    const log = (await (await fetch(`${bed.server.url}/sandbox/api/projects/DEMO/violations`)).json()) as { rows: { issueKey: string; status: string }[] };
    expect(log.rows.filter((r) => r.issueKey === 'DEMO-15').map((r) => r.status)).toEqual(['acknowledged', 'acknowledged', 'acknowledged']);
    await page.close();
  }, 60_000);

  it('item 17: the Scrum Master cannot close an entry about himself, the button says why, and the resolver refuses it too; the Product Owner can', async () => {
    // The Scrum Master sizes a work item: the Developers' call.
    await bed.act('sam', { action: 'edit', issue: 'DEMO-4', fields: { estimate: 8 } });
    const sam = await bed.frameOf('sam', '/browse/DEMO-4');
    const card = cards(sam.frame).filter({ hasText: 'Changing the estimate' });
    await card.waitFor();
    const button = card.getByRole('button', { name: 'Mark as talked through' });
    expect(await button.getAttribute('aria-disabled')).toBe('true');
    expect(await card.textContent()).toContain('This one is about you, so someone else talks it through with you');
    const nudges = (await invokeAs(bed.server, sam.page, 'getWorkItemNudges', {})) as { violations: { id: string; actor: string }[] };
    const own = nudges.violations.find((v) => v.actor === bed.sandbox.site.findPerson('sam')!.accountId)!;
    const refused = await invokeAs(bed.server, sam.page, 'acknowledge', { ids: [own.id], note: 'All fine, I did it myself.' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('about you') } });
    await sam.page.close();

    const olivia = await bed.frameOf('olivia', '/browse/DEMO-4');
    await olivia.frame.getByRole('button', { name: 'Mark as talked through' }).click();
    await olivia.frame.getByRole('textbox', { name: /^Note/ }).fill('Sam and the Developers agreed Sam may move items when pairing.');
    await olivia.frame.getByRole('button', { name: 'Save note' }).click();
    await olivia.frame.getByText('Talked through by Olivia Owen', { exact: false }).waitFor();
    await olivia.page.close();
  }, 60_000);
});
