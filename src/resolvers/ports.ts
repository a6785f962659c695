/**
 * The production ports behind the resolvers: the KVS config store and the SQL violation log
 * (src/adapters), and the system clock. The adapters are found by the port they implement: the
 * module's exported class whose instances have the port's methods, constructed without arguments.
 * That keeps this wiring independent of the adapters' export names; a missing adapter is a clear error.
 */
import type { Clock, ConfigStore, ViolationLog } from '../app/ports';
import type { ScreenPorts } from '../app/screens/ports';

const systemClock: Clock = { now: () => new Date() };

type Constructor = new () => unknown;

function adapter<T>(modulePath: string, port: string, methods: readonly string[]): T {
  let loaded: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(modulePath) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`The ${port} adapter (${modulePath}) could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
  }
  for (const value of Object.values(loaded)) {
    if (typeof value !== 'function' || value.prototype === undefined) continue;
    const prototype = value.prototype as Record<string, unknown>;
    if (methods.every((m) => typeof prototype[m] === 'function') && value.length === 0) return new (value as Constructor)() as T;
  }
  throw new Error(`${modulePath} exports no class implementing ${port} (${methods.join(', ')}) that can be built without arguments`);
}

let configs: ConfigStore | undefined;
let log: ViolationLog | undefined;

/** Each adapter is built on first use, so a page that needs only one store does not wait on the other. */
export function screenPorts(): ScreenPorts {
  return {
    get configs(): ConfigStore {
      configs ??= adapter<ConfigStore>('../adapters/kvs-config-store', 'ConfigStore', ['get', 'save']);
      return configs;
    },
    get log(): ViolationLog {
      log ??= adapter<ViolationLog>('../adapters/sql', 'ViolationLog', ['record', 'page', 'acknowledge', 'countsByRuleAndSprint']);
      return log;
    },
    clock: systemClock,
  };
}
