/**
 * The local Forge host: runs the app's real, unmodified functions in-process, found through
 * manifest.yml as Forge finds them, and serves what the real @forge/* clients ask of the platform:
 * Jira requests (to the injected local Jira, as the app or as a user), KVS (a file), SQL (an engine),
 * and @forge/events queues. It delivers product events as Forge does: trigger filters, selfGenerated,
 * retries with retryContext after an InvocationError or a failure (at most 4), and, when asked, twice,
 * late and out of order.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { evaluateFilterExpression, evaluateJiraExpression } from './filter-expression';
import { KvsStore } from './kvs-store';
import { loadManifest, type ConsumerModule, type LoadedManifest, type TriggerModule } from './manifest';
import { quietMetrics, runInScope, type ForgeFetchInit, type ForgeFetchTarget, type ForgeRuntimeShape } from './runtime';
import { serveSqlRequest, type SqlEngine } from './sql';

// ---------------------------------------------------------------------------------------------
// What the host is given

export type ProductActor = { kind: 'app' } | { kind: 'user'; accountId: string };

export interface ProductRequest {
  actor: ProductActor;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export interface ProductResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The local Jira, injected. */
export type ProductFetch = (request: ProductRequest) => Promise<ProductResponse>;

/** Time as the host waits it: retries and chaos delays sleep through this, so tests can run it fast. */
export interface HostClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /**
   * The platform's own time, running as fast as its waits do: what the platform's time windows (the
   * queue's events per minute) are measured on. Defaults to now().
   */
  platformNow?(): number;
}

export const realClock: HostClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A clock whose waits take `factor` of the asked time (0.001: a 60 s retryAfter takes 60 ms). */
export function scaledClock(factor: number): HostClock {
  if (!(factor >= 0)) throw new Error(`scaledClock: expected a factor >= 0, got ${factor}`);
  const started = Date.now();
  return {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms * factor)),
    // With waits scaled to nothing, every platform window has passed by the next look.
    platformNow: factor === 0 ? (() => { let t = started; return () => (t += 3_600_000); })() : () => started + (Date.now() - started) / factor,
  };
}

export interface ChaosSettings {
  /** Deliver every product event twice. */
  duplicate: boolean;
  /** Deliver each copy after a random delay in [min, max] ms (through the host clock). */
  delayMs?: [number, number];
  /** Release the events that arrive within `shuffleWindowMs` (or before settle()) in a random order. */
  shuffle: boolean;
  /** Seed of the random choices, so a failing run can be replayed. */
  seed?: number;
  shuffleWindowMs?: number;
}

export interface ForgeHostOptions {
  appDir: string;
  manifestPath?: string;
  dataDir: string;
  productFetch: ProductFetch;
  sql: SqlEngine;
  clock?: HostClock;
  cloudId?: string;
  installationId?: string;
  environmentId?: string;
  /** Forge stops a function after 25 s. */
  invocationTimeoutMs?: number;
  /**
   * Atlassian's personal data reporting (`privacy.reportPersonalData` posts to /app/report-accounts
   * as the app): answers which reported accounts were closed. Without it, the call is an error.
   */
  reportAccounts?: (body: string | undefined) => Promise<ProductResponse>;
  /** Called when a delivery fails or gives up (the record is also kept in deliveries()). */
  onDeliveryProblem?: (record: DeliveryRecord) => void;
}

// ---------------------------------------------------------------------------------------------
// What the host reports

export type DeliveryOutcome = 'delivered' | 'retry-requested' | 'failed' | 'gave-up' | 'ignored-self' | 'filtered-out' | 'filter-error-ignored' | 'cancelled';

export interface DeliveryRecord {
  kind: 'trigger' | 'consumer';
  moduleKey: string;
  /** The event type, or the queue name for consumers. */
  topic: string;
  /** 0 for the first delivery, then the retryCount. */
  attempt: number;
  outcome: DeliveryOutcome;
  detail?: string;
  at: number;
}

export interface HostCounters {
  invocations: Record<string, number>;
  productRequests: { asApp: number; asUser: number };
  kvs: { reads: number; writes: number };
  sqlStatements: number;
  queuePushes: number;
  /** Pushes refused in whole (429) or in part (202) for the per-minute limit. */
  queueRefusals: number;
}

export interface RetryContext {
  retryCount: number;
  retryReason: string;
  retryData: unknown;
}

/** What a workflow-validator function must return. */
const ValidatorResultSchema = z.object({ result: z.boolean(), errorMessage: z.string().optional() });
export type ValidatorResult = z.infer<typeof ValidatorResultSchema>;

export interface ResolverCallContext {
  accountId: string;
  extension: Record<string, unknown>;
  localId?: string;
}

export const MAX_RETRIES = 4;
const DEFAULT_TIMEOUT_MS = 25_000;
/** Consumers and scheduled functions run 55 s unless their function names `timeoutSeconds` (at most 900). */
const LONG_RUNNING_DEFAULT_SECONDS = 55;
const MAX_TIMEOUT_SECONDS = 900;

