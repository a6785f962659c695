/**
 * The storage adapters' test bed: the sandbox's Forge host on a small app (fixture-app) that declares
 * the app's storage, with SQL on the embedded engine or on MariaDB. `run` executes a test's function
 * inside a Forge invocation, so the adapters use the real @forge/kvs and @forge/sql clients.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { mariaDbReachable } from '../support/mariadb';
import { createSqlEngine, ForgeHost, type HostClock, type ProductResponse, type SqlEngine } from '../../sandbox/forge';

export const FIXTURE_APP = path.join(__dirname, 'fixture-app');
const MARIADB_URL = process.env.SRG_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/test';

export type EngineKind = 'embedded' | 'mariadb';

export interface StorageBed {
  readonly host: ForgeHost;
  readonly engine: SqlEngine;
  readonly dataDir: string;
  /** Runs `fn` as one Forge invocation of the test app. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const noProduct = async (): Promise<ProductResponse> => ({ status: 404, headers: {}, body: '{"errorMessages":["the storage tests reach no product"]}' });

function databaseUrl(database: string): string {
  const parsed = new URL(MARIADB_URL);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function databaseNameFor(testFile: string): string {
  const stem = path.basename(testFile).replace(/\.test\.ts$/, '').replace(/[^A-Za-z0-9]/g, '_');
  return `srg_${stem}_${process.pid}_${Date.now() % 1_000_000}`.slice(0, 64);
}

export async function dropDatabase(database: string): Promise<void> {
  const connection = await createConnection({ uri: MARIADB_URL });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
  } finally {
    await connection.end();
  }
}

/**
 * A fresh bed: its own data folder (KVS) and its own SQL database. Each bed is its own installation,
 * so the once-per-installation migration run happens again on every new database.
 */
export async function storageBed(kind: EngineKind, database?: string, clock?: HostClock): Promise<StorageBed> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'srg-adapters-'));
  if (kind === 'mariadb' && database === undefined) throw new Error('storageBed: a MariaDB bed needs a database name');
  const engine = await createSqlEngine(kind === 'mariadb' ? databaseUrl(database!) : undefined, kind === 'embedded' ? dataDir : undefined);
  const host = new ForgeHost({ appDir: FIXTURE_APP, dataDir, productFetch: noProduct, sql: engine, installationId: randomUUID(), ...(clock ? { clock } : {}) });
  return {
    host,
    engine,
    dataDir,
    run<T>(fn: () => Promise<T>): Promise<T> {
      return host.runInInvocation(fn);
    },
    async close() {
      await host.close(); // closes the SQL engine too
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A MariaDB database of the test file's own, dropped after its tests. Whether MariaDB is there is
 * decided once, when the file loads (test/support/mariadb.ts, which fails instead under
 * SRG_REQUIRE_MARIADB=1), so a file registers its MariaDB half with `it.skip` rather than passing it.
 */
export function fileDatabase(testFile: string): { readonly name: string; readonly reachable: boolean } {
  const name = databaseNameFor(testFile);
  afterAll(async () => {
    if (mariaDbReachable) await dropDatabase(name);
  });
  return { name, reachable: mariaDbReachable };
}
