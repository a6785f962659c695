/**
 * A fresh clone needs only `npm start`: the prelude installs the dependencies and builds the screens,
 * and the sandbox then serves the app's screens built, not a "not built yet" notice. `npm install`
 * afterwards changes no committed file (the lock already holds what npm would write).
 *
 * The clone is this working tree as a commit would hold it (tracked and new files, nothing ignored),
 * in a temporary folder. npm installs from its cache where it can (`prefer-offline`).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/** This process's environment without what npm sets for its own scripts (they name this folder). */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== 'INIT_CWD'));
  return { ...env, npm_config_prefer_offline: 'true', npm_config_fund: 'false', npm_config_audit: 'false', ...extra };
}

function cloneWorkingTree(into: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT })
    .toString()
    .split('\0')
    .filter((file) => file && existsSync(join(ROOT, file)));
  for (const file of files) {
    mkdirSync(dirname(join(into, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(into, file));
  }
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', ...args], { cwd: into });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '--no-verify', '-m', 'fresh clone');
}

/** Waits for the sandbox's "open http://…/" line; everything printed is collected in `output.text`. */
function addressOf(child: ChildProcess, output: { text: string }, timeoutMs: number): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after ${timeoutMs / 1000} s:\n${output.text}`)), timeoutMs);
    const read = (chunk: Buffer) => {
      output.text += chunk.toString();
      const match = /open (http:\/\/\S+?)\/\s/.exec(output.text);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output.text}`));
    });
  });
}

/** The app's frame on a sandbox page, fetched with the bundle it loads. */
async function screenOn(url: string, page: string): Promise<{ page: string; frame: string; script: string }> {
  const html = await (await fetch(`${url}${page}`)).text();
  const src = /<iframe class="app" src="([^"]+)"/.exec(html)?.[1];
  if (!src) return { page: html, frame: '', script: '' };
  const frame = await (await fetch(`${url}${src}`)).text();
  const script = await fetch(`${url}${src}app.js`);
  return { page: html, frame, script: script.ok ? await script.text() : `HTTP ${script.status}` };
}

it('npm start on a fresh clone installs, builds and serves the three screens; npm install then changes nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'srg-fresh-clone-'));
  const clone = join(dir, 'scrum-role-guard');
  let child: ChildProcess | undefined;
  try {
    cloneWorkingTree(clone);
    expect(existsSync(join(clone, 'node_modules'))).toBe(false);

    child = spawn('npm', ['start'], {
      cwd: clone,
      env: cleanEnv({ PORT: '0', SRG_DATA_DIR: join(dir, 'data'), SRG_MARIADB_URL: '' }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group: npm, the shell, tsx and the sandbox stop together
    });
    const output = { text: '' };
    const url = await addressOf(child, output, 200_000);
    expect(output.text).toContain('Getting ready: installing the dependencies (node_modules is missing), then building the UI');

    for (const page of ['/project/DEMO/settings', '/project/DEMO/violations', '/browse/DEMO-3']) {
      const screen = await screenOn(url, page);
      expect(screen.page).not.toContain('not built yet');
      expect(screen.frame).toContain('<div id="root"></div>');
      expect(screen.script.length).toBeGreaterThan(10_000);
    }

    const exited = new Promise((resolveExit) => child!.once('exit', resolveExit));
    process.kill(-child.pid!, 'SIGINT');
    await exited;
    expect(output.text).toContain('stopping');
    child = undefined;

    // Everything is in place now: the prelude says and does nothing.
    expect(execFileSync(process.execPath, ['scripts/prelude.js'], { cwd: clone, env: cleanEnv({}) }).toString()).toBe('');

    execFileSync('npm', ['install'], { cwd: clone, env: cleanEnv({}), stdio: 'pipe' });
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: clone }).toString()).toBe('');
  } finally {
    if (child?.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}, 300_000);