/**
 * Forge's async events limits, per installation (developer.atlassian.com/platform/forge/limits-async-events):
 * 50 events and 200 KB a push, 500 events pushed a minute.
 */
export const QUEUE_LIMITS = { eventsPerPush: 50, bytesPerPush: 200 * 1024, eventsPerMinute: 500 } as const;
const QUEUE_PATH = /^\/webhook\/queue\/(publish|stats|cancel)\//;

const QueuePushSchema = z.object({
  queueName: z.string(),
  jobId: z.string(),
  payload: z
    .array(
      z.object({
        body: z.record(z.string(), z.unknown()),
        delayInSeconds: z.number().min(0).max(900).optional(),
        concurrency: z.object({ key: z.string().min(1), limit: z.number().int().min(1) }).optional(),
      }),
    )
    .min(1),
});
const QueueJobSchema = z.object({ queueName: z.string(), jobId: z.string() });

class InvocationTimeout extends Error {
  constructor(readonly moduleKey: string, ms: number) {
    super(`The function of '${moduleKey}' ran longer than ${ms} ms`);
  }
}

/** A seeded generator (mulberry32), so chaos runs can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RetryRequest {
  reason: string;
  afterSeconds: number;
  data: unknown;
  detail: string;
}

/** @forge/events' InvocationError serialises to `{ _retry: true, retryOptions }`; QueueResponse.retry() sets `_retry`. */
function asRetryRequest(result: unknown): RetryRequest | undefined {
  if (typeof result !== 'object' || result === null || (result as { _retry?: unknown })._retry !== true) return undefined;
  const options = (result as { retryOptions?: { retryAfter?: unknown; retryReason?: unknown; retryData?: unknown } }).retryOptions ?? {};
  const reason = typeof options.retryReason === 'string' ? options.retryReason : 'FUNCTION_RETRY_REQUEST';
  return {
    reason,
    afterSeconds: typeof options.retryAfter === 'number' && options.retryAfter > 0 ? options.retryAfter : 1,
    data: options.retryData,
    detail: `InvocationError (${reason})`,
  };
}

function bodyAsText(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
  throw new Error(`The local Forge host supports string and byte request bodies, not ${Object.prototype.toString.call(body)}`);
}

function toResponse(status: number, headers: Record<string, string>, body: string | undefined): Response {
  const noBody = status === 204 || status === 205 || status === 304;
  return new Response(noBody ? null : (body ?? ''), { status, statusText: STATUS_CODES[status] ?? '', headers });
}

function jsonResponse(status: number, body: unknown): Response {
  return toResponse(status, { 'content-type': 'application/json' }, body === undefined ? '' : JSON.stringify(body));
}

let typeScriptLoaderReady = false;

/** Outside jest (which compiles .ts itself), app handlers in TypeScript load through tsx's require hook. */
function ensureTypeScriptLoader(): void {
  if (typeScriptLoaderReady || process.env.JEST_WORKER_ID !== undefined) return;
  const extensions = (require as unknown as { extensions?: Record<string, unknown> }).extensions;
  if (extensions?.['.ts'] === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('tsx/cjs/api') as { register: () => void }).register();
  }
  typeScriptLoaderReady = true;
}

type Handler = (...args: unknown[]) => unknown;

export class ForgeHost {
  readonly manifest: LoadedManifest;
  readonly kvs: KvsStore;
  private readonly options: ForgeHostOptions;
  private readonly clock: HostClock;
  private readonly cloudId: string;
  private readonly installationId: string;
  private readonly environmentId: string;
  private readonly handlers = new Map<string, Handler>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly deliveryLog: DeliveryRecord[] = [];
  private readonly jobs = new Map<string, { queueName: string; success: number; failed: number; inProgress: number; cancelled: boolean }>();
  private chaos: (ChaosSettings & { random: () => number }) | undefined;
  private shuffleBuffer: Array<() => Promise<void>> = [];
  private shuffleTimer: NodeJS.Timeout | undefined;
  private counts: HostCounters = ForgeHost.zeroCounters();
  /** When each event pushed in the last minute was accepted (platform time), for the per-minute limit. */
  private pushedAt: number[] = [];
  /** Consumer deliveries waiting for a place under their concurrency key. */
  private readonly concurrency = new Map<string, { running: number; waiting: Array<() => void> }>();

  constructor(options: ForgeHostOptions) {
    this.options = options;
    this.clock = options.clock ?? realClock;
    this.cloudId = options.cloudId ?? 'b4c5d6e7-0000-4000-8000-00000000c10d';
    // Each host is an installation of its own, as each site the app is installed on is.
    this.installationId = options.installationId ?? randomUUID();
    this.environmentId = options.environmentId ?? 'e1e2e3e4-0000-4000-8000-000000000001';
    this.manifest = loadManifest(options.manifestPath ?? path.join(options.appDir, 'manifest.yml'));
    fs.mkdirSync(options.dataDir, { recursive: true });
    this.kvs = new KvsStore({ dataDir: options.dataDir, entityIndexes: this.manifest.entityIndexes, now: () => this.clock.now() });
  }

