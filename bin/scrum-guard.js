#!/usr/bin/env node
// Runs the TypeScript sources directly (through tsx), so the command is always the code in src/.
require('tsx/cjs');
require('../src/cli/main.ts').main();
