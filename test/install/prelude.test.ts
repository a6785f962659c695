/**
 * The prelude in front of `npm start` and `npm test` (scripts/prelude.js): when it installs the
 * dependencies and when it builds the UI. Its whole run on a fresh clone is in fresh-clone.test.ts.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { dependencyState, installsOn, lockedButNotInstalled, uiState, type Lock, type Platform } from '../../scripts/prelude';

const LINUX: Platform = { os: 'linux', cpu: 'x64', libc: 'glibc' };
const MAC: Platform = { os: 'darwin', cpu: 'arm64', libc: undefined };

const lock: Lock = {
  packages: {
    '': {},
    'node_modules/zod': { version: '4.6.7' },
    'node_modules/tsx': { version: '4.23.15' },
    'node_modules/tsx/node_modules/esbuild': { version: '0.25.0' },
    'node_modules/@swc/core-linux-x64-gnu': { version: '1.16.22', optional: true, os: ['linux'], cpu: ['x64'], libc: ['glibc'] },
    'node_modules/@swc/core-linux-x64-musl': { version: '1.16.22', optional: true, os: ['linux'], cpu: ['x64'], libc: ['musl'] },
    'node_modules/@swc/core-darwin-arm64': { version: '1.16.22', optional: true, os: ['darwin'], cpu: ['arm64'] },
    'node_modules/fsevents': { version: '2.3.3', optional: true, os: ['darwin'] },
  },
};

/** npm's record after an install of `lock` on Linux x64 with glibc. */
const installedOnLinux: Lock = {
  packages: {
    'node_modules/zod': { version: '4.6.7' },
    'node_modules/tsx': { version: '4.23.15' },
    'node_modules/tsx/node_modules/esbuild': { version: '0.25.0' },
    'node_modules/@swc/core-linux-x64-gnu': { version: '1.16.22', optional: true },
  },
};

function withPackage(record: Lock, path: string, version: string | undefined): Lock {
  const packages = { ...record.packages };
  if (version === undefined) delete packages[path];
  else packages[path] = { version };
  return { packages };
}

describe('what the lock says that node_modules lacks', () => {
  it('is nothing after an install of that lock on this platform', () => {
    expect(lockedButNotInstalled(lock, installedOnLinux, LINUX)).toEqual([]);
  });

  it('names a package that is missing, also one nested under another', () => {
    expect(lockedButNotInstalled(lock, withPackage(installedOnLinux, 'node_modules/zod', undefined), LINUX)).toEqual(['node_modules/zod: missing']);
    expect(lockedButNotInstalled(lock, withPackage(installedOnLinux, 'node_modules/tsx/node_modules/esbuild', undefined), LINUX)).toEqual([
      'node_modules/tsx/node_modules/esbuild: missing',
    ]);
  });

  it('names a package installed at another version than the lock says (a pulled lock)', () => {
    expect(lockedButNotInstalled(lock, withPackage(installedOnLinux, 'node_modules/zod', '4.5.0'), LINUX)).toEqual([
      'node_modules/zod: 4.6.7 wanted, 4.5.0 installed',
    ]);
  });

  it('does not count packages that node_modules holds beyond the lock', () => {
    expect(lockedButNotInstalled(lock, withPackage(installedOnLinux, 'node_modules/left-over', '1.0.0'), LINUX)).toEqual([]);
  });

  it('expects the optional packages of this platform only, as npm installs them', () => {
    expect(lockedButNotInstalled(lock, withPackage(installedOnLinux, 'node_modules/@swc/core-linux-x64-gnu', undefined), LINUX)).toEqual([
      'node_modules/@swc/core-linux-x64-gnu: missing',
    ]);
    expect(lockedButNotInstalled(lock, installedOnLinux, MAC)).toEqual(['node_modules/@swc/core-darwin-arm64: missing', 'node_modules/fsevents: missing']);
  });

  it('sees everything missing when there is no record of an install', () => {
    expect(lockedButNotInstalled(lock, undefined, LINUX)).toHaveLength(4);
  });

  it('chooses from the real lock exactly one native @swc/core per platform', () => {
    const realLock = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package-lock.json'), 'utf8')) as Lock;
    const swcFor = (platform: Platform) =>
      lockedButNotInstalled(realLock, undefined, platform).filter((line) => line.startsWith('node_modules/@swc/core-'));
    expect(swcFor(LINUX)).toEqual(['node_modules/@swc/core-linux-x64-gnu: missing']);
    expect(swcFor({ os: 'linux', cpu: 'x64', libc: 'musl' })).toEqual(['node_modules/@swc/core-linux-x64-musl: missing']);
    expect(swcFor(MAC)).toEqual(['node_modules/@swc/core-darwin-arm64: missing']);
    expect(swcFor({ os: 'win32', cpu: 'x64', libc: undefined })).toEqual(['node_modules/@swc/core-win32-x64-msvc: missing']);
  });
});

