/**
 * The app calls Forge only through the packages' public entries: `getAppContext()` rather than the
 * internal `__getRuntime()`, and no file deep inside a package (`@forge/x/out/...`), whose shape can
 * change in any release.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SRC = path.join(__dirname, '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sources(full) : /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

it('uses no internal Forge API', () => {
  const offences = sources(SRC).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    const found: string[] = [];
    if (/\b__getRuntime\b/.test(text)) found.push(`${path.relative(SRC, file)}: __getRuntime (use getAppContext)`);
    for (const match of text.matchAll(/from '(@forge\/[^']+\/out\/[^']*)'/g)) found.push(`${path.relative(SRC, file)}: ${match[1]}`);
    return found;
  });
  expect(offences).toEqual([]);
});
