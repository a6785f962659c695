/**
 * MariaDB for SQL tests: reachable or not is decided once, when the test file loads, so a test
 * that needs it is reported as skipped (not passed) without it, and fails under SRG_REQUIRE_MARIADB=1.
 */
import { spawnSync } from 'node:child_process';
import { createConnection } from 'mysql2/promise';

export const MARIADB_URL = process.env['SRG_MARIADB_URL'] || 'mysql://root@127.0.0.1:3306/test';

function probe(): boolean {
  const script = `require('mysql2/promise').createConnection(${JSON.stringify(MARIADB_URL)}).then(c => c.end()).then(() => process.exit(0), () => process.exit(1))`;
  return spawnSync(process.execPath, ['-e', script], { timeout: 10_000, cwd: __dirname }).status === 0;
}

export const mariaDbReachable = probe();
if (!mariaDbReachable && process.env['SRG_REQUIRE_MARIADB'] === '1') {
  throw new Error(`MariaDB is required (SRG_REQUIRE_MARIADB=1) but unreachable at ${MARIADB_URL}`);
}

/** `describe` when MariaDB is there, `describe.skip` otherwise. */
export const describeMariaDb: jest.Describe = mariaDbReachable ? describe : describe.skip;

/** A fresh database of its own for one test file; dropped again by `dropDatabase`. */
export async function freshDatabase(name: string): Promise<string> {
  const database = `srg_${name.replace(/[^a-z0-9_]/gi, '_')}_${process.pid}_${Date.now() % 1_000_000}`;
  const connection = await createConnection(MARIADB_URL);
  try {
    await connection.query(`CREATE DATABASE \`${database}\``);
  } finally {
    await connection.end();
  }
  const url = new URL(MARIADB_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function dropDatabase(url: string): Promise<void> {
  const database = new URL(url).pathname.slice(1);
  const connection = await createConnection(MARIADB_URL);
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
  } finally {
    await connection.end();
  }
}
