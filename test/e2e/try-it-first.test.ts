/**
 * "Try it first" on the settings page, in Chromium: after a stakeholder's backlog move that the app
 * put back, the trial run counts the stakeholder once and never the app's own put-back.
 */
import { join } from 'node:path';
import { demoRoleConfig } from '../../sandbox/jira';
import { appFrame, describeChromium, openAs, sandboxInChromium, SCREENSHOTS } from '../support/chromium';

describeChromium('Try it first and the app’s own changes', () => {
  const bed = sandboxInChromium('srg-try-');

  it('does not count the app’s put-back as a change by someone outside the Scrum Team', async () => {
    const { sandbox, server, browser } = bed;
    const site = sandbox.site;
    const document = { ...demoRoleConfig(site.fieldIds), rules: { 'backlog-rank': { mode: 'block' } } };
    const saved = await fetch(`${server.url}/sandbox/api/projects/DEMO/config`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(document) });
    expect(saved.status).toBe(200);
    const backlog = site.backlogOrder();
    await site.act('stella', { action: 'rank', issue: backlog[3]!, before: backlog[0]! });
    await sandbox.host.settle();
    expect(site.findIssue(backlog[3]!)!.changelog.some((e) => e.authorAccountId === site.appAccountId)).toBe(true);

    const page = await openAs(browser, server.url, 'alex', '/project/DEMO/settings');
    const frame = await appFrame(page);
    await frame.getByRole('tab', { name: 'Try it first' }).click();
    await frame.getByLabel('Days of history').fill('1');
    await frame.getByRole('button', { name: 'Try it' }).click();
    await frame.getByText(/^Done:/).waitFor({ timeout: 30_000 });
    const result = await frame.locator('section[aria-labelledby="audit-heading"]').innerText();
    await page.screenshot({ path: join(SCREENSHOTS, 'try-it-first-own-changes.png'), fullPage: true });
    expect(result).toContain('Stella Hart');
    expect(result).toMatch(/1 change would have gone against the Scrum roles: 1 blocked/);
    expect(result).not.toContain('Scrum Role Guard');
    await page.close();
  });
});
