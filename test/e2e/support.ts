/**
 * What the screen tests share: a sandbox (with the demo start asked for) behind its HTTP server,
 * Debian's Chromium, and ways to act as a demo person, to call a frame's resolver the way its
 * invoke() does, and to count what a frame asks its resolvers.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Frame, Page, Request } from 'playwright-core';
import type { DemoStart } from '../../sandbox/demo';
import { createSandbox, type Sandbox } from '../../sandbox/sandbox';
import { startServer, type RunningServer } from '../../sandbox/server/server';
import { appFrame, launchChromium, openAs } from '../support/chromium';

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface ScreenBed {
  readonly sandbox: Sandbox;
  readonly server: RunningServer;
  readonly browser: Browser;
  open(as: string, path: string, theme?: 'light' | 'dark'): Promise<Page>;
  /** Opens a page and waits for the app's frame. */
  frameOf(as: string, path: string, theme?: 'light' | 'dark'): Promise<{ page: Page; frame: Frame }>;
  /** Acts as a demo person through the local Jira, then waits until the app has seen it. */
  act(as: string, action: Record<string, unknown>): Promise<void>;
  /** Saves the project's config as the Jira admin, through the app's settings resolver. */
  saveConfig(document: unknown): Promise<void>;
  close(): Promise<void>;
}

export async function screenBed(demo: DemoStart = 'scrum-team'): Promise<ScreenBed> {
  const dataDir = mkdtempSync(join(tmpdir(), 'srg-screens-'));
  const sandbox = await createSandbox({ dataDir, demo });
  const server = await startServer(sandbox, 0);
  const browser = await launchChromium();
  return {
    sandbox,
    server,
    browser,
    open: (as, path, theme = 'light') => openAs(browser, server.url, as, path, theme),
    async frameOf(as, path, theme = 'light') {
      const page = await openAs(browser, server.url, as, path, theme);
      return { page, frame: await appFrame(page) };
    },
    async act(as, action) {
      const result = await sandbox.site.act(as, action as never);
      if (!result.ok) throw new Error(`${as} ${JSON.stringify(action)}: ${result.message}`);
      await sandbox.host.settle();
    },
    async saveConfig(document) {
      const response = await fetch(`${server.url}/sandbox/api/projects/DEMO/config`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(document) });
      if (response.status !== 200) throw new Error(`saving the config answered ${response.status}: ${await response.text()}`);
    },
    async close() {
      await browser.close();
      await server.close();
      await sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The resolver functions a page's frames invoke, in order, as the sandbox's bridge sees them. */
export function resolverCalls(page: Page): string[] {
  const calls: string[] = [];
  page.on('request', (request: Request) => {
    if (!request.url().endsWith('/sandbox/bridge') || request.method() !== 'POST') return;
    const body = request.postDataJSON() as { method?: string; payload?: { functionKey?: string } } | null;
    if (body?.method === 'invoke' && body.payload?.functionKey) calls.push(body.payload.functionKey);
  });
  return calls;
}

/** Calls a resolver function as the frame on `page` would (with its token: the person and place it was opened for). */
export async function invokeAs(server: RunningServer, page: Page, functionKey: string, payload: unknown): Promise<Record<string, unknown>> {
  const src = await page.getAttribute('iframe.app', 'src');
  const token = /\/frame\/([0-9a-f]+)\//.exec(src ?? '')?.[1];
  if (!token) throw new Error('no app frame on the page');
  const answer = (await (
    await fetch(`${server.url}/sandbox/bridge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, method: 'invoke', payload: { functionKey, payload } }) })
  ).json()) as { result: Record<string, unknown> };
  return answer.result;
}

/** Serious or critical axe findings in a frame. */
export async function axeSerious(frame: Frame): Promise<string[]> {
  await frame.evaluate(AXE);
  const results = (await frame.evaluate(() => (globalThis as unknown as { axe: { run: () => Promise<unknown> } }).axe.run())) as {
    violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[];
  };
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** A document naming the demo's Scrum Team, with the given rule modes. */
export function teamDocument(sandbox: Sandbox, rules: Record<string, 'off' | 'flag' | 'block'>): Record<string, unknown> {
  const id = (handle: string): string => sandbox.site.findPerson(handle)!.accountId;
  return {
    version: 1,
    roles: {
      productOwner: { users: [id('olivia')] },
      scrumMaster: { users: [id('sam')] },
      developers: { users: [id('dana'), id('theo'), id('ravi')] },
      stakeholders: { users: [id('stella')] },
    },
    rules: Object.fromEntries(Object.entries(rules).map(([rule, mode]) => [rule, { mode }])),
  };
}
