/**
 * The production wiring of enforcement: the Forge adapters behind every port. The config store and the
 * violation log come from the same place the resolvers take them (src/resolvers/ports.ts), so every
 * surface of the app reads and writes one store.
 */
import { ForgeJira } from '../adapters/jira';
import { KvsCache, KvsRankSnapshot } from '../adapters/kvs-cache';
import { ForgeEventQueue } from '../adapters/queue';
import { systemClock } from '../adapters/clock';
import type { JudgeDeps } from '../app/judge';
import type { EventQueue } from '../app/enforcement-ports';
import { RoleResolver } from '../app/roles-service';
import { screenPorts } from '../resolvers/ports';

let built: (JudgeDeps & { queue: EventQueue }) | undefined;

/** Built once per container: the role cache lives as long as the container does. */
export function enforcementDeps(): JudgeDeps & { queue: EventQueue } {
  if (built) return built;
  const jira = new ForgeJira();
  const cache = new KvsCache();
  const ports = screenPorts();
  built = {
    jira,
    cache,
    ranks: new KvsRankSnapshot(),
    roles: new RoleResolver(jira, cache, systemClock),
    clock: systemClock,
    get configs() {
      return ports.configs;
    },
    get log() {
      return ports.log;
    },
    queue: new ForgeEventQueue(),
  };
  return built;
}
