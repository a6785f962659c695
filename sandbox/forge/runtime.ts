/**
 * The Forge runtime hooks the real @forge/* clients call: `global.__forge_fetch__(target, path, init)`
 * and `global.__forge_runtime__`. Both are getters over one AsyncLocalStorage, so overlapping
 * invocations each see their own runtime (account, module, deadline) and their own host.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** What @forge/api, @forge/kvs, @forge/sql and @forge/events put in the first argument of __forge_fetch__. */
export interface ForgeFetchTarget {
  type: string;
  provider?: string;
  remote?: string;
  accountId?: string;
  contextAri?: string;
}

export interface ForgeFetchInit {
  method?: string;
  headers?: unknown;
  body?: unknown;
  redirect?: string;
}

export type ForgeFetch = (target: ForgeFetchTarget, path: string, init?: ForgeFetchInit) => Promise<Response>;

/** The shape @forge/api's __getRuntime() returns (node_modules/@forge/api/out/api/runtime.d.ts). */
export interface ForgeRuntimeShape {
  proxy: { token: string; url: string; host?: string };
  contextAri: string;
  container: Record<string, string>;
  appContext: {
    appId: string;
    appVersion: string;
    environmentId: string;
    environmentType: string;
    invocationId: string;
    installationId: string;
    functionKey: string;
    moduleType: string;
    moduleKey: string;
    license?: { isActive?: boolean; active?: boolean };
    permissions?: { scopes: string[]; external: Record<string, unknown> };
  };
  aaid?: string;
  lambdaContext: { awsRequestId: string; getRemainingTimeInMillis(): number };
  tracing: { traceId: string; spanId: string };
  realtime: Record<string, unknown>;
  metrics: {
    timing(name: string, tags?: Record<string, string>): { measure(): { stop(tags?: Record<string, string>): void } };
    counter(name: string, tags?: Record<string, string>): { incr(): void; incrBy(n: number): void; decr(): void; decrBy(n: number): void };
    gauge(name: string, tags?: Record<string, string>): { set(value: number): void };
  };
  kvs?: { url: string; host: string };
  featureFlags: (flag: string) => boolean;
}

export interface InvocationScope {
  runtime: ForgeRuntimeShape;
  fetch: ForgeFetch;
}

const invocationStorage = new AsyncLocalStorage<InvocationScope>();

function outsideInvocation(): never {
  throw new Error('__forge_fetch__ was called outside a Forge invocation: the local host only serves calls made while it runs a function');
}

let installed = false;

/** Defines the two globals once per realm (a jest test file has its own). */
export function installForgeHooks(): void {
  if (installed && Object.getOwnPropertyDescriptor(globalThis, '__forge_fetch__')?.get !== undefined) return;
  Object.defineProperty(globalThis, '__forge_runtime__', {
    configurable: true,
    get: () => invocationStorage.getStore()?.runtime,
  });
  Object.defineProperty(globalThis, '__forge_fetch__', {
    configurable: true,
    get: () => {
      const scope = invocationStorage.getStore();
      return scope ? scope.fetch : outsideInvocation;
    },
  });
  installed = true;
}

export function runInScope<T>(scope: InvocationScope, fn: () => Promise<T>): Promise<T> {
  installForgeHooks();
  return invocationStorage.run(scope, fn);
}

export function currentScope(): InvocationScope | undefined {
  return invocationStorage.getStore();
}

/** Metrics the clients record; the sandbox has nowhere to send them, so they are accepted and dropped. */
export const quietMetrics: ForgeRuntimeShape['metrics'] = {
  timing: () => ({ measure: () => ({ stop: () => undefined }) }),
  counter: () => ({ incr: () => undefined, incrBy: () => undefined, decr: () => undefined, decrBy: () => undefined }),
  gauge: () => ({ set: () => undefined }),
};
