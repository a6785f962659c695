#!/usr/bin/env node
/**
 * Builds every Custom UI app under static/ into static/<surface>/dist/ (index.html, app.js, app.css),
 * minified, with relative asset paths as Forge's resource hosting requires, and prints each bundle's
 * gzipped size next to its budget.
 *
 *   node static/build.mjs            build all surfaces
 *   node static/build.mjs --json     also print one JSON line with the sizes (for the benchmark)
 *   node static/build.mjs --dev      no minification, inline source maps
 *
 * Exit code 1 when a build fails or a bundle is over its budget.
 */
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const staticDir = dirname(fileURLToPath(import.meta.url));
const rootDir = join(staticDir, '..');
const bridgeOut = join(rootDir, 'node_modules', '@forge', 'bridge', 'out');

/**
 * One entry per surface. Every surface runs on preact/compat (React is aliased to it): the same
 * components at a third of React's weight.
 */
export const SURFACES = [
  { name: 'settings', title: 'Scrum Role Guard settings', budgetKb: 60 },
  { name: 'issue-panel', title: 'Scrum Role Guard', budgetKb: 60 },
  { name: 'violation-log', title: 'Scrum Role Guard violation log', budgetKb: 60 },
];

const PREACT_ALIASES = {
  react: 'preact/compat',
  'react-dom': 'preact/compat',
  'react-dom/client': 'preact/compat/client',
  'react/jsx-runtime': 'preact/jsx-runtime',
};

/**
 * `@forge/bridge`'s index pulls in every bridge API (modals, realtime, Rovo, an iframe resizer...),
 * about 32 KB gzipped, and being CommonJS it cannot be tree-shaken. The apps use a few of them, so
 * imports of the package are served from its own unmodified modules for just those: same code, a
 * third of the weight. These are files inside the package, not its public entry, so package.json pins
 * the exact version they were read from and test/ui/bundles.test.ts fails when the installed one
 * differs or a file moved. The names must stay in step with static/kit/bridge.ts and theme.ts, the
 * only files that import the package.
 */
export const FORGE_BRIDGE_VERSION = '7.2.0';
export const FORGE_BRIDGE_FILES = ['invoke/invoke.js', 'fetch/index.js', 'flag/flag.js', 'events/events.js', 'router/router.js', 'view/getContext.js', 'view/theme.js', 'view/refresh.js'];

/** Why the slim bridge cannot be built from what is installed, or null when it can. */
export async function forgeBridgeProblem() {
  const manifest = JSON.parse(await readFile(join(bridgeOut, '..', 'package.json'), 'utf8').catch(() => '{}'));
  if (manifest.version !== FORGE_BRIDGE_VERSION) {
    return `@forge/bridge ${manifest.version ?? '(missing)'} is installed, but the build reads files inside @forge/bridge ${FORGE_BRIDGE_VERSION}: check FORGE_BRIDGE_FILES against the new version, then update FORGE_BRIDGE_VERSION and the pin in package.json`;
  }
  const missing = [];
  for (const file of FORGE_BRIDGE_FILES) if (!existsSync(join(bridgeOut, file))) missing.push(file);
  return missing.length > 0 ? `@forge/bridge ${FORGE_BRIDGE_VERSION} has no ${missing.join(', ')}` : null;
}

const slimForgeBridge = {
  name: 'slim-forge-bridge',
  setup(b) {
    b.onResolve({ filter: /^@forge\/bridge$/ }, () => ({ path: 'forge-bridge', namespace: 'slim-forge-bridge' }));
    b.onLoad({ filter: /.*/, namespace: 'slim-forge-bridge' }, () => ({
      resolveDir: bridgeOut,
      loader: 'js',
      contents: [
        `export { invoke } from ${JSON.stringify(join(bridgeOut, 'invoke', 'invoke.js'))};`,
        `export { requestJira } from ${JSON.stringify(join(bridgeOut, 'fetch', 'index.js'))};`,
        `export { showFlag } from ${JSON.stringify(join(bridgeOut, 'flag', 'flag.js'))};`,
        `export { events } from ${JSON.stringify(join(bridgeOut, 'events', 'events.js'))};`,
        `export { router } from ${JSON.stringify(join(bridgeOut, 'router', 'router.js'))};`,
        `import { getContext } from ${JSON.stringify(join(bridgeOut, 'view', 'getContext.js'))};`,
        `import { theme } from ${JSON.stringify(join(bridgeOut, 'view', 'theme.js'))};`,
        `import { refresh } from ${JSON.stringify(join(bridgeOut, 'view', 'refresh.js'))};`,
        `export const view = { getContext, theme, refresh };`,
      ].join('\n'),
    }));
  },
};

