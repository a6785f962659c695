/**
 * The Forge key-value store as @forge/kvs reaches it (POST /api/v1/<operation>, JSON bodies; see
 * node_modules/@forge/kvs/out/storage-api.js), kept in `<dataDir>/kvs.json` or in memory.
 *
 * Served: get/set/delete for plain keys, secrets and custom entities; query (key prefix, cursor, limit);
 * entity queries on an index declared in the manifest (partition, range condition, filters, sort);
 * batch get/set/delete; transactions (set/delete/check with entity conditions, all or nothing).
 * Limits enforced as Forge documents them: keys match /^(?!\s+$)[a-zA-Z0-9:._\s-#]+$/ and are at most
 * 500 characters; a value is at most 240 KiB of JSON and 32 levels deep; TTLs expire entries.
 * Errors are `{ code, message }` with Forge's codes: KEY_NOT_FOUND (404, which the client turns into
 * `undefined`), INVALID_KEY / KEY_TOO_LONG / MAX_SIZE / MAX_DEPTH / BAD_REQUEST (400), KEY_CONFLICT (409).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';

export const MAX_VALUE_BYTES = 240 * 1024;
const MAX_KEY_LENGTH = 500;
const MAX_DEPTH = 32;
const KEY_PATTERN = /^(?!\s+$)[a-zA-Z0-9:._\s\-#]+$/;
const DEFAULT_QUERY_LIMIT = 10;
const MAX_QUERY_LIMIT = 100;

interface StoredEntry {
  value: unknown;
  createdAt: number;
  updatedAt: number;
  expireTime?: string;
}

interface StoreFile {
  version: 1;
  keys: Record<string, StoredEntry>;
  secrets: Record<string, StoredEntry>;
  entities: Record<string, Record<string, StoredEntry>>;
}

/** An index of a custom entity, as declared under `app.storage.entities[].indexes` in the manifest. */
export interface EntityIndex {
  name: string;
  partition: string[];
  range: string[];
}

export interface KvsResponse {
  status: number;
  body?: unknown;
}

export class KvsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const TtlSchema = z.object({ value: z.number().int().positive(), unit: z.enum(['SECONDS', 'MINUTES', 'HOURS', 'DAYS']) });
const MetadataOptionsSchema = z.object({ metadataFields: z.array(z.enum(['CREATED_AT', 'UPDATED_AT', 'EXPIRE_TIME'])).optional() }).optional();
const SetOptionsSchema = z
  .object({
    ttl: TtlSchema.optional(),
    keyPolicy: z.enum(['OVERRIDE', 'FAIL_IF_EXISTS']).optional(),
    returnValue: z.enum(['PREVIOUS', 'LATEST']).optional(),
    returnMetadataFields: z.array(z.string()).optional(),
  })
  .optional();
const KeySchema = z.string({ error: 'expected the key as a string' });
const GetSchema = z.object({ key: KeySchema, entityName: z.string().optional(), options: MetadataOptionsSchema });
const SetSchema = z.object({ key: KeySchema, value: z.unknown(), entityName: z.string().optional(), options: SetOptionsSchema });
const DeleteSchema = z.object({ key: KeySchema, entityName: z.string().optional() });
const ConditionSchema = z.object({ condition: z.string(), values: z.array(z.unknown()) });
const PropertyConditionSchema = ConditionSchema.extend({ property: z.string() });
const QuerySchema = z.object({
  limit: z.number().int().positive().optional(),
  after: z.string().optional(),
  where: z.array(PropertyConditionSchema).optional(),
  options: MetadataOptionsSchema,
});
const EntityQuerySchema = z.object({
  entityName: z.string(),
  indexName: z.string(),
  partition: z.array(z.unknown()).optional(),
  range: ConditionSchema.optional(),
  filters: z.partialRecord(z.enum(['and', 'or']), z.array(PropertyConditionSchema)).optional(),
  sort: z.enum(['ASC', 'DESC']).optional(),
  cursor: z.string().optional(),
  limit: z.number().int().positive().optional(),
  options: MetadataOptionsSchema,
});
const ConditionsSchema = z.partialRecord(z.enum(['and', 'or']), z.array(PropertyConditionSchema)).optional();
const TransactionSchema = z.object({
  set: z.array(z.object({ key: KeySchema, value: z.unknown(), entityName: z.string().optional(), conditions: ConditionsSchema, options: SetOptionsSchema })).optional(),
  delete: z.array(z.object({ key: KeySchema, entityName: z.string().optional(), conditions: ConditionsSchema })).optional(),
  check: z.array(z.object({ key: KeySchema, entityName: z.string(), conditions: ConditionsSchema })).optional(),
});
const BatchSetSchema = z.array(SetSchema);
const BatchKeysSchema = z.array(z.object({ key: KeySchema, entityName: z.string().optional(), options: MetadataOptionsSchema }));