  private static zeroCounters(): HostCounters {
    return { invocations: {}, productRequests: { asApp: 0, asUser: 0 }, kvs: { reads: 0, writes: 0 }, sqlStatements: 0, queuePushes: 0, queueRefusals: 0 };
  }

  get installContext(): string {
    return `ari:cloud:jira::site/${this.cloudId}`;
  }

  // -------------------------------------------------------------------------------------------
  // Loading and invoking functions

  private handlerFor(functionKey: string): Handler {
    const cached = this.handlers.get(functionKey);
    if (cached) return cached;
    const fn = this.manifest.functions.get(functionKey);
    if (!fn) throw new Error(`No function module '${functionKey}' in the manifest`);
    const dot = fn.handler.lastIndexOf('.');
    const file = fn.handler.slice(0, dot);
    const exportName = fn.handler.slice(dot + 1);
    const base = path.join(this.options.appDir, 'src', file);
    const resolved = ['.ts', '.tsx', '.js', '.cjs', '.jsx'].map((ext) => base + ext).find((candidate) => fs.existsSync(candidate));
    if (!resolved) throw new Error(`Function '${functionKey}': handler '${fn.handler}' needs ${base}.ts or .js, and neither exists`);
    ensureTypeScriptLoader();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(resolved) as Record<string, unknown>;
    const handler = loaded[exportName];
    if (typeof handler !== 'function') throw new Error(`Function '${functionKey}': ${resolved} does not export a function '${exportName}'`);
    this.handlers.set(functionKey, handler as Handler);
    return handler as Handler;
  }

  /**
   * How long an invocation may run: 25 s, or for consumers and scheduled functions 55 s unless the
   * function names `timeoutSeconds` (up to 900 s). `invocationTimeoutMs` stands for the 25 s, and the
   * longer limits are scaled with it.
   */
  private timeoutFor(functionKey: string, moduleType: string): number {
    const base = this.options.invocationTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (moduleType !== 'consumer' && moduleType !== 'scheduledTrigger') return base;
    const asked = this.manifest.functions.get(functionKey)?.timeoutSeconds;
    const seconds = Math.min(MAX_TIMEOUT_SECONDS, asked ?? LONG_RUNNING_DEFAULT_SECONDS);
    return Math.round((base * seconds) / (DEFAULT_TIMEOUT_MS / 1000));
  }

  private runtimeFor(functionKey: string, moduleType: string, moduleKey: string, accountId: string | undefined): ForgeRuntimeShape {
    const started = Date.now();
    const timeout = this.timeoutFor(functionKey, moduleType);
    return {
      proxy: { token: 'local-forge-host', url: 'http://forge-proxy.localhost' },
      contextAri: this.installContext,
      container: { runtime: 'nodejs24.x', appCodeDir: this.options.appDir },
      appContext: {
        appId: this.manifest.appId,
        appVersion: '1.0.0',
        environmentId: this.environmentId,
        environmentType: 'DEVELOPMENT',
        invocationId: randomUUID(),
        installationId: this.installationId,
        functionKey,
        moduleType,
        moduleKey,
        license: { isActive: true, active: true },
        permissions: { scopes: this.manifest.scopes, external: {} },
      },
      ...(accountId !== undefined ? { aaid: accountId } : {}),
      lambdaContext: { awsRequestId: randomUUID(), getRemainingTimeInMillis: () => Math.max(0, started + timeout - Date.now()) },
      tracing: { traceId: randomUUID().replace(/-/g, ''), spanId: randomUUID().replace(/-/g, '').slice(0, 16) },
      realtime: {},
      metrics: quietMetrics,
      kvs: { url: 'http://kvs.localhost', host: 'kvs.localhost' },
      featureFlags: () => false,
    };
  }

  /** Runs `call` as one Forge invocation of `moduleKey`: its own runtime, its own deadline. */
  private async invoke<T>(
    target: { functionKey: string; moduleType: string; moduleKey: string; accountId?: string },
    call: (handler: Handler) => unknown,
  ): Promise<T> {
    const handler = this.handlerFor(target.functionKey);
    return this.inInvocation<T>(target, () => call(handler));
  }

