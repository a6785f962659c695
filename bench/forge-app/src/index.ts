/**
 * `runInForge` runs a function the benchmark registered, inside the invocation the host set up, so
 * the real @forge/sql client in it reaches the host's SQL engine.
 */
type Call = () => Promise<unknown>;

const REGISTRY = Symbol.for('srg.bench.forge-calls');

export function callRegistry(): Map<string, Call> {
  const holder = globalThis as unknown as Record<symbol, Map<string, Call> | undefined>;
  return (holder[REGISTRY] ??= new Map());
}

export async function runInForge(event: { call: string }): Promise<unknown> {
  const call = callRegistry().get(event.call);
  if (call === undefined) throw new Error(`runInForge: no call registered as ${JSON.stringify(event.call)}`);
  return call();
}