type Conditions = z.infer<typeof ConditionsSchema>;
type Space = 'keys' | 'secrets' | 'entity';

function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let deepest = 0;
  for (const child of Object.values(value)) deepest = Math.max(deepest, depthOf(child));
  return deepest + 1;
}

function checkKey(key: string): void {
  if (key.length === 0) throw new KvsError(400, 'EMPTY_KEY', 'Key cannot be empty.');
  if (key.length > MAX_KEY_LENGTH) throw new KvsError(400, 'KEY_TOO_LONG', `The provided key has exceeded the maximum ${MAX_KEY_LENGTH} characters.`);
  if (!KEY_PATTERN.test(key)) throw new KvsError(400, 'INVALID_KEY', `The provided key does not match the regex: ${KEY_PATTERN}`);
}

function checkValue(value: unknown): void {
  if (value === undefined) throw new KvsError(400, 'BAD_REQUEST', 'value: expected a JSON value, got nothing');
  const bytes = Buffer.byteLength(JSON.stringify(value));
  if (bytes > MAX_VALUE_BYTES) {
    throw new KvsError(400, 'MAX_SIZE', `The provided value has exceeded the maximum size limit (${bytes} bytes, the limit is ${MAX_VALUE_BYTES}).`);
  }
  if (depthOf(value) > MAX_DEPTH) throw new KvsError(400, 'MAX_DEPTH', `The provided value has exceeded the maximum object depth (${MAX_DEPTH}) limit.`);
}

