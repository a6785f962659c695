/**
 * The violation log in Chromium (issue 11, items 11, 13 to 19): every entry counted in the sprint
 * charts (the ones outside a sprint as their own bar), a legend on every chart, charts kept under a
 * filter, week labels in the page's date format; work items sorted by number and linked; notes
 * counted, never cut, and kept narrow; one badge per outcome and the page's words in the CSV;
 * nobody closes their own entry; a Developer with no entries and someone outside the project are
 * told what is true for them.
 */
import { readFileSync } from 'node:fs';
import type { Frame } from 'playwright-core';
import { describeChromium } from '../support/chromium';
import { invokeAs, resolverCalls, screenBed, teamDocument, type ScreenBed } from './support';

/** The rows of a CSV as column name -> value. */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\ufeff/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  const [header, ...data] = rows;
  return data.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

describeChromium('the violation log', () => {
  let bed: ScreenBed;
  beforeAll(async () => {
    bed = await screenBed('scrum-team');
    await bed.saveConfig(teamDocument(bed.sandbox, { 'status-change': 'block', 'backlog-rank': 'block' }));
    // In the running sprint: the Scrum Master and the Product Owner size work items, a stakeholder's
    // transition is refused. Outside it: a stakeholder's backlog move (put back), a Developer's priority.
    await bed.act('sam', { action: 'edit', issue: 'DEMO-4', fields: { estimate: 8 } });
    await bed.act('olivia', { action: 'edit', issue: 'DEMO-7', fields: { estimate: 3 } });
    expect((await bed.sandbox.site.act('stella', { action: 'transition', issue: 'DEMO-7', to: 'In Progress' })).ok).toBe(false);
    await bed.act('stella', { action: 'rank', issue: 'DEMO-12', before: 'DEMO-10' });
    await bed.act('dana', { action: 'edit', issue: 'DEMO-14', fields: { priority: 'Highest' } });
  }, 90_000);
  afterAll(async () => {
    await bed?.close();
  });

  /** A chart's numbers, from the table it carries for screen readers: category -> total. */
  async function chartTotals(frame: Frame, title: RegExp): Promise<Record<string, number>> {
    const table = frame.getByRole('figure', { name: title }).locator('table');
    return table.evaluate((t) =>
      Object.fromEntries(
        Array.from(t.querySelectorAll('tbody tr')).map((tr) => [
          tr.querySelector('th')!.textContent ?? '',
          Array.from(tr.querySelectorAll('td')).reduce((sum, td) => sum + Number(td.textContent), 0),
        ]),
      ),
    );
  }

  it('item 13: the sprint charts count every entry, the ones outside a sprint as their own bar, with a legend each; a filter keeps them; weeks read as dates', async () => {
    const { page, frame } = await bed.frameOf('sam', '/project/DEMO/violations');
    await frame.getByRole('figure', { name: /Per rule, per sprint/ }).waitFor();
    const perSprint = await chartTotals(frame, /Per rule, per sprint/);
    expect(perSprint).toEqual({ 'DEMO Sprint 1': 3, 'Not in a sprint': 2 });
    for (const figure of await frame.getByRole('figure').all()) expect(await figure.locator('.srg-legend li').count()).toBeGreaterThan(0);

    await frame.getByLabel('Rule', { exact: true }).selectOption('priority-change');
    await frame.getByRole('button', { name: 'Apply filter' }).click();
    await frame.getByText('1 entry', { exact: true }).waitFor();
    expect(await chartTotals(frame, /Per rule, per sprint/)).toEqual({ 'Not in a sprint': 1 });
    await frame.getByRole('button', { name: 'Clear filter' }).first().click();

    await frame.getByLabel('Group by').selectOption('week');
    await frame.getByRole('figure', { name: /Per rule, per week/ }).waitFor();
    const weeks = Object.keys(await chartTotals(frame, /Per rule, per week/));
    expect(weeks.length).toBeGreaterThan(0);
    for (const week of weeks) expect(week).toMatch(/^Week of [A-Z][a-z]{2} \d{1,2}, \d{4}$/);
    // The same format as the page's own dates ("Nov 27, 2026, 5:52 PM").
    const when = (await frame.locator('td.srg-col-when').first().textContent()) ?? '';
    expect(when).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, /);
    await page.close();
  }, 60_000);

  it('item 14: work items sort by number and each key links to its work item', async () => {
    const { page, frame } = await bed.frameOf('sam', '/project/DEMO/violations');
    const keys = async (): Promise<string[]> => frame.locator('td.srg-col-item').allTextContents();
    await frame.getByRole('link', { name: 'DEMO-12' }).first().waitFor();
    const sortButton = frame.getByRole('button', { name: /^Work item/ });
    await sortButton.click(); // descending
    await sortButton.click(); // ascending
    await frame.locator('th[aria-sort="ascending"]').waitFor();
    // The header turns at once; the rows follow when the page's answer comes (the old rows stay
    // shown, marked busy, meanwhile): wait for the rows, and fail if they never come in order.
    await frame.waitForFunction(() => {
      const shown = Array.from(document.querySelectorAll('td.srg-col-item')).map((cell) => Number((cell.textContent ?? '').trim().split('-')[1]));
      return shown.length > 1 && shown.every((n, i) => i === 0 || shown[i - 1]! <= n) && !document.querySelector('[aria-busy="true"]');
    }, undefined, { timeout: 15_000 });
    const ascending = (await keys()).map((k) => k.trim());
    const numbers = ascending.map((k) => Number(k.split('-')[1]));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(ascending.indexOf('DEMO-4')).toBeLessThan(ascending.indexOf('DEMO-12'));
    await Promise.all([page.waitForURL(/\/browse\/DEMO-12$/), frame.getByRole('link', { name: 'DEMO-12' }).first().click()]);
    await page.close();
  }, 60_000);

  it('item 16 and 11: one badge per outcome, status names in the table, and the CSV in the page\'s words', async () => {
    const { page, frame } = await bed.frameOf('olivia', '/project/DEMO/violations');
    await frame.getByRole('link', { name: 'DEMO-12' }).first().waitFor();
    const entries = frame.locator('table.srg-table tbody tr');
    const outcomeCells = entries.locator('td:nth-last-child(2)');
    expect(await outcomeCells.count()).toBe(5);
    for (const cell of await outcomeCells.all()) {
      expect(await cell.locator('.srg-badge').count()).toBe(1);
      expect(await cell.textContent()).not.toMatch(/FLAG\s*FLAGGED|BLOCK\s*(REFUSED|UNDONE)|Flag\s*Flagged|Block\s*(Refused|Undone)/i);
    }
    const refusedRow = entries.filter({ hasText: 'Refused' });
    expect(await refusedRow.textContent()).toContain('To Do → In Progress');
    expect(await refusedRow.textContent()).not.toMatch(/10000/);

    const download = page.waitForEvent('download');
    await frame.getByRole('button', { name: 'Export CSV' }).click();
    const csv = parseCsv(readFileSync((await (await download).path()), 'utf8'));
    expect(csv).toHaveLength(5);
    const byItem = (key: string, rule: string) => csv.find((r) => r['Work item'] === key && r['Rule'] === rule)!;
    expect(byItem('DEMO-12', 'Reordering a Product Backlog item (not in the active sprint)')).toMatchObject({ 'What happened': 'Undone', Mode: 'Block', Sprint: 'Not in a sprint', Status: 'Open', Who: 'Stella Hart', 'Their role': 'Stakeholder' });
    expect(byItem('DEMO-7', 'Moving a work item to another status')).toMatchObject({ 'What happened': 'Refused', From: 'To Do', To: 'In Progress', Sprint: 'DEMO Sprint 1' });
    expect(byItem('DEMO-4', 'Changing the estimate (story points)')).toMatchObject({ 'What happened': 'Flagged', Mode: 'Flag', Sprint: 'DEMO Sprint 1', 'Their role': 'Scrum Master' });
    for (const row of csv) expect(Object.values(row).join(' ')).not.toMatch(/\b(reverted|acknowledged|refused|flagged)\b/);
    await page.close();
  }, 60_000);

  it('item 15: a long note is counted against its limit, never cut, not sent; a saved note keeps the table readable', async () => {
    const { page, frame } = await bed.frameOf('olivia', '/project/DEMO/violations');
    const calls = resolverCalls(page);
    await frame.getByRole('checkbox', { name: /Select Changing the priority on DEMO-14/ }).check();
    const note = frame.getByRole('textbox', { name: /^Note/ });
    const long = `${'We talked it through at the Daily Scrum and agreed what to change. '.repeat(40).slice(0, 2079)}.`;
    await note.fill(long);
    expect(await note.inputValue()).toHaveLength(2080);
    await frame.getByText('2,080 / 500 characters').waitFor();
    await frame.getByText(/1,580 characters too long/).waitFor();
    await frame.getByRole('button', { name: 'Save note' }).click();
    await page.waitForTimeout(300);
    expect(calls).not.toContain('acknowledgeMany');
    expect(await note.inputValue()).toHaveLength(2080);

    const fits = `${long.slice(0, 479)}.`;
    await note.fill(fits);
    await frame.getByText('480 / 500 characters', { exact: false }).waitFor();
    await frame.getByRole('button', { name: 'Save note' }).click();
    await frame.getByText('Read the whole note').waitFor();
    expect(calls).toContain('acknowledgeMany');
    const log = (await (await fetch(`${bed.server.url}/sandbox/api/projects/DEMO/violations`)).json()) as { rows: { issueKey: string; ackNote: string | null }[] };
    expect(log.rows.find((r) => r.issueKey === 'DEMO-14')!.ackNote).toBe(fits.trim());

    // Names stay on one line (their role on a second); the status column stays narrow.
    for (const cell of await frame.locator('td.srg-col-who').all()) {
      const lines = await cell.evaluate((td) => Math.round((td.firstElementChild as HTMLElement).getBoundingClientRect().height / parseFloat(getComputedStyle(td).lineHeight)));
      expect(lines).toBeLessThanOrEqual(2);
    }
    const statusWidth = await frame.locator('td.srg-col-status').first().evaluate((td) => td.getBoundingClientRect().width);
    expect(statusWidth).toBeLessThan(260);
    await page.close();
  }, 60_000);

  it('item 15: the note for the selected entries, cancelled, gives the focus back to the checkbox it came from', async () => {
    const { page, frame } = await bed.frameOf('olivia', '/project/DEMO/violations');
    const box = frame.getByRole('checkbox', { name: /Select Moving a work item to another status on DEMO-7/ });
    await box.focus();
    await page.keyboard.press('Space');
    const form = frame.getByRole('form', { name: 'Mark the selected entries as talked through' });
    await form.waitFor();
    await form.getByRole('button', { name: 'Cancel' }).focus();
    await page.keyboard.press('Enter');
    await form.waitFor({ state: 'detached' });
    await frame.waitForFunction(() => document.activeElement?.getAttribute('type') === 'checkbox', undefined, { timeout: 3000 });
    expect(await frame.evaluate(() => document.activeElement?.closest('label')?.textContent)).toMatch(/^Select Moving a work item to another status on DEMO-7/);
    expect(await box.isChecked()).toBe(false);
    await page.close();
  }, 60_000);

  it('item 17: the Scrum Master cannot select his own entry, the row says why, and the resolver refuses it', async () => {
    const { page, frame } = await bed.frameOf('sam', '/project/DEMO/violations');
    await frame.getByRole('link', { name: 'DEMO-4' }).first().waitFor();
    const own = frame.locator('table.srg-table tbody tr').filter({ hasText: 'Sam Rivera' });
    expect(await own.count()).toBe(1);
    expect(await own.getByRole('checkbox').count()).toBe(0);
    expect(await own.textContent()).toContain('About you: someone else talks it through with you.');
    const list = (await invokeAs(bed.server, page, 'listViolations', { limit: 50 })) as { rows: { id: string; actor: string }[] };
    const ownId = list.rows.find((r) => r.actor === bed.sandbox.site.findPerson('sam')!.accountId)!.id;
    const answer = await invokeAs(bed.server, page, 'acknowledgeMany', { ids: [ownId], note: 'Fine by me.' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await page.close();
  }, 60_000);

  it('item 18: a Developer with no entries is told none are hers, not that the project has none', async () => {
    const { page, frame } = await bed.frameOf('ravi', '/project/DEMO/violations');
    await frame.getByRole('heading', { name: 'Nothing here is about you' }).waitFor();
    expect(await frame.getByText('No violations yet').count()).toBe(0);
    expect(await frame.getByText('Everything done in this project so far fits the Scrum roles').count()).toBe(0);
    await page.close();
  }, 60_000);

  it('item 19: someone outside the project is told once, plainly, with nothing to retry (the log, and the other two screens too)', async () => {
    for (const path of ['/project/DEMO/violations', '/project/DEMO/settings', '/browse/DEMO-12']) {
      const { page, frame } = await bed.frameOf('oscar', path);
      await frame.getByText("You don't have access to this project").waitFor();
      await page.waitForTimeout(500);
      expect({ path, messages: await frame.getByText("You don't have access to this project").count() }).toEqual({ path, messages: 1 });
      expect(await frame.getByRole('button', { name: 'Try again' }).count()).toBe(0);
      expect(await frame.getByRole('alert').count()).toBe(0);
      expect(await frame.getByText(/could not be loaded/).count()).toBe(0);
      await page.close();
    }
  }, 60_000);
});
