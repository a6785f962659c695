#!/usr/bin/env node
/**
 * Runs first in `npm start` and `npm test`, so that a fresh clone needs nothing else:
 *
 * 1. `npm ci` when node_modules does not hold what package-lock.json says (missing, or another
 *    version). What is installed is read from npm's own record, node_modules/.package-lock.json.
 *    Optional packages for another platform (os, cpu, libc) are not expected, as npm skips them.
 * 2. `node static/build.mjs` when a Custom UI bundle is missing, or older than its sources
 *    (static/, src/shared/) or than the last install.
 *
 * Prints one line when it does something, nothing otherwise. Plain Node with no dependencies: it
 * runs before any are installed.
 */
'use strict';

const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');

/** The files a surface's bundle is made of, as static/build.mjs writes them. */
const BUNDLE_FILES = ['index.html', 'app.js', 'app.css'];

/**
 * The platform npm installs for: os and cpu as Node names them, and libc on Linux ('glibc', 'musl',
 * or undefined when it cannot tell, in which case npm skips packages that require one).
 * @returns {{ os: string, cpu: string, libc: string | undefined }}
 */
function currentPlatform() {
  let libc;
  if (process.platform === 'linux') {
    const report = /** @type {any} */ (process.report?.getReport());
    if (report?.header?.glibcVersionRuntime) libc = 'glibc';
    else if ((report?.sharedObjects ?? []).some((file) => /libc\.musl-|ld-musl-/.test(String(file)))) libc = 'musl';
  }
  return { os: process.platform, cpu: process.arch, libc };
}

/** npm's rule for a package.json `os`/`cpu`/`libc` list: "!name" excludes, plain names include. */
function listAllows(list, value) {
  if (list === undefined) return true;
  const entries = Array.isArray(list) ? list : [list];
  if (value !== undefined && entries.includes(`!${value}`)) return false;
  const wanted = entries.filter((entry) => !entry.startsWith('!'));
  return wanted.length === 0 || (value !== undefined && wanted.includes(value));
}

/** Whether npm installs this lock entry on that platform (an optional package for another one it skips). */
function installsOn(entry, platform) {
  if (!entry.optional) return true;
  return listAllows(entry.os, platform.os) && listAllows(entry.cpu, platform.cpu) && (entry.libc === undefined || listAllows(entry.libc, platform.libc));
}

/**
 * What the lock says that node_modules lacks: each package path the lock expects on this platform
 * that npm's record of node_modules does not hold at the same version. Extra packages do not count.
 * @param {{ packages?: Record<string, any> }} lock package-lock.json
 * @param {{ packages?: Record<string, any> } | undefined} installed node_modules/.package-lock.json, undefined when absent
 * @param {{ os: string, cpu: string, libc: string | undefined }} platform
 * @returns {string[]} e.g. ["node_modules/zod: 4.6.7 wanted, 4.5.0 installed", "node_modules/tsx: missing"]
 */
function lockedButNotInstalled(lock, installed, platform) {
  const have = installed?.packages ?? {};
  const lacking = [];
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (path === '' || entry.link || !installsOn(entry, platform)) continue;
    const found = have[path];
    if (!found) lacking.push(`${path}: missing`);
    else if (found.version !== entry.version) lacking.push(`${path}: ${entry.version} wanted, ${found.version} installed`);
  }
  return lacking;
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * Whether `npm ci` is needed in root, and why.
 * @returns {{ stale: boolean, reason: string }}
 */
function dependencyState(root = ROOT, platform = currentPlatform()) {
  if (!existsSync(join(root, 'node_modules'))) return { stale: true, reason: 'node_modules is missing' };
  const record = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(record)) return { stale: true, reason: 'node_modules has no record of an npm install' };
  const lacking = lockedButNotInstalled(readJson(join(root, 'package-lock.json')), readJson(record), platform);
  if (lacking.length === 0) return { stale: false, reason: 'node_modules matches package-lock.json' };
  const more = lacking.length > 1 ? ` and ${lacking.length - 1} more` : '';
  return { stale: true, reason: `node_modules differs from package-lock.json (${lacking[0]}${more})` };
}

/** The newest modification time among the files under dir, skipping folders named in `skip`. */
function newestFile(dir, skip) {
  let newest = { file: '', mtimeMs: 0 };
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (skip.includes(entry.name)) continue;
      const inner = newestFile(path, skip);
      if (inner.mtimeMs > newest.mtimeMs) newest = inner;
    } else if (entry.isFile()) {
      const { mtimeMs } = statSync(path);
      if (mtimeMs > newest.mtimeMs) newest = { file: path, mtimeMs };
    }
  }
  return newest;
}

/**
 * Whether the Custom UI bundles need building in root, and why. Each folder static/<name>/src/main.tsx
 * is a surface built into static/<name>/dist; a bundle counts as stale when any of its files is
 * missing or older than the newest file under static/ (outside dist folders), under src/shared/
 * (the resolver contract the bundles import), or than npm's record of the last install.
 * @returns {{ stale: boolean, reason: string }}
 */
function uiState(root = ROOT) {
  const staticDir = join(root, 'static');
  const surfaces = readdirSync(staticDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(staticDir, entry.name, 'src', 'main.tsx')))
    .map((entry) => entry.name)
    .sort();
  const sources = [newestFile(staticDir, ['dist', 'node_modules']), newestFile(join(root, 'src', 'shared'), [])];
  const installRecord = join(root, 'node_modules', '.package-lock.json');
  if (existsSync(installRecord)) sources.push({ file: installRecord, mtimeMs: statSync(installRecord).mtimeMs });
  const newestSource = sources.reduce((a, b) => (b.mtimeMs > a.mtimeMs ? b : a));
  for (const surface of surfaces) {
    for (const name of BUNDLE_FILES) {
      const file = join(staticDir, surface, 'dist', name);
      if (!existsSync(file)) return { stale: true, reason: `static/${surface} is not built` };
      if (statSync(file).mtimeMs < newestSource.mtimeMs) {
        return { stale: true, reason: `static/${surface}/dist is older than ${newestSource.file.slice(root.length + 1)}` };
      }
    }
  }
  return { stale: false, reason: 'every bundle is newer than its sources' };
}

/** Runs a command in root; on failure prints what it printed and exits with its code. */
function run(command, args, root) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', shell: process.platform === 'win32' });
  if (result.status === 0) return;
  process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? `${result.error.message}\n` : ''}`);
  console.error(`prelude: \`${[command, ...args].join(' ')}\` failed`);
  process.exit(result.status || 1);
}

function npm(args, root) {
  // Under `npm start`/`npm test`, npm says where it is; the same npm then installs.
  const npmCli = process.env.npm_execpath;
  if (npmCli && /\.[cm]?js$/.test(npmCli)) run(process.execPath, [npmCli, ...args], root);
  else run('npm', args, root);
}

function main(root = ROOT) {
  const deps = dependencyState(root);
  const ui = deps.stale ? { stale: true, reason: 'after an install' } : uiState(root);
  if (!deps.stale && !ui.stale) return;
  const work = [deps.stale && `installing the dependencies (${deps.reason})`, ui.stale && `building the UI (${ui.reason})`].filter(Boolean);
  console.log(`Getting ready: ${work.join(', then ')}…`);
  if (deps.stale) npm(['ci', '--no-fund', '--no-audit', '--loglevel=error'], root);
  if (ui.stale) run(process.execPath, [join('static', 'build.mjs')], root);
}

module.exports = { currentPlatform, installsOn, lockedButNotInstalled, dependencyState, uiState };

if (require.main === module) main();
