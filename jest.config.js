/** Tests run through SWC (type-checking is `npm run typecheck`, part of `npm test`). */
// Two workers even on two cores: most test files wait on a sandbox, a browser or MariaDB rather than
// compute, so a second worker nearly halves the wall time (jest's default is one on two cores).
const workers = Math.max(2, require('node:os').availableParallelism() - 1);

module.exports = {
  maxWorkers: workers,
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript', tsx: true } }, module: { type: 'commonjs' } }],
  },
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
