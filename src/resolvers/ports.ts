/**
 * The production ports behind the resolvers: the KVS config store, the SQL violation log and the
 * system clock. Each adapter is built on first use, so a page that needs only one store does not
 * pay for the other.
 */
import { KvsConfigStore } from '../adapters/kvs-config-store';
import { SqlViolationLog } from '../adapters/sql';
import type { Clock, ConfigStore, ViolationLog } from '../app/ports';
import type { ScreenPorts } from '../app/screens/ports';

const systemClock: Clock = { now: () => new Date() };

let configs: ConfigStore | undefined;
let log: ViolationLog | undefined;

export function screenPorts(): ScreenPorts {
  return {
    get configs(): ConfigStore {
      configs ??= new KvsConfigStore();
      return configs;
    },
    get log(): ViolationLog {
      log ??= new SqlViolationLog();
      return log;
    },
    clock: systemClock,
  };
}