  /** Runs `body` as one invocation of `target.moduleKey`: its own runtime hooks, its own deadline, counted. */
  private async inInvocation<T>(target: { functionKey: string; moduleType: string; moduleKey: string; accountId?: string }, body: () => unknown): Promise<T> {
    this.counts.invocations[target.moduleKey] = (this.counts.invocations[target.moduleKey] ?? 0) + 1;
    const runtime = this.runtimeFor(target.functionKey, target.moduleType, target.moduleKey, target.accountId);
    const timeout = this.timeoutFor(target.functionKey, target.moduleType);
    return runInScope({ runtime, fetch: (t, p, init) => this.forgeFetch(runtime, t, p, init) }, async () => {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new InvocationTimeout(target.moduleKey, timeout)), timeout);
        timer.unref();
      });
      try {
        return (await Promise.race([Promise.resolve(body()), deadline])) as T;
      } finally {
        clearTimeout(timer);
      }
    });
  }

  /**
   * Runs `body` inside an invocation of this app, as if it were a function of it: the real @forge/*
   * clients in it reach this host's Jira, KVS and SQL. For test beds and the benchmark, which drive
   * the app's adapters directly rather than through a module.
   */
  runInInvocation<T>(body: () => Promise<T>, options: { moduleKey?: string; accountId?: string } = {}): Promise<T> {
    const moduleKey = options.moduleKey ?? 'run-in-invocation';
    return this.inInvocation<T>({ functionKey: moduleKey, moduleType: 'function', moduleKey, ...(options.accountId === undefined ? {} : { accountId: options.accountId }) }, body);
  }

  /** The context object Forge passes as a function's second argument. */
  private functionContext(moduleKey: string, accountId?: string): Record<string, unknown> {
    return {
      installContext: this.installContext,
      cloudId: this.cloudId,
      moduleKey,
      ...(accountId !== undefined ? { principal: { accountId } } : {}),
      license: { isActive: true, active: true },
      installation: { ari: { installationId: this.installationId }, contexts: [{ cloudId: this.cloudId }] },
    };
  }

  /** Calls a function module directly (as a web trigger or test would). */
  invokeFunction(functionKey: string, event: unknown, context?: Record<string, unknown>, options: { moduleKey?: string; accountId?: string } = {}): Promise<unknown> {
    const moduleKey = options.moduleKey ?? functionKey;
    return this.invoke({ functionKey, moduleType: 'function', moduleKey, ...(options.accountId ? { accountId: options.accountId } : {}) }, (handler) =>
      handler(event, { ...this.functionContext(moduleKey, options.accountId), ...context }),
    );
  }

  /**
   * Calls a @forge/resolver handler the way Custom UI's invoke() reaches it: the handler made by
   * `new Resolver().getDefinitions()` gets `{ call: { functionKey, payload }, context }` and the backend
   * payload `{ installContext, principal: { accountId }, license, installation }`.
   */
  invokeResolver(resourceOrModuleKey: string, functionKey: string, payload: unknown, context: ResolverCallContext): Promise<unknown> {
    const module = this.manifest.resolverModules.find((m) => m.key === resourceOrModuleKey) ?? this.manifest.resolverModules.find((m) => m.resource === resourceOrModuleKey);
    if (!module) throw new Error(`No module with a resolver has the key or resource '${resourceOrModuleKey}'`);
    const frontendContext = {
      cloudId: this.cloudId,
      localId: context.localId ?? `${module.key}-local`,
      moduleKey: module.key,
      siteUrl: 'http://localhost',
      environmentId: this.environmentId,
      environmentType: 'DEVELOPMENT',
      extension: { type: module.moduleType, ...context.extension },
      accountId: context.accountId,
    };
    const backend = {
      installContext: this.installContext,
      principal: { accountId: context.accountId },
      license: { isActive: true, active: true },
      installation: { ari: { installationId: this.installationId }, contexts: [{ cloudId: this.cloudId }] },
    };
    return this.invoke({ functionKey: module.functionKey, moduleType: module.moduleType, moduleKey: module.key, accountId: context.accountId }, (handler) =>
      handler({ call: { functionKey, payload }, context: frontendContext }, backend),
    );
  }

  /**
   * Runs a `jira:workflowValidator` module's function; its answer is checked to be `{ result, errorMessage? }`.
   * Forge documents the argument as the item, the configuration and the transition, naming no user; who
   * transitions reaches the function only as the invocation context's optional `principal`.
   */
  async runWorkflowValidator(moduleKey: string, args: Record<string, unknown>, principal?: string): Promise<ValidatorResult> {
    const validator = this.manifest.workflowValidators.find((v) => v.key === moduleKey);
    if (!validator) throw new Error(`No jira:workflowValidator '${moduleKey}' in the manifest`);
    if (!validator.function) throw new Error(`jira:workflowValidator '${moduleKey}' uses an expression: evaluate it with evaluateWorkflowExpression`);
    const answer = await this.invoke({ functionKey: validator.function, moduleType: 'jira:workflowValidator', moduleKey }, (handler) =>
      handler(args, this.functionContext(moduleKey, principal)),
    );
    const parsed = ValidatorResultSchema.safeParse(answer);
    if (!parsed.success) throw new Error(`jira:workflowValidator '${moduleKey}' returned ${JSON.stringify(answer)}; expected { result: boolean, errorMessage?: string }`);
    return parsed.data;
  }

  /**
   * Evaluates a `jira:workflowValidator` or `jira:workflowCondition` module's Jira expression, as Jira does,
   * with the context variables Jira gives (`user`, `issue`, `project`): true only when the expression
   * gives true; an error, or anything but a boolean, is false. A validator's answer carries its static
   * `errorMessage`.
   */
  evaluateWorkflowExpression(moduleKey: string, context: Readonly<Record<string, unknown>>): ValidatorResult & { detail?: string } {
    const module = [...this.manifest.workflowValidators, ...this.manifest.workflowConditions].find((m) => m.key === moduleKey);
    if (!module) throw new Error(`No jira:workflowValidator or jira:workflowCondition '${moduleKey}' in the manifest`);
    if (module.expression === undefined) throw new Error(`'${moduleKey}' has no expression`);
    const outcome = evaluateJiraExpression(module.expression, context);
    if (outcome.outcome === 'unsupported') throw new Error(`the local host cannot evaluate the expression of '${moduleKey}': ${outcome.message}`);
    this.counts.invocations[moduleKey] = (this.counts.invocations[moduleKey] ?? 0) + 1;
    if (outcome.outcome === 'match') return { result: true };
    const errorMessage = 'errorMessage' in module && typeof module.errorMessage === 'string' ? module.errorMessage : undefined;
    return { result: false, ...(errorMessage ? { errorMessage } : {}), ...(outcome.outcome === 'error' ? { detail: outcome.message } : {}) };
  }

  /** Runs a scheduledTrigger now, with the request Forge sends: `{ context: { cloudId, moduleKey }, contextToken }`. */
  runScheduled(moduleKey: string): Promise<unknown> {
    const trigger = this.manifest.scheduledTriggers.find((s) => s.key === moduleKey);
    if (!trigger) throw new Error(`No scheduledTrigger '${moduleKey}' in the manifest`);
    return this.invoke({ functionKey: trigger.function, moduleType: 'scheduledTrigger', moduleKey }, (handler) =>
      handler({ context: { cloudId: this.cloudId, moduleKey }, contextToken: `local-${randomUUID()}` }, this.functionContext(moduleKey)),
    );
  }

  // -------------------------------------------------------------------------------------------
  // The platform side of __forge_fetch__

  private async forgeFetch(runtime: ForgeRuntimeShape, target: ForgeFetchTarget, requestPath: string, init: ForgeFetchInit = {}): Promise<Response> {
    const body = bodyAsText(init.body);
    const headers: Record<string, string> = {};
    new Headers((init.headers ?? {}) as HeadersInit).forEach((value, name) => {
      headers[name] = value;
    });
    const method = (init.method ?? 'GET').toUpperCase();

    if (target.type === 'kvs') {
      const before = { ...this.kvs.counters };
      const answer = this.kvs.handle(requestPath, body);
      this.counts.kvs.reads += this.kvs.counters.reads - before.reads;
      this.counts.kvs.writes += this.kvs.counters.writes - before.writes;
      return jsonResponse(answer.status, answer.body);
    }
    if (target.type === 'sql') {
      this.counts.sqlStatements++;
      const answer = await serveSqlRequest(this.options.sql, requestPath, body);
      return jsonResponse(answer.status, answer.body);
    }
    if (target.type === 'fpp' && target.remote === 'jira' && (target.provider === 'app' || target.provider === 'user')) {
      let actor: ProductActor;
      if (target.provider === 'app') {
        actor = { kind: 'app' };
        this.counts.productRequests.asApp++;
      } else {
        const accountId = target.accountId ?? runtime.aaid;
        if (accountId === undefined) {
          // What Forge answers when asUser() runs without a user (a trigger, a scheduled job).
          return toResponse(401, { 'forge-proxy-error': 'NEEDS_AUTHENTICATION_ERR' }, '');
        }
        actor = { kind: 'user', accountId };
        this.counts.productRequests.asUser++;
      }
      const answer = await this.options.productFetch({ actor, method, path: requestPath, headers, body });
      return toResponse(answer.status, answer.headers, answer.body);
    }
    if (target.type === 'fpp' && target.remote === 'stargate' && target.provider === 'app' && QUEUE_PATH.test(requestPath)) {
      return this.serveQueue(requestPath, body);
    }
    if (target.type === 'fpp' && target.remote === 'stargate' && target.provider === 'app' && requestPath === '/app/report-accounts' && this.options.reportAccounts) {
      const answer = await this.options.reportAccounts(body);
      return toResponse(answer.status, answer.headers, answer.body);
    }
    const described = `${JSON.stringify(target)} ${method} ${requestPath}`;
    if (target.type === 'fpp' && target.provider === 'none') {
      throw new Error(`The local Forge host does not serve ${described}: call the product through asApp() or asUser()`);
    }
    throw new Error(`The local Forge host does not serve ${described}: it serves Jira (asApp/asUser), KVS, SQL and @forge/events queues`);
  }

  // -------------------------------------------------------------------------------------------
  // Queues (@forge/events)

  private serveQueue(requestPath: string, body: string | undefined): Response {
    const operation = QUEUE_PATH.exec(requestPath)![1];
    let json: unknown;
    try {
      json = JSON.parse(body ?? '');
    } catch {
      return jsonResponse(400, { message: 'The request body is not JSON' });
    }
    if (operation === 'publish') {
      const parsed = QueuePushSchema.safeParse(json);
      if (!parsed.success) return jsonResponse(400, { message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      const push = parsed.data;
      const consumers = this.manifest.consumers.filter((c) => c.queue === push.queueName);
      if (consumers.length === 0) return jsonResponse(400, { message: `No consumer module listens to the queue '${push.queueName}'` });
      if (push.payload.length > QUEUE_LIMITS.eventsPerPush) return jsonResponse(400, { message: `At most ${QUEUE_LIMITS.eventsPerPush} events can be pushed at once` });
      const bytes = Buffer.byteLength(JSON.stringify(push.payload), 'utf8');
      if (bytes > QUEUE_LIMITS.bytesPerPush) return jsonResponse(413, { errorMessage: `The events weigh ${Math.ceil(bytes / 1024)} KB; at most 200 KB can be pushed at once` });
      // Events per minute per installation: a push past the limit is refused (429); one that only fits in
      // part is a partial success, naming each event that was not accepted (202).
      const now = this.clock.platformNow?.() ?? this.clock.now();
      this.pushedAt = this.pushedAt.filter((at) => at > now - 60_000);
      const room = QUEUE_LIMITS.eventsPerMinute - this.pushedAt.length;
      if (room <= 0) {
        this.counts.queueRefusals++;
        return jsonResponse(429, { message: `More than ${QUEUE_LIMITS.eventsPerMinute} events were pushed in a minute` });
      }
      const accepted = push.payload.slice(0, room);
      for (let i = 0; i < accepted.length; i++) this.pushedAt.push(now);
      this.counts.queuePushes++;
      const job = { queueName: push.queueName, success: 0, failed: 0, inProgress: accepted.length * consumers.length, cancelled: false };
      this.jobs.set(push.jobId, job);
      for (const event of accepted) {
        const eventId = randomUUID();
        for (const consumer of consumers) {
          const asyncEvent = { queueName: push.queueName, jobId: push.jobId, eventId, body: event.body, ...(event.delayInSeconds !== undefined ? { delayInSeconds: event.delayInSeconds } : {}) };
          this.schedule((event.delayInSeconds ?? 0) * 1000, () => this.withConcurrency(event.concurrency, () => this.deliverToConsumer(consumer, asyncEvent, job, 0, undefined, event.concurrency)));
        }
      }
      if (accepted.length < push.payload.length) {
        this.counts.queueRefusals++;
        const failedEvents = push.payload.slice(accepted.length).map((_, i) => ({ index: String(accepted.length + i), errorMessage: 'Rate limit exceeded: too many events pushed in a minute' }));
        return jsonResponse(202, { failedEvents, errorMessage: `${failedEvents.length} event(s) were over the limit of ${QUEUE_LIMITS.eventsPerMinute} a minute` });
      }
      return jsonResponse(201, {});
    }
    const parsed = QueueJobSchema.safeParse(json);
    if (!parsed.success) return jsonResponse(400, { message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    const job = this.jobs.get(parsed.data.jobId);
    if (!job || job.queueName !== parsed.data.queueName) return jsonResponse(404, { message: 'Job not found' });
    if (operation === 'stats') return jsonResponse(200, { success: job.success, inProgress: job.inProgress, failed: job.failed });
    job.cancelled = true;
    return toResponse(204, {}, undefined);
  }

  private async deliverToConsumer(
    consumer: ConsumerModule,
    asyncEvent: Record<string, unknown>,
    job: { success: number; failed: number; inProgress: number; cancelled: boolean },
    attempt: number,
    retryContext?: RetryContext,
    concurrency?: { key: string; limit: number },
  ): Promise<void> {
    if (job.cancelled) {
      job.inProgress--;
      this.record({ kind: 'consumer', moduleKey: consumer.key, topic: consumer.queue, attempt, outcome: 'cancelled' });
      return;
    }
    const event = retryContext ? { ...asyncEvent, retryContext } : asyncEvent;
    const functionKey = consumer.function ?? consumer.resolver!.function;
    const outcome = await this.attempt(
      { kind: 'consumer', moduleKey: consumer.key, topic: consumer.queue, attempt },
      () =>
        this.invoke({ functionKey, moduleType: 'consumer', moduleKey: consumer.key }, (handler) => {
          if (consumer.function !== undefined) return handler(event, this.functionContext(consumer.key));
          // A resolver-based consumer: the method gets the pushed body as its payload.
          return handler(
            { call: { functionKey: consumer.resolver!.method, payload: asyncEvent.body, jobId: asyncEvent.jobId }, context: { ...this.functionContext(consumer.key), ...event } },
            { installContext: this.installContext },
          );
        }),
    );
    if (outcome === 'done') {
      job.inProgress--;
      job.success++;
    } else if (outcome === 'gave-up') {
      job.inProgress--;
      job.failed++;
    } else {
      this.schedule(outcome.afterSeconds * 1000, () =>
        this.withConcurrency(concurrency, () =>
          this.deliverToConsumer(consumer, asyncEvent, job, attempt + 1, { retryCount: attempt + 1, retryReason: outcome.reason, retryData: outcome.data }, concurrency),
        ),
      );
    }
  }

  /**
   * Runs a consumer delivery once its concurrency key has a free place: events pushed with one key are
   * handled at most `limit` at a time (the async events API's `concurrency`).
   */
  private async withConcurrency(concurrency: { key: string; limit: number } | undefined, task: () => Promise<void>): Promise<void> {
    if (concurrency === undefined) return task();
    let slot = this.concurrency.get(concurrency.key);
    if (!slot) {
      slot = { running: 0, waiting: [] };
      this.concurrency.set(concurrency.key, slot);
    }
    const place = slot;
    if (place.running >= concurrency.limit) await new Promise<void>((resolve) => place.waiting.push(resolve));
    place.running++;
    try {
      await task();
    } finally {
      place.running--;
      place.waiting.shift()?.();
    }
  }

  // -------------------------------------------------------------------------------------------
  // Product events

  /**
   * Delivers a product event to every trigger subscribed to it, as Forge would. Returns at once;
   * settle() waits for the deliveries (and their retries).
   */
  deliverEvent(eventType: string, payload: Record<string, unknown>, meta: { byApp: boolean }): { deliveredTo: string[]; skipped: Array<{ moduleKey: string; reason: string }> } {
    const deliveredTo: string[] = [];
    const skipped: Array<{ moduleKey: string; reason: string }> = [];
    for (const trigger of this.manifest.triggers.filter((t) => t.events.includes(eventType))) {
      const skip = (outcome: DeliveryOutcome, reason: string): void => {
        skipped.push({ moduleKey: trigger.key, reason });
        this.record({ kind: 'trigger', moduleKey: trigger.key, topic: eventType, attempt: 0, outcome, detail: reason });
      };
      if (trigger.filter?.ignoreSelf === true && meta.byApp) {
        skip('ignored-self', 'filter.ignoreSelf: the app made this change');
        continue;
      }
      const event = { ...structuredClone(payload), eventType: payload.eventType ?? eventType, selfGenerated: meta.byApp };
      if (trigger.filter?.expression !== undefined) {
        const verdict = evaluateFilterExpression(trigger.filter.expression, event);
        if (verdict.outcome === 'no-match') {
          skip('filtered-out', 'filter.expression is false');
          continue;
        }
        if (verdict.outcome === 'error') {
          const onError = trigger.filter.onError ?? 'IGNORE_AND_LOG';
          if (onError === 'IGNORE' || onError === 'IGNORE_AND_LOG') {
            skip('filter-error-ignored', `filter.expression failed (${verdict.message}); onError ${onError}`);
            continue;
          }
        }
        // 'unsupported': the local evaluator cannot tell, so the event is delivered.
      }
      deliveredTo.push(trigger.key);
      const copies = this.chaos?.duplicate ? 2 : 1;
      for (let copy = 0; copy < copies; copy++) this.enqueueEventDelivery(() => this.deliverToTrigger(trigger, eventType, event, 0));
    }
    return { deliveredTo, skipped };
  }

  private async deliverToTrigger(trigger: TriggerModule, eventType: string, event: Record<string, unknown>, attempt: number, retryContext?: RetryContext): Promise<void> {
    const payload = retryContext ? { ...event, retryContext } : event;
    const outcome = await this.attempt({ kind: 'trigger', moduleKey: trigger.key, topic: eventType, attempt }, () =>
      this.invoke({ functionKey: trigger.function, moduleType: 'trigger', moduleKey: trigger.key }, (handler) => handler(payload, this.functionContext(trigger.key))),
    );
    if (outcome === 'done' || outcome === 'gave-up') return;
    this.schedule(outcome.afterSeconds * 1000, () =>
      this.deliverToTrigger(trigger, eventType, event, attempt + 1, { retryCount: attempt + 1, retryReason: outcome.reason, retryData: outcome.data }),
    );
  }

  /** One delivery attempt: 'done', 'gave-up' after the last retry, or the retry to schedule. */
  private async attempt(where: Omit<DeliveryRecord, 'outcome' | 'at'>, run: () => Promise<unknown>): Promise<'done' | 'gave-up' | RetryRequest> {
    let retry: RetryRequest | undefined;
    try {
      retry = asRetryRequest(await run());
      if (!retry) {
        this.record({ ...where, outcome: 'delivered' });
        return 'done';
      }
      this.record({ ...where, outcome: 'retry-requested', detail: retry.detail });
    } catch (error) {
      const reason = error instanceof InvocationTimeout ? 'FUNCTION_TIME_OUT' : 'FUNCTION_PLATFORM_UNKNOWN_ERROR';
      const message = error instanceof Error ? error.message : String(error);
      retry = { reason, afterSeconds: 2 ** where.attempt, data: undefined, detail: `${reason}: ${message}` };
      this.record({ ...where, outcome: 'failed', detail: retry.detail });
    }
    if (where.attempt >= MAX_RETRIES) {
      this.record({ ...where, outcome: 'gave-up', detail: `no retry after ${MAX_RETRIES} retries; last: ${retry.detail}` });
      return 'gave-up';
    }
    return retry;
  }

  private record(entry: Omit<DeliveryRecord, 'at'>): void {
    const record = { ...entry, at: this.clock.now() };
    this.deliveryLog.push(record);
    if (record.outcome === 'failed' || record.outcome === 'gave-up') this.options.onDeliveryProblem?.(record);
  }

  // -------------------------------------------------------------------------------------------
  // Scheduling, chaos, settle

  private schedule(delayMs: number, task: () => Promise<void>): void {
    const run = (async () => {
      if (delayMs > 0) await this.clock.sleep(delayMs);
      else await new Promise((resolve) => setImmediate(resolve));
      await task();
    })();
    const tracked = run.catch((error: unknown) => {
      this.record({ kind: 'trigger', moduleKey: '(host)', topic: '(scheduler)', attempt: 0, outcome: 'failed', detail: error instanceof Error ? error.message : String(error) });
    });
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }

  private chaosDelay(): number {
    const range = this.chaos?.delayMs;
    if (!range || !this.chaos) return 0;
    return range[0] + this.chaos.random() * (range[1] - range[0]);
  }

  private enqueueEventDelivery(task: () => Promise<void>): void {
    if (!this.chaos?.shuffle) {
      this.schedule(this.chaosDelay(), task);
      return;
    }
    this.shuffleBuffer.push(task);
    if (this.shuffleTimer === undefined) {
      this.shuffleTimer = setTimeout(() => this.releaseShuffled(), this.chaos.shuffleWindowMs ?? 20);
    }
  }

  /** Releases the buffered events in a seeded random order (Fisher-Yates). */
  private releaseShuffled(): void {
    clearTimeout(this.shuffleTimer);
    this.shuffleTimer = undefined;
    const tasks = this.shuffleBuffer;
    this.shuffleBuffer = [];
    const random = this.chaos?.random ?? Math.random;
    for (let i = tasks.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [tasks[i], tasks[j]] = [tasks[j]!, tasks[i]!];
    }
    for (const task of tasks) this.schedule(this.chaosDelay(), task);
  }

  /** Turns the twice/late/out-of-order switch on (settings) or off (null). */
  setChaos(settings: ChaosSettings | null): void {
    if (settings === null) {
      if (this.shuffleBuffer.length > 0) this.releaseShuffled();
      this.chaos = undefined;
      return;
    }
    const range = settings.delayMs;
    if (range && !(range[0] >= 0 && range[1] >= range[0])) throw new Error(`chaos.delayMs: expected [min, max] with 0 <= min <= max, got [${range.join(', ')}]`);
    this.chaos = { ...settings, random: seededRandom(settings.seed ?? 1) };
  }

  /** Resolves once every pending event, retry and queued job has run, including ones added meanwhile. */
  async settle(): Promise<void> {
    for (;;) {
      if (this.shuffleBuffer.length > 0) this.releaseShuffled();
      if (this.pending.size === 0) {
        // Everything delivered: the store's file is brought up to date too, so a host opened next on
        // the same data folder (a restart) reads what this one wrote.
        this.kvs.flush();
        return;
      }
      await Promise.allSettled([...this.pending]);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Observing

  deliveries(): readonly DeliveryRecord[] {
    return this.deliveryLog;
  }

  counters(): HostCounters {
    return structuredClone(this.counts);
  }

  resetCounters(): void {
    this.counts = ForgeHost.zeroCounters();
  }

  /**
   * Loads the app's handlers afresh on their next invocation, as a new Forge container of the same
   * installation does (storage kept). The caller clears Node's module cache for the app first.
   */
  startNewContainer(): void {
    this.handlers.clear();
  }

  /** Closes the SQL engine; pending deliveries are waited for first. */
  async close(): Promise<void> {
    await this.settle();
    this.kvs.flush();
    await this.options.sql.close();
  }
}
