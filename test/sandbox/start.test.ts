/** `npm start` from the project folder: the sandbox serves its pages quickly and stops cleanly on Ctrl-C. */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

it('serves the pages on embedded defaults and stops cleanly on SIGINT', async () => {
  const started = Date.now();
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'sandbox/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', SRG_DATA_DIR: mkdtempSync(join(tmpdir(), 'srg-start-')), SRG_MARIADB_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after 15 s:\n${output}`)), 15_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /open (http:\/\/[^\s]+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
  const page = await fetch(`${url}/`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('Backlog');
  expect(Date.now() - started).toBeLessThan(15_000);
  const exit = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  child.kill('SIGINT');
  expect(await exit).toBe(0);
  expect(output).toContain('stopping');
});
