/**
 * The handlers the test bed's manifest names: the app's real scheduled jobs, and `runInForge`, which
 * runs a test's function inside the Forge invocation the host set up, so the real @forge/* clients
 * inside it reach the host's KVS and SQL.
 */
export { retentionJob, personalDataJob } from '../../../../src/entry/scheduled';

type Call = () => Promise<unknown>;

const REGISTRY = Symbol.for('srg.test.forge-calls');

export function callRegistry(): Map<string, Call> {
  const holder = globalThis as unknown as Record<symbol, Map<string, Call> | undefined>;
  return (holder[REGISTRY] ??= new Map());
}

export async function runInForge(event: { call: string }): Promise<unknown> {
  const call = callRegistry().get(event.call);
  if (call === undefined) throw new Error(`runInForge: no call registered as ${JSON.stringify(event.call)}`);
  return call();
}
