/**
 * The committed package-lock.json installs on every platform. npm lists a native package for each
 * platform as an optional dependency (@swc/core-darwin-arm64, @esbuild/win32-x64, ...) and installs
 * only the one that fits; a lock written where the registry showed only this machine's platform
 * lacks the others, and then `npm ci` refuses it elsewhere and `npm install` rewrites it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface LockEntry {
  readonly optionalDependencies?: Record<string, string>;
}

const lock = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package-lock.json'), 'utf8')) as {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
};

/** Where Node finds `name` from the package at `from`: its own node_modules, then each parent's, up to the project's. */
function lockedPathOf(name: string, from: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base === '' ? '' : `${base}/`}node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (base === '') return undefined;
    const parent = base.lastIndexOf('/node_modules/');
    base = parent < 0 ? '' : base.slice(0, parent);
  }
}

function optionalDependents(): Array<[string, string[]]> {
  return Object.entries(lock.packages)
    .filter(([, entry]) => entry.optionalDependencies)
    .map(([path, entry]) => [path, Object.keys(entry.optionalDependencies!)]);
}

it('is a version 3 lock, which lists every installed package by its path', () => {
  expect(lock.lockfileVersion).toBe(3);
});

it('holds every optional package that a locked package lists, whatever platform it is for', () => {
  const missing = optionalDependents().flatMap(([path, names]) =>
    names.filter((name) => !lockedPathOf(name, path)).map((name) => `${name} (an optional dependency of ${path || 'the project'})`),
  );
  expect(missing).toEqual([]);
});

it('checks the packages that ship a native binary per platform', () => {
  // Guards the test above against passing on nothing: these list one package per platform.
  const dependents = new Map(optionalDependents());
  for (const name of ['@swc/core', 'esbuild', 'unrs-resolver']) {
    expect(dependents.get(`node_modules/${name}`)?.length).toBeGreaterThan(10);
  }
  expect(lockedPathOf('@swc/core-darwin-arm64', 'node_modules/@swc/core')).toBe('node_modules/@swc/core-darwin-arm64');
  expect(lockedPathOf('@esbuild/win32-x64', 'node_modules/esbuild')).toBe('node_modules/@esbuild/win32-x64');
});