/**
 * @forge/i18n (which the bridge's getContext loads) requires `tslib` from CommonJS for two helpers,
 * which would bring all of tslib's ES module (its default export names every helper, so nothing can
 * be left out). Served instead as a module that re-exports the helpers the bundled files use, from
 * tslib's own unmodified file, the rest is left out. A bundled file that uses another helper fails the
 * build, naming it.
 */
export const TSLIB_HELPERS = ['__exportStar', '__importDefault', '__importStar'];

const slimTslib = {
  name: 'slim-tslib',
  setup(b) {
    b.onResolve({ filter: /^tslib$/ }, () => ({ path: 'tslib', namespace: 'slim-tslib' }));
    b.onLoad({ filter: /.*/, namespace: 'slim-tslib' }, () => ({
      resolveDir: rootDir,
      loader: 'js',
      contents: `export { ${TSLIB_HELPERS.join(', ')} } from ${JSON.stringify(join(rootDir, 'node_modules', 'tslib', 'tslib.es6.mjs'))};`,
    }));
    b.onLoad({ filter: /[\\/]node_modules[\\/].*\.js$/ }, async (args) => {
      const contents = await readFile(args.path, 'utf8');
      if (!contents.includes('require("tslib")')) return undefined;
      const missing = [...contents.matchAll(/tslib_\d+\.(__\w+)/g)].map((m) => m[1]).filter((name) => !TSLIB_HELPERS.includes(name));
      if (missing.length > 0) return { errors: [{ text: `uses tslib's ${[...new Set(missing)].join(', ')}, which TSLIB_HELPERS in static/build.mjs does not serve` }] };
      return { contents, loader: 'js' };
    });
  },
};

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function indexHtml(surface) {
  // Relative paths only: Forge serves each resource from its own path on a CDN.
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(surface.title)}</title>
<link rel="stylesheet" href="./app.css">
</head>
<body>
<div id="root"></div>
<script src="./app.js"></script>
</body>
</html>
`;
}

/** `outDir`: where to write (default static/<surface>/dist, which Forge uploads and the sandbox serves). */
export async function buildSurface(surface, { dev = false, outDir = join(staticDir, surface.name, 'dist') } = {}) {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const result = await build({
    entryPoints: { app: join(staticDir, surface.name, 'src', 'main.tsx') },
    outdir: outDir,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    minify: !dev,
    sourcemap: dev ? 'inline' : false,
    jsx: 'automatic',
    legalComments: 'none',
    metafile: true,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production') },
    alias: PREACT_ALIASES,
    plugins: [slimForgeBridge, slimTslib],
    absWorkingDir: rootDir,
  });
  await writeFile(join(outDir, 'index.html'), indexHtml(surface));
  const sizes = {};
  for (const file of ['app.js', 'app.css']) {
    const content = await readFile(join(outDir, file)).catch(() => Buffer.alloc(0));
    sizes[file] = { raw: content.length, gzip: gzipSync(content, { level: 9 }).length };
  }
  const gzipKb = (sizes['app.js'].gzip + sizes['app.css'].gzip) / 1024;
  return { surface: surface.name, outDir: relative(rootDir, outDir), sizes, gzipKb, budgetKb: surface.budgetKb, metafile: result.metafile };
}

async function main() {
  const args = new Set(process.argv.slice(2));
  const dev = args.has('--dev');
  const results = [];
  let failed = false;
  const bridgeProblem = await forgeBridgeProblem();
  if (bridgeProblem) {
    console.error(`static/build.mjs: ${bridgeProblem}`);
    process.exitCode = 1;
    return;
  }
  for (const surface of SURFACES) {
    try {
      results.push(await buildSurface(surface, { dev }));
    } catch (error) {
      failed = true;
      const messages = error?.errors?.map((e) => `${e.location?.file ?? ''}:${e.location?.line ?? ''} ${e.text}`) ?? [String(error)];
      console.error(`static/${surface.name}: build failed\n  ${messages.join('\n  ')}`);
    }
  }
  for (const r of results) {
    const over = r.gzipKb > r.budgetKb;
    if (over && !dev) failed = true;
    console.log(
      `${r.surface.padEnd(14)} js ${(r.sizes['app.js'].gzip / 1024).toFixed(1).padStart(6)} KB gz  css ${(r.sizes['app.css'].gzip / 1024)
        .toFixed(1)
        .padStart(5)} KB gz  total ${r.gzipKb.toFixed(1).padStart(6)} KB gz  budget ${r.budgetKb} KB ${over ? 'OVER' : 'ok'}  -> ${r.outDir}`,
    );
  }
  if (args.has('--json')) {
    console.log(JSON.stringify(Object.fromEntries(results.map((r) => [r.surface, Number(r.gzipKb.toFixed(2))]))));
  }
  if (failed) process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
