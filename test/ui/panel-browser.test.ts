/**
 * The built issue panel in Chromium, with a scripted host for @forge/bridge in front of it (as Jira
 * and the sandbox put one): it renders the roles and nudges, shows user text as text, sends an
 * acknowledgement with its note, keeps the focus where the person is as the note opens and closes,
 * and axe finds no serious issue in light or dark.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.SRG_REQUIRE_CHROMIUM === '1') throw new Error(`${CHROMIUM} is missing and SRG_REQUIRE_CHROMIUM=1`);
const maybe = haveChromium ? describe : describe.skip;

const root = join(__dirname, '..', '..');
// Built into a folder of its own: other tests serve static/issue-panel/dist meanwhile.
const dist = join(tmpdir(), `srg-panel-${process.pid}`);

const EVIL = '<img src=x onerror="window.__pwned=1">Mallory';

function hostScript(colorMode: 'light' | 'dark'): string {
  const answer = {
    ok: true,
    issueKey: 'DEMO-7',
    roles: { productOwner: ['po'], scrumMaster: ['sm'], developers: ['dev1', 'dev2'], stakeholders: ['evil'] },
    people: [
      { accountId: 'po', displayName: 'Pat Owner', avatarUrl: null, active: true },
      { accountId: 'sm', displayName: 'Sam Master', avatarUrl: null, active: true },
      { accountId: 'dev1', displayName: 'Dana Dev', avatarUrl: null, active: true },
      { accountId: 'dev2', displayName: 'Devi Dev', avatarUrl: null, active: true },
      { accountId: 'evil', displayName: EVIL, avatarUrl: null, active: true },
    ],
    violations: [
      {
        id: 'cl-1:backlog-rank', occurredAt: new Date(Date.now() - 3600_000).toISOString(), issueKey: 'DEMO-7', actor: 'evil', actorRoles: ['stakeholders'],
        rule: 'backlog-rank', mode: 'block', outcome: 'reverted', fromValue: null, toValue: null, fromText: null, toText: 'Ranked higher',
        sprintId: null, status: 'open', ackNote: null, ackBy: null, ackAt: null,
      },
    ],
    viewer: { accountId: 'sm', roles: ['scrumMaster'], scope: 'all', canAcknowledge: true },
  };
  return `<script>
  window.__calls = [];
  document.documentElement.setAttribute('data-color-mode', ${JSON.stringify(colorMode)});
  globalThis.__bridge = { callBridge: async function (method, payload) {
    window.__calls.push({ method: method, payload: payload });
    if (method === 'getContext') return { accountId: 'sm', locale: 'en_US', timezone: 'UTC', extension: { type: 'jira:issueContext', project: { key: 'DEMO', id: '10000' }, issue: { key: 'DEMO-7', id: '10007' } } };
    if (method === 'invoke' && payload.functionKey === 'getWorkItemNudges') return ${JSON.stringify(answer)};
    if (method === 'invoke' && payload.functionKey === 'acknowledge') return { ok: true, acknowledged: 1 };
    return true;
  } };
  </script>`;
}

maybe('issue panel in Chromium', () => {
  let server: Server;
  let base = '';
  let browser: import('playwright-core').Browser;
  let colorMode: 'light' | 'dark' = 'light';

  beforeAll(async () => {
    const build = `const b = await import(${JSON.stringify(join(root, 'static', 'build.mjs'))}); await b.buildSurface(b.SURFACES.find((s) => s.name === 'issue-panel'), { outDir: ${JSON.stringify(dist)} });`;
    execFileSync(process.execPath, ['--input-type=module', '-e', build], { cwd: root, stdio: 'pipe' });
    server = createServer((req, res) => {
      const file = (req.url ?? '/').split('?')[0] === '/' ? 'index.html' : (req.url ?? '').replace(/^\//, '').split('?')[0]!;
      if (file.includes('..') || !existsSync(join(dist, file))) {
        res.writeHead(404).end();
        return;
      }
      let body: string | Buffer = readFileSync(join(dist, file));
      if (file === 'index.html') body = body.toString('utf8').replace('<head>', `<head>${hostScript(colorMode)}`);
      res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'text/html' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('shows the roles and the nudge, with user text as text', async () => {
    colorMode = 'light';
    const page = await browser.newPage();
    await page.goto(base);
    await page.getByRole('heading', { name: 'Ordering a Product Backlog item', exact: false }).or(page.getByRole('heading', { name: /Reordering a Product Backlog item/ })).waitFor();
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).toContain('Pat Owner');
    expect(text).toContain('Sam Master');
    expect(text).toContain('Undone');
    expect(text).toContain(EVIL); // the markup is shown, not run
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    await page.close();
  });

  it('sends an acknowledgement with its note, and asks for a note first', async () => {
    const page = await browser.newPage();
    await page.goto(base);
    await page.getByRole('button', { name: 'Mark as talked through' }).click();
    await page.getByRole('button', { name: 'Save note' }).click();
    await page.getByText('Write a short note').waitFor();
    await page.getByLabel('Note').fill('Talked with Mallory: ideas go to the Product Owner.');
    await page.getByRole('button', { name: 'Save note' }).click();
    await page.waitForFunction(() => (window as unknown as { __calls: { method: string; payload: { functionKey?: string } }[] }).__calls.some((c) => c.payload?.functionKey === 'acknowledge'));
    const calls = await page.evaluate(() => (window as unknown as { __calls: { method: string; payload: { functionKey?: string; payload?: unknown } }[] }).__calls);
    const ack = calls.find((c) => c.payload?.functionKey === 'acknowledge');
    expect(ack?.payload.payload).toEqual({ ids: ['cl-1:backlog-rank'], note: 'Talked with Mallory: ideas go to the Product Owner.' });
    await page.close();
  });

  it('moves the focus into the note as the form opens, and back to its button on Cancel', async () => {
    colorMode = 'light';
    const page = await browser.newPage();
    await page.goto(base);
    const open = page.getByRole('button', { name: 'Mark as talked through' });
    await open.focus();
    await page.keyboard.press('Enter');
    const focused = () =>
      page.evaluate(() => {
        const element = document.activeElement as HTMLTextAreaElement | null;
        return { tag: element?.tagName, label: element?.labels?.[0]?.textContent ?? element?.textContent };
      });
    await page.waitForFunction(() => document.activeElement?.tagName === 'TEXTAREA', undefined, { timeout: 3000 });
    expect(await focused()).toEqual({ tag: 'TEXTAREA', label: 'Note *' });
    await page.keyboard.type('Half a thought');
    await page.getByRole('button', { name: 'Cancel' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.tagName === 'BUTTON', undefined, { timeout: 3000 });
    expect(await focused()).toEqual({ tag: 'BUTTON', label: 'Mark as talked through' });
    await page.close();
  });

  it.each(['light', 'dark'] as const)('has no serious accessibility issue in %s', async (mode) => {
    colorMode = mode;
    const page = await browser.newPage();
    await page.goto(base);
    await page.getByRole('button', { name: 'Mark as talked through' }).waitFor();
    await page.addScriptTag({ content: readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
    const violations = await page.evaluate(async () => {
      const result = await (window as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: { id: string; impact: string; help: string }[] }> } }).axe.run(document);
      return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
    });
    expect(violations).toEqual([]);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe(mode === 'dark' ? 'rgb(31, 31, 33)' : 'rgb(255, 255, 255)');
    await page.close();
  });
});
