#!/usr/bin/env node
/**
 * Runs the named npm scripts side by side (`npm test` runs the type check, the lint and the UI build
 * this way before jest): each is a process of its own, so on two cores they take about as long as the
 * slowest. Each script's output is printed whole when it ends, so outputs do not interleave; the exit
 * code is the first failure's, or 0.
 *
 *   node scripts/checks.js typecheck lint build:ui
 *
 * Plain Node with no dependencies.
 */
'use strict';

const { spawn } = require('node:child_process');

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** @param {string} script */
function run(script) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(npm, ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' });
    /** @type {Buffer[]} */
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('error', (error) => output.push(Buffer.from(`${String(error)}\n`)));
    child.on('close', (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const text = Buffer.concat(output).toString('utf8');
      process.stdout.write(`\n> npm run ${script}: ${code === 0 ? 'passed' : `failed (exit ${code})`} in ${seconds} s\n${text}`);
      resolve(code ?? 1);
    });
  });
}

const scripts = process.argv.slice(2);
if (scripts.length === 0) {
  process.stderr.write('checks: name the npm scripts to run, e.g. node scripts/checks.js typecheck lint\n');
  process.exit(2);
}
Promise.all(scripts.map(run)).then((codes) => {
  process.exitCode = codes.find((code) => code !== 0) ?? 0;
});
