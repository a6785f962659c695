/**
 * Size: the gzipped JavaScript and CSS of each Custom UI bundle (built by static/build.mjs, the same
 * build `npm run build:ui` makes) and of the backend bundle Forge would deploy (src/index.ts with
 * everything it imports, Node built-ins left out, as the function's code is uploaded).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { z } from 'zod';

const REPO_ROOT = join(__dirname, '..');

/** The budgets static/build.mjs holds each bundle to (its SURFACES): the same 60 KB for every page. */
export const UI_BUDGET_KB = { 'issue-panel': 60, settings: 60, 'violation-log': 60 } as const;

const uiSizesSchema = z.record(z.string(), z.number().nonnegative(), { error: 'expected { surface: gzipped KB }' });

export interface SizeFigures {
  /** Gzipped KB (JS + CSS) per Custom UI surface. */
  readonly ui: Readonly<Record<string, number>>;
  readonly panelBundleGzipKb: number;
  readonly largestPageBundleGzipKb: number;
  readonly largestPage: string;
  readonly backend: { readonly minifiedKb: number; readonly minifiedGzipKb: number; readonly plainKb: number; readonly plainGzipKb: number };
}

const kb = (bytes: number): number => Math.round((bytes / 1024) * 100) / 100;

/** Runs `node static/build.mjs --json` and reads the JSON of its last line. */
export function measureUiBundles(): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [join(REPO_ROOT, 'static', 'build.mjs'), '--json'], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const lines = stdout.trim().split('\n');
      const last = lines[lines.length - 1] ?? '';
      let parsed: unknown;
      try {
        parsed = JSON.parse(last);
      } catch {
        reject(new Error(`static/build.mjs --json: expected a JSON line last, got ${JSON.stringify(last)}${error ? ` (${error.message}; ${stderr.trim()})` : ''}`));
        return;
      }
      const sizes = uiSizesSchema.safeParse(parsed);
      if (!sizes.success) {
        reject(new Error(`static/build.mjs --json: ${sizes.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`));
        return;
      }
      // A bundle over its budget makes the build exit 1 but still prints the sizes: the table says so.
      resolve(sizes.data);
    });
  });
}

async function backendBytes(minify: boolean): Promise<Uint8Array> {
  const result = await build({
    entryPoints: [join(REPO_ROOT, 'src', 'index.ts')],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify,
    write: false,
    logLevel: 'error',
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error('esbuild produced no backend bundle');
  return output.contents;
}

export async function measureBackendBundle(): Promise<SizeFigures['backend']> {
  const [minified, plain] = await Promise.all([backendBytes(true), backendBytes(false)]);
  return { minifiedKb: kb(minified.length), minifiedGzipKb: kb(gzipSync(minified).length), plainKb: kb(plain.length), plainGzipKb: kb(gzipSync(plain).length) };
}

export async function measureSizes(): Promise<SizeFigures> {
  const [ui, backend] = await Promise.all([measureUiBundles(), measureBackendBundle()]);
  const panel = ui['issue-panel'];
  if (panel === undefined) throw new Error('static/build.mjs --json: no issue-panel size');
  const pages = Object.entries(ui).filter(([surface]) => surface !== 'issue-panel');
  const [largestPage, largestPageBundleGzipKb] = pages.reduce<[string, number]>((big, [name, size]) => (size > big[1] ? [name, size] : big), ['(none)', 0]);
  return { ui, panelBundleGzipKb: panel, largestPageBundleGzipKb, largestPage, backend };
}