const TTL_UNIT_MS = { SECONDS: 1000, MINUTES: 60_000, HOURS: 3_600_000, DAYS: 86_400_000 } as const;

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = typeof a === 'string' ? a : String(a);
  const y = typeof b === 'string' ? b : String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** One KVS condition (BEGINS_WITH, BETWEEN, EQUAL_TO, ... as built by @forge/kvs's conditions.js). */
function matchesCondition(actual: unknown, condition: string, values: unknown[]): boolean {
  const [first, second] = values;
  switch (condition) {
    case 'BEGINS_WITH':
      return typeof actual === 'string' && actual.startsWith(String(first));
    case 'BETWEEN':
      return actual !== undefined && compare(actual, first) >= 0 && compare(actual, second) <= 0;
    case 'EQUAL_TO':
      return actual === first;
    case 'NOT_EQUAL_TO':
      return actual !== first;
    case 'GREATER_THAN':
      return actual !== undefined && compare(actual, first) > 0;
    case 'GREATER_THAN_EQUAL_TO':
      return actual !== undefined && compare(actual, first) >= 0;
    case 'LESS_THAN':
      return actual !== undefined && compare(actual, first) < 0;
    case 'LESS_THAN_EQUAL_TO':
      return actual !== undefined && compare(actual, first) <= 0;
    case 'CONTAINS':
      return (typeof actual === 'string' || Array.isArray(actual)) && actual.includes(first as never);
    case 'NOT_CONTAINS':
      return !((typeof actual === 'string' || Array.isArray(actual)) && actual.includes(first as never));
    case 'EXISTS':
      return actual !== undefined;
    case 'NOT_EXISTS':
      return actual === undefined;
    default:
      throw new KvsError(400, 'BAD_REQUEST', `condition: '${condition}' is not a KVS condition`);
  }
}

function propertyOf(value: unknown, property: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[property] : undefined;
}

function matchesConditions(value: unknown, conditions: Conditions): boolean {
  if (!conditions) return true;
  const and = conditions.and;
  const or = conditions.or;
  if (and) return and.every((c) => matchesCondition(propertyOf(value, c.property), c.condition, c.values));
  if (or) return or.some((c) => matchesCondition(propertyOf(value, c.property), c.condition, c.values));
  return true;
}

function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

export interface KvsStoreOptions {
  /** Where kvs.json lives; in memory when absent. */
  dataDir?: string;
  /** Indexes of custom entities by entity name (from the manifest). */
  entityIndexes?: Record<string, EntityIndex[]>;
  now?: () => number;
}

/** How long a write may wait before the store is written to its file. */
const PERSIST_DELAY_MS = 100;
/**
 * Stores with writes not yet in their file: written on the way out, however the process ends normally.
 * One set and one exit listener per process, however often the module is loaded (jest loads it afresh
 * for each test file in the same worker).
 */
const OPEN_STORES: Set<KvsStore> = (() => {
  const slot = Symbol.for('scrum-role-guard.sandbox.kvs-unflushed');
  const global = globalThis as { [slot]?: Set<KvsStore> };
  if (global[slot] === undefined) {
    const stores = new Set<KvsStore>();
    global[slot] = stores;
    process.once('exit', () => {
      for (const store of stores) store.flush();
    });
  }
  return global[slot];
})();

export class KvsStore {
  /**
   * The code a transaction whose condition fails is answered with, beside its HTTP status 409. Forge's
   * documentation names the status, not the code: tests set another one to check that the app goes by
   * the status.
   */
  transactionConflictCode = 'CONDITION_CHECK_FAILED';
  private data: StoreFile;
  private readonly file: string | undefined;
  private readonly now: () => number;
  private readonly entityIndexes: Record<string, EntityIndex[]>;
  readonly counters = { reads: 0, writes: 0 };

  constructor(options: KvsStoreOptions = {}) {
    this.file = options.dataDir === undefined ? undefined : path.join(options.dataDir, 'kvs.json');
    this.now = options.now ?? Date.now;
    this.entityIndexes = options.entityIndexes ?? {};
    this.data = this.load();
  }

  private load(): StoreFile {
    const empty: StoreFile = { version: 1, keys: {}, secrets: {}, entities: {} };
    if (this.file === undefined || !fs.existsSync(this.file)) return empty;
    const parsed = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Partial<StoreFile>;
    if (parsed.version !== 1) throw new Error(`${this.file}: expected a KVS file of version 1, got ${String(parsed.version)}`);
    return { ...empty, ...parsed };
  }

  private flushTimer: NodeJS.Timeout | undefined;

  /**
   * Writes reach the file within PERSIST_DELAY_MS, not one whole-file write each: a burst of writes
   * (a bulk rank, the app learning a backlog's order) is then one write, not thousands. `flush()` (the
   * host's close and settle, process exit) writes at once.
   */
  private persist(): void {
    if (this.file === undefined || this.flushTimer !== undefined) return;
    OPEN_STORES.add(this);
    this.flushTimer = setTimeout(() => this.flush(), PERSIST_DELAY_MS);
    this.flushTimer.unref();
  }

  /** Writes the whole store now, if anything changed: temp file + rename, so a crash leaves the old file or the new one. */
  flush(): void {
    if (this.flushTimer === undefined || this.file === undefined) return;
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    OPEN_STORES.delete(this);
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(this.data));
    fs.renameSync(temp, this.file);
  }

  private space(space: Space, entityName?: string): Record<string, StoredEntry> {
    if (space === 'keys') return this.data.keys;
    if (space === 'secrets') return this.data.secrets;
    if (entityName === undefined) throw new KvsError(400, 'BAD_REQUEST', 'entityName: expected the name of a custom entity');
    return (this.data.entities[entityName] ??= {});
  }

  private live(entries: Record<string, StoredEntry>, key: string): StoredEntry | undefined {
    const entry = entries[key];
    if (entry?.expireTime !== undefined && Date.parse(entry.expireTime) <= this.now()) {
      delete entries[key];
      return undefined;
    }
    return entry;
  }

  private withMetadata(key: string, entry: StoredEntry): Record<string, unknown> {
    return { key, value: entry.value, createdAt: entry.createdAt, updatedAt: entry.updatedAt, ...(entry.expireTime ? { expireTime: entry.expireTime } : {}) };
  }

  private put(entries: Record<string, StoredEntry>, key: string, value: unknown, options: z.infer<typeof SetOptionsSchema>): { previous?: StoredEntry; latest: StoredEntry } {
    checkKey(key);
    checkValue(value);
    const previous = this.live(entries, key);
    if (options?.keyPolicy === 'FAIL_IF_EXISTS' && previous) throw new KvsError(409, 'KEY_CONFLICT', `The key '${key}' already exists.`);
    const now = this.now();
    const latest: StoredEntry = {
      value: structuredClone(value),
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
      ...(options?.ttl ? { expireTime: new Date(now + options.ttl.value * TTL_UNIT_MS[options.ttl.unit]).toISOString() } : {}),
    };
    entries[key] = latest;
    return { ...(previous ? { previous } : {}), latest };
  }

  /** Serves one @forge/kvs request. */
  handle(requestPath: string, bodyText: string | undefined): KvsResponse {
    try {
      const body: unknown = bodyText === undefined || bodyText === '' ? {} : JSON.parse(bodyText);
      return this.route(requestPath, body);
    } catch (error) {
      if (error instanceof KvsError) return { status: error.status, body: { code: error.code, message: error.message } };
      if (error instanceof z.ZodError) {
        return { status: 400, body: { code: 'BAD_REQUEST', message: error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ') } };
      }
      if (error instanceof SyntaxError) return { status: 400, body: { code: 'BAD_REQUEST', message: 'The request body is not JSON' } };
      throw error;
    }
  }

  /** Forgets every key, secret and entity, as a fresh installation starts (the sandbox's "Reset the demo"). */
  clear(): void {
    this.data = { version: 1, keys: {}, secrets: {}, entities: {} };
    this.persist();
  }

  /** Writes still to refuse (tests of storage failing mid-way): see refuseNextWrites. */
  private writesToRefuse = 0;

  /**
   * Refuses the next `count` write requests (set, delete, batch set/delete, transaction) with a 500,
   * as the platform does when storage is briefly unavailable; nothing of a refused request is applied.
   */
  refuseNextWrites(count: number): void {
    if (!Number.isInteger(count) || count < 0) throw new Error(`refuseNextWrites: expected a whole number >= 0, got ${count}`);
    this.writesToRefuse = count;
  }

  private route(requestPath: string, body: unknown): KvsResponse {
    if (this.writesToRefuse > 0 && /\/(set|delete|transaction)$/.test(requestPath)) {
      this.writesToRefuse--;
      return { status: 500, body: { code: 'INTERNAL_SERVER_ERROR', message: 'The storage service could not complete the write (refused by the test).' } };
    }
    const match = /^\/api\/v1\/(?:(secret|entity)\/)?(get|set|delete|query)$/.exec(requestPath);
    if (match) {
      const space: Space = match[1] === 'secret' ? 'secrets' : match[1] === 'entity' ? 'entity' : 'keys';
      switch (match[2] ?? '') {
        case 'get':
          return this.get(space, GetSchema.parse(body));
        case 'set':
          return this.set(space, SetSchema.parse(body));
        case 'delete':
          return this.delete(space, DeleteSchema.parse(body));
        case 'query':
          if (space === 'keys') return this.query(QuerySchema.parse(body));
          if (space === 'entity') return this.queryEntity(EntityQuerySchema.parse(body));
      }
    }
    switch (requestPath) {
      case '/api/v1/batch/get':
        return this.batchGet(BatchKeysSchema.parse(body));
      case '/api/v1/batch/set':
        return this.batchSet(BatchSetSchema.parse(body));
      case '/api/v1/batch/delete':
        return this.batchDelete(BatchKeysSchema.parse(body));
      case '/api/v1/transaction':
        return this.transact(TransactionSchema.parse(body));
    }
    throw new KvsError(404, 'BAD_REQUEST', `The local KVS does not serve ${requestPath}`);
  }

  private get(space: Space, request: z.infer<typeof GetSchema>): KvsResponse {
    this.counters.reads++;
    const entry = this.live(this.space(space, request.entityName), request.key);
    if (!entry) return { status: 404, body: { code: 'KEY_NOT_FOUND', message: 'Provided key does not exist' } };
    return { status: 200, body: this.withMetadata(request.key, entry) };
  }

  private set(space: Space, request: z.infer<typeof SetSchema>): KvsResponse {
    this.counters.writes++;
    const { previous, latest } = this.put(this.space(space, request.entityName), request.key, request.value, request.options);
    this.persist();
    if (request.options?.returnValue === 'PREVIOUS') return { status: 200, body: previous ? this.withMetadata(request.key, previous) : undefined };
    if (request.options?.returnValue === 'LATEST') return { status: 200, body: this.withMetadata(request.key, latest) };
    return { status: 204 };
  }

  private delete(space: Space, request: z.infer<typeof DeleteSchema>): KvsResponse {
    this.counters.writes++;
    checkKey(request.key);
    const entries = this.space(space, request.entityName);
    delete entries[request.key];
    this.persist();
    return { status: 204 };
  }

  private page(keys: string[], after: string | undefined, limit: number | undefined): { keys: string[]; cursor?: string } {
    const size = Math.min(limit ?? DEFAULT_QUERY_LIMIT, MAX_QUERY_LIMIT);
    const start = after === undefined ? 0 : keys.findIndex((k) => k === decodeCursor(after)) + 1;
    const pageKeys = keys.slice(start, start + size);
    const more = start + size < keys.length;
    return { keys: pageKeys, ...(more && pageKeys.length > 0 ? { cursor: encodeCursor(pageKeys[pageKeys.length - 1]!) } : {}) };
  }

  private query(request: z.infer<typeof QuerySchema>): KvsResponse {
    this.counters.reads++;
    const entries = this.data.keys;
    const keys = Object.keys(entries)
      .filter((key) => this.live(entries, key) !== undefined)
      .filter((key) => (request.where ?? []).every((w) => {
        if (w.property !== 'key') throw new KvsError(400, 'BAD_REQUEST', `where.property: expected 'key', got '${w.property}'`);
        return matchesCondition(key, w.condition, w.values);
      }))
      .sort();
    const { keys: pageKeys, cursor } = this.page(keys, request.after, request.limit);
    const data = pageKeys.map((key) => {
      const entry = entries[key]!;
      return request.options?.metadataFields ? this.withMetadata(key, entry) : { key, value: entry.value, ...(entry.expireTime ? { expireTime: entry.expireTime } : {}) };
    });
    return { status: 200, body: { data, ...(cursor ? { cursor } : {}) } };
  }

  private queryEntity(request: z.infer<typeof EntityQuerySchema>): KvsResponse {
    this.counters.reads++;
    const index = (this.entityIndexes[request.entityName] ?? []).find((i) => i.name === request.indexName);
    if (!index) throw new KvsError(400, 'BAD_REQUEST', `indexName: the entity '${request.entityName}' has no index '${request.indexName}' in the manifest`);
    const entries = this.space('entity', request.entityName);
    const rangeProperty = index.range[0];
    // Each entry's range value is read once, then sorted on (a large entity is sorted per query).
    const matching: { key: string; rangeValue: unknown }[] = [];
    for (const key of Object.keys(entries)) {
      const entry = this.live(entries, key);
      if (!entry) continue;
      const partitionOk = index.partition.every((property, i) => request.partition === undefined || propertyOf(entry.value, property) === request.partition[i]);
      const rangeValue = rangeProperty === undefined ? undefined : propertyOf(entry.value, rangeProperty);
      if (rangeProperty !== undefined && rangeValue === undefined) continue;
      const rangeOk = !request.range || matchesCondition(rangeValue, request.range.condition, request.range.values);
      if (partitionOk && rangeOk && matchesConditions(entry.value, request.filters)) matching.push({ key, rangeValue });
    }
    const keys = matching
      .sort((a, b) => {
        const byRange = rangeProperty === undefined ? 0 : compare(a.rangeValue, b.rangeValue);
        const order = byRange !== 0 ? byRange : compare(a.key, b.key);
        return request.sort === 'DESC' ? -order : order;
      })
      .map((m) => m.key);
    const { keys: pageKeys, cursor } = this.page(keys, request.cursor, request.limit);
    const data = pageKeys.map((key) => (request.options?.metadataFields ? this.withMetadata(key, entries[key]!) : { key, value: entries[key]!.value }));
    return { status: 200, body: { data, ...(cursor ? { cursor } : {}) } };
  }

  private spaceOf(entityName: string | undefined): Record<string, StoredEntry> {
    return entityName === undefined ? this.data.keys : this.space('entity', entityName);
  }

  private batchGet(items: z.infer<typeof BatchKeysSchema>): KvsResponse {
    this.counters.reads += items.length;
    const successfulKeys: unknown[] = [];
    const failedKeys: unknown[] = [];
    for (const item of items) {
      const entry = this.live(this.spaceOf(item.entityName), item.key);
      if (entry) successfulKeys.push({ ...this.withMetadata(item.key, entry), ...(item.entityName ? { entityName: item.entityName } : {}) });
      else failedKeys.push({ key: item.key, ...(item.entityName ? { entityName: item.entityName } : {}), error: { code: 'KEY_NOT_FOUND', message: 'Provided key does not exist' } });
    }
    return { status: 200, body: { successfulKeys, failedKeys } };
  }

  private batchSet(items: z.infer<typeof BatchSetSchema>): KvsResponse {
    this.counters.writes += items.length;
    const successfulKeys: unknown[] = [];
    const failedKeys: unknown[] = [];
    for (const item of items) {
      const named = item.entityName ? { entityName: item.entityName } : {};
      try {
        this.put(this.spaceOf(item.entityName), item.key, item.value, item.options);
        successfulKeys.push({ key: item.key, ...named });
      } catch (error) {
        if (!(error instanceof KvsError)) throw error;
        failedKeys.push({ key: item.key, ...named, error: { code: error.code, message: error.message } });
      }
    }
    this.persist();
    return { status: 200, body: { successfulKeys, failedKeys } };
  }

  private batchDelete(items: z.infer<typeof BatchKeysSchema>): KvsResponse {
    this.counters.writes += items.length;
    for (const item of items) delete this.spaceOf(item.entityName)[item.key];
    this.persist();
    return { status: 200, body: { successfulKeys: items.map((i) => ({ key: i.key, ...(i.entityName ? { entityName: i.entityName } : {}) })), failedKeys: [] } };
  }

  /** All or nothing: every condition is checked before anything is written. */
  private transact(request: z.infer<typeof TransactionSchema>): KvsResponse {
    const sets = request.set ?? [];
    const deletes = request.delete ?? [];
    const checks = request.check ?? [];
    this.counters.writes += sets.length + deletes.length;
    this.counters.reads += checks.length;
    const conditionHolds = (key: string, entityName: string | undefined, conditions: Conditions): boolean => {
      if (!conditions) return true;
      const entry = this.live(this.spaceOf(entityName), key);
      return entry !== undefined && matchesConditions(entry.value, conditions);
    };
    for (const op of [...sets, ...deletes, ...checks]) {
      checkKey(op.key);
      if (!conditionHolds(op.key, op.entityName, op.conditions)) {
        throw new KvsError(409, this.transactionConflictCode, `The transaction's condition on '${op.key}' does not hold; nothing was written.`);
      }
    }
    for (const op of sets) checkValue(op.value);
    const snapshot = structuredClone(this.data);
    try {
      for (const op of sets) this.put(this.spaceOf(op.entityName), op.key, op.value, op.options);
      for (const op of deletes) delete this.spaceOf(op.entityName)[op.key];
    } catch (error) {
      this.data = snapshot;
      throw error;
    }
    this.persist();
    return { status: 204 };
  }
}
