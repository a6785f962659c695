/** `npm start` from the project folder: the sandbox serves its pages quickly and stops cleanly on Ctrl-C. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandboxProcess } from '../support/sandbox-process';

it('serves the pages on embedded defaults and stops cleanly on SIGINT', async () => {
  const started = Date.now();
  const sandbox = await startSandboxProcess({ SRG_DATA_DIR: mkdtempSync(join(tmpdir(), 'srg-start-')) });
  const page = await fetch(`${sandbox.url}/`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('Backlog');
  expect(Date.now() - started).toBeLessThan(15_000);
  expect(await sandbox.stop()).toBe(0);
  expect(sandbox.output()).toContain('stopping');
});
