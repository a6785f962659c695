/**
 * How the Custom UI is built (issue 11, item 20; issue 10, item 5): every surface runs on
 * preact/compat, with no React in any bundle; the slim @forge/bridge is read from the exact version
 * package.json pins, and the build refuses another; tslib brings only the helpers used. And the
 * lint rule that catches an effect on a callback rebuilt every render (item 4) is on for static/.
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Runs static/build.mjs's own functions in a child (it is an ES module) and returns what it prints. */
function buildScript(body: string): unknown {
  const script = `const build = await import(${JSON.stringify(join(ROOT, 'static', 'build.mjs'))});\n${body}`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
}

describe('the Custom UI bundles', () => {
  it('build every surface on preact: no React, React DOM or zod module in any bundle', () => {
    const inputs = buildScript(`
      const out = {};
      for (const surface of build.SURFACES) {
        // Into a folder of its own: other tests serve the real dist folders meanwhile.
        const result = await build.buildSurface(surface, { outDir: ${JSON.stringify(join(tmpdir(), 'srg-bundles-'))} + process.pid + '/' + surface.name });
        out[surface.name] = Object.keys(result.metafile.inputs);
      }
      console.log(JSON.stringify(out));
    `) as Record<string, string[]>;
    expect(Object.keys(inputs).sort()).toEqual(['issue-panel', 'settings', 'violation-log']);
    for (const [surface, files] of Object.entries(inputs)) {
      expect({ surface, react: files.filter((f) => /node_modules\/(react|react-dom|scheduler)\//.test(f)) }).toEqual({ surface, react: [] });
      expect({ surface, preact: files.some((f) => f.includes('node_modules/preact/')) }).toEqual({ surface, preact: true });
      // The resolver contract holds zod schemas; the pages take only its types.
      expect({ surface, zod: files.filter((f) => f.includes('node_modules/zod/')) }).toEqual({ surface, zod: [] });
    }
  }, 120_000);

  it('read @forge/bridge files from the exact version package.json pins, and the installed one is it', () => {
    const pinned = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies['@forge/bridge'];
    const installed = (JSON.parse(readFileSync(join(ROOT, 'node_modules', '@forge', 'bridge', 'package.json'), 'utf8')) as { version: string }).version;
    const checked = buildScript('console.log(JSON.stringify({ version: build.FORGE_BRIDGE_VERSION, problem: await build.forgeBridgeProblem() }));') as { version: string; problem: string | null };
    expect(pinned).toBe(checked.version);
    expect(installed).toBe(checked.version);
    expect(checked.problem).toBeNull();
  }, 60_000);
});

describe('tslib in the bundles', () => {
  it('is only the helpers the bundled files use, and a file that uses another one fails the build, naming it', () => {
    const answer = buildScript(`
      const out = { bytes: {}, failure: null };
      for (const surface of build.SURFACES) {
        const result = await build.buildSurface(surface, { outDir: ${JSON.stringify(join(tmpdir(), 'srg-tslib-'))} + process.pid + '/' + surface.name });
        const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint);
        out.bytes[surface.name] = Object.entries(output.inputs).filter(([file]) => file.includes('node_modules/tslib/')).reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
      }
      build.TSLIB_HELPERS.splice(build.TSLIB_HELPERS.indexOf('__importDefault'), 1);
      await build.buildSurface(build.SURFACES[0], { outDir: ${JSON.stringify(join(tmpdir(), 'srg-tslib-missing-'))} + process.pid }).catch((error) => {
        out.failure = error.errors.map((e) => e.text).join('; ');
      });
      console.log(JSON.stringify(out));
    `) as { bytes: Record<string, number>; failure: string | null };
    // All of tslib is about 11 KB; the two helpers @forge/i18n uses are a few hundred bytes.
    for (const [surface, bytes] of Object.entries(answer.bytes)) expect({ surface, small: bytes > 0 && bytes < 1500 }).toEqual({ surface, small: true });
    expect(answer.failure).toMatch(/uses tslib's __importDefault, which TSLIB_HELPERS in static\/build.mjs does not serve/);
  }, 120_000);
});

describe('the lint of static/', () => {
  it('flags an effect or callback that misses a dependency (react-hooks/exhaustive-deps) and a promise nobody awaits, as errors', () => {
    const code = [
      "import { useCallback, useEffect } from 'react';",
      'export function Picker({ learn, search }: { learn: () => void; search: (q: string) => void }) {',
      '  const find = useCallback((q: string) => { learn(); search(q); }, []);',
      "  useEffect(() => { find('demo'); }, []);",
      '  return null;',
      '}',
      // A write nobody awaits: lost without a word when it fails (the type-aware rules see it).
      'export function saveLater(save: () => Promise<void>) { save(); }',
      '',
    ].join('\n');
    // The repository's own config, as `npm run lint` runs it (in a child: ESLint loads its config as an
    // ES module). The probe is a real file under static/: the type-aware rules need it in the project.
    const probe = join(ROOT, 'static', 'kit', `lint-probe-${process.pid}.tsx`);
    writeFileSync(probe, code);
    let run: SpawnSyncReturns<string>;
    try {
      run = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--format', 'json', probe], { cwd: ROOT, encoding: 'utf8' });
    } finally {
      rmSync(probe, { force: true });
    }
    const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null; severity: number }[] }[];
    const hooks = result!.messages.filter((m) => m.ruleId === 'react-hooks/exhaustive-deps');
    expect(hooks.length).toBe(2);
    expect(hooks.every((m) => m.severity === 2)).toBe(true);
    expect(result!.messages.filter((m) => m.ruleId === '@typescript-eslint/no-floating-promises').map((m) => m.severity)).toEqual([2]);
  }, 60_000);
});
