/**
 * Debian's Chromium through playwright-core (never a browser download); playwright gives each launch
 * a fresh profile. A browser test is skipped
 * without /usr/bin/chromium, and fails instead under SRG_REQUIRE_CHROMIUM=1.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { createSandbox, type Sandbox } from '../../sandbox/sandbox';
import { startServer, type RunningServer } from '../../sandbox/server/server';

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);
if (!chromiumAvailable && process.env['SRG_REQUIRE_CHROMIUM'] === '1') throw new Error(`${CHROMIUM} is missing and SRG_REQUIRE_CHROMIUM=1`);

export function describeChromium(name: string, body: () => void): void {
  (chromiumAvailable ? describe : describe.skip)(name, body);
}

/** Where test runs leave screenshots (git-ignored). */
export const SCREENSHOTS = resolve(__dirname, '../../test-output/screenshots');

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A new page on the sandbox at `path`, acting as `as`, in the given theme. */
export async function openAs(browser: Browser, baseUrl: string, as: string, path: string, theme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${baseUrl}/sandbox/switch?as=${as}&theme=${theme}&back=${encodeURIComponent(path)}`);
  return page;
}

/** The app's Custom UI frame on a sandbox page, once its bundle has rendered something. */
export async function appFrame(page: Page): Promise<Frame> {
  const element = await page.waitForSelector('iframe.app');
  const frame = (await element.contentFrame())!;
  await frame.waitForSelector('main, [role="main"], h1, h2', { timeout: 15_000 });
  return frame;
}

export interface ChromiumBed {
  readonly sandbox: Sandbox;
  readonly server: RunningServer;
  readonly browser: Browser;
}

/**
 * A fresh sandbox served over HTTP and a browser, set up before the suite's tests and closed after
 * them; read its parts inside the tests.
 */
export function sandboxInChromium(dataDirPrefix: string): ChromiumBed {
  const bed: { sandbox?: Sandbox; server?: RunningServer; browser?: Browser } = {};
  beforeAll(async () => {
    bed.sandbox = await createSandbox({ dataDir: mkdtempSync(join(tmpdir(), dataDirPrefix)) });
    bed.server = await startServer(bed.sandbox, 0);
    bed.browser = await launchChromium();
  });
  afterAll(async () => {
    await bed.browser?.close();
    await bed.server?.close();
    await bed.sandbox?.close();
  });
  return {
    get sandbox() {
      return bed.sandbox!;
    },
    get server() {
      return bed.server!;
    },
    get browser() {
      return bed.browser!;
    },
  };
}
