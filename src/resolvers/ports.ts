/**
 * The production ports behind the resolvers: the KVS config store, the SQL violation log and the
 * system clock. Each adapter is built on first use, so a page that needs only one store does not
 * pay for the other.
 */
import { KvsCache } from '../adapters/kvs-cache';
import { KvsConfigStore } from '../adapters/kvs-config-store';
import { ForgeJira } from '../adapters/jira';
import { PublishingConfigStore } from '../app/published-config';
import { platformFacts } from '../app/platform-facts';
import { SqlViolationLog } from '../adapters/sql';
import type { Clock, ConfigStore, ViolationLog } from '../app/ports';
import type { ScreenPorts } from '../app/screens/ports';

const systemClock: Clock = { now: () => new Date() };

let configs: ConfigStore | undefined;
let log: ViolationLog | undefined;

export function screenPorts(): ScreenPorts {
  return {
    get configs(): ConfigStore {
      // Every project config saved is also published on the project, for Jira's expression validator.
      configs ??= new PublishingConfigStore(new KvsConfigStore(), () => ({ jira: new ForgeJira(), cache: new KvsCache() }));
      return configs;
    },
    get log(): ViolationLog {
      log ??= new SqlViolationLog();
      return log;
    },
    clock: systemClock,
    platform: {
      factsFor: (projectKey) => platformFacts(projectKey, { jira: new ForgeJira(), cache: new KvsCache() }),
      fieldsFor: (projectKey) => new ForgeJira().discoverFields(projectKey),
    },
  };
}