describe("npm's platform fields", () => {
  it('reads "!name" as every platform but that one', () => {
    expect(installsOn({ optional: true, os: ['!win32'] }, LINUX)).toBe(true);
    expect(installsOn({ optional: true, os: ['!win32'] }, { os: 'win32', cpu: 'x64', libc: undefined })).toBe(false);
  });

  it('does not expect a package that needs a C library it cannot identify', () => {
    expect(installsOn({ optional: true, os: ['linux'], libc: ['glibc'] }, { os: 'linux', cpu: 'x64', libc: undefined })).toBe(false);
  });

  it('always expects a package that is not optional', () => {
    expect(installsOn({ os: ['darwin'] }, LINUX)).toBe(true);
  });
});

describe('when to run npm ci', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'srg-prelude-'));
    writeFileSync(join(root, 'package-lock.json'), JSON.stringify(lock));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const record = (installed: Lock) => {
    mkdirSync(join(root, 'node_modules'), { recursive: true });
    writeFileSync(join(root, 'node_modules', '.package-lock.json'), JSON.stringify(installed));
  };

  it('when node_modules is missing', () => {
    expect(dependencyState(root, LINUX)).toEqual({ stale: true, reason: 'node_modules is missing' });
  });

  it('when node_modules was not written by npm', () => {
    mkdirSync(join(root, 'node_modules'));
    expect(dependencyState(root, LINUX)).toEqual({ stale: true, reason: 'node_modules has no record of an npm install' });
  });

  it('when the lock asks for what node_modules lacks, naming the first and counting the rest', () => {
    record({ packages: { 'node_modules/zod': { version: '4.5.0' } } });
    expect(dependencyState(root, LINUX)).toEqual({
      stale: true,
      reason: 'node_modules differs from package-lock.json (node_modules/zod: 4.6.7 wanted, 4.5.0 installed and 3 more)',
    });
  });

  it('not when node_modules holds what the lock says', () => {
    record(installedOnLinux);
    expect(dependencyState(root, LINUX).stale).toBe(false);
  });
});

describe('when to build the UI', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'srg-prelude-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const T0 = new Date('2026-01-01T10:00:00Z');
  /** Writes a file and sets its modification time `minutes` after T0. */
  const file = (path: string, minutes: number) => {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, '');
    const at = new Date(T0.getTime() + minutes * 60_000);
    utimesSync(full, at, at);
  };
  const sources = (minutes: number) => {
    file('static/build.mjs', minutes);
    file('static/kit/app.tsx', minutes);
    file('static/settings/src/main.tsx', minutes);
    file('static/issue-panel/src/main.tsx', minutes);
    file('src/shared/resolver-api.ts', minutes);
  };
  const bundles = (minutes: number, surfaces = ['settings', 'issue-panel']) => {
    for (const surface of surfaces) for (const name of ['index.html', 'app.js', 'app.css']) file(`static/${surface}/dist/${name}`, minutes);
  };

  it('when a surface has never been built', () => {
    sources(0);
    bundles(5, ['settings']);
    expect(uiState(root)).toEqual({ stale: true, reason: 'static/issue-panel is not built' });
  });

  it('when one file of a bundle is missing', () => {
    sources(0);
    bundles(5);
    rmSync(join(root, 'static/settings/dist/app.css'));
    expect(uiState(root)).toEqual({ stale: true, reason: 'static/settings is not built' });
  });

  it('not when every bundle is newer than its sources; a folder without src/main.tsx is no surface', () => {
    sources(0);
    bundles(5);
    expect(uiState(root)).toEqual({ stale: false, reason: 'every bundle is newer than its sources' });
  });

  it("when a surface's own source, the kit, the build script or the resolver contract changed since", () => {
    for (const changed of ['static/issue-panel/src/Panel.tsx', 'static/kit/tokens.css', 'static/build.mjs', 'src/shared/resolver-api.ts']) {
      sources(0);
      bundles(5);
      file(changed, 6);
      expect(uiState(root)).toEqual({ stale: true, reason: expect.stringMatching(new RegExp(`dist is older than ${changed}$`)) });
      file(changed, 0);
    }
  });

  it('when the dependencies were installed since', () => {
    sources(0);
    bundles(5);
    file('node_modules/.package-lock.json', 6);
    expect(uiState(root)).toEqual({ stale: true, reason: 'static/issue-panel/dist is older than node_modules/.package-lock.json' });
  });

  it('not for what a build writes itself: one bundle newer than another is no source', () => {
    sources(0);
    bundles(5, ['settings']);
    bundles(7, ['issue-panel']);
    expect(uiState(root).stale).toBe(false);
  });
});
