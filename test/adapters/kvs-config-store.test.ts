/**
 * The config store through the real @forge/kvs client against the sandbox's KVS: versioned saves,
 * the conflict, invalid and oversized documents refused without losing what is stored.
 */
import { KvsConfigStore, StoredConfigInvalidError, CONFIG_ENTITY } from '../../src/adapters/kvs-config-store';
import { ConfigTooLargeError } from '../../src/app/ports';
import { KvsSiteSettings, SiteSettingsError, SITE_SETTINGS_KEY } from '../../src/adapters/site-settings';
import { SITE_DEFAULTS_KEY } from '../../src/app/ports';
import { ConfigError, defaultConfig, projectConfigSchema, type ProjectConfig } from '../../src/core';
import { ForgeHost } from '../../sandbox/forge';
import { FIXTURE_APP, storageBed, type StorageBed } from './support';

const AT = new Date('2026-03-02T09:00:00.000Z');
const ADMIN_A = 'admin-a';
const ADMIN_B = 'admin-b';

function configWith(users: string[]): ProjectConfig {
  return projectConfigSchema.parse({ version: 1, roles: { productOwner: { users } }, rules: { 'backlog-rank': { mode: 'block' } } });
}

let bed: StorageBed;
const store = new KvsConfigStore();

beforeEach(async () => {
  bed = await storageBed('embedded');
});
afterEach(async () => {
  await bed.close();
});

describe('KvsConfigStore', () => {
  it('answers null before anything is saved, then saves revision 1 and reads it back', async () => {
    const result = await bed.run(async () => {
      const before = await store.get('DEMO');
      const saved = await store.save('DEMO', configWith(['po-1']), null, ADMIN_A, AT);
      return { before, saved, read: await store.get('DEMO') };
    });
    expect(result.before).toBeNull();
    expect(result.saved).toEqual({ ok: true, stored: { projectKey: 'DEMO', document: configWith(['po-1']), revision: 1, updatedAt: AT.toISOString(), updatedBy: ADMIN_A } });
    expect(result.read).toEqual(result.saved.ok ? result.saved.stored : null);
  });

  it('a save names the revision it started from; a second admin saving from the same revision gets a conflict and the current document', async () => {
    const result = await bed.run(async () => {
      await store.save('DEMO', configWith(['po-1']), null, ADMIN_A, AT);
      const second = await store.save('DEMO', configWith(['po-2']), 1, ADMIN_A, AT);
      const stale = await store.save('DEMO', configWith(['po-3']), 1, ADMIN_B, AT);
      const fresh = await store.save('DEMO', configWith(['po-3']), 2, ADMIN_B, AT);
      return { second, stale, fresh, read: await store.get('DEMO') };
    });
    expect(result.second.ok && result.second.stored.revision).toBe(2);
    expect(result.stale).toEqual({ ok: false, reason: 'conflict', current: expect.objectContaining({ revision: 2, updatedBy: ADMIN_A, document: configWith(['po-2']) }) });
    expect(result.fresh.ok && result.fresh.stored.revision).toBe(3);
    expect(result.read).toEqual(expect.objectContaining({ revision: 3, updatedBy: ADMIN_B, document: configWith(['po-3']) }));
  });

  it('knows a refused save by its HTTP status 409, whatever code the storage service gives it', async () => {
    bed.host.kvs.transactionConflictCode = 'SOME_NEW_CONFLICT_CODE';
    const result = await bed.run(async () => {
      await store.save('DEMO', configWith(['po-1']), null, ADMIN_A, AT);
      await store.save('DEMO', configWith(['po-2']), 1, ADMIN_A, AT);
      return store.save('DEMO', configWith(['po-3']), 1, ADMIN_B, AT);
    });
    expect(result).toEqual({ ok: false, reason: 'conflict', current: expect.objectContaining({ revision: 2 }) });
  });

  it('two first saves at once: exactly one wins, the other is told of the conflict', async () => {
    const results = await Promise.all([
      bed.run(() => store.save('RACE', configWith(['po-a']), null, ADMIN_A, AT)),
      bed.run(() => store.save('RACE', configWith(['po-b']), null, ADMIN_B, AT)),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const loser = results.find((r) => !r.ok);
    expect(loser).toEqual({ ok: false, reason: 'conflict', current: expect.objectContaining({ revision: 1 }) });
  });

  it('two saves from the same revision at once: exactly one wins', async () => {
    await bed.run(() => store.save('RACE', configWith([]), null, ADMIN_A, AT));
    const results = await Promise.all(
      ['a', 'b', 'c', 'd'].map((who) => bed.run(() => store.save('RACE', configWith([`po-${who}`]), 1, `admin-${who}`, AT))),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const winner = results.find((r) => r.ok);
    const stored = await bed.run(() => store.get('RACE'));
    expect(stored?.revision).toBe(2);
    expect(winner?.ok && winner.stored.document).toEqual(stored?.document);
  });

  it('a save from a revision that was never stored is a conflict, not a write', async () => {
    const result = await bed.run(async () => ({ save: await store.save('NEW', configWith([]), 4, ADMIN_A, AT), read: await store.get('NEW') }));
    expect(result.save).toEqual({ ok: false, reason: 'conflict', current: null });
    expect(result.read).toBeNull();
  });

  it('refuses an invalid document with the fields named, and keeps what was stored', async () => {
    const outcome = await bed.run(async () => {
      await store.save('DEMO', configWith(['po-1']), null, ADMIN_A, AT);
      const bad = { ...configWith(['po-1']), rules: { 'status-change': { mode: 'sometimes' } } } as unknown as ProjectConfig;
      const error = await store.save('DEMO', bad, 1, ADMIN_B, AT).catch((e: unknown) => e);
      return { error, read: await store.get('DEMO') };
    });
    expect(outcome.error).toBeInstanceOf(ConfigError);
    expect((outcome.error as ConfigError).issues).toEqual([{ path: 'rules.status-change.mode', message: 'expected "off", "flag" or "block"' }]);
    expect(outcome.read).toEqual(expect.objectContaining({ revision: 1, document: configWith(['po-1']) }));
  });

  it('refuses a document over the KVS limit with a clear message, and keeps what was stored', async () => {
    const many = Array.from({ length: 2000 }, (_, i) => `557058:${String(i).padStart(8, '0')}-aaaa-bbbb-cccc-${'d'.repeat(60)}`);
    const huge = projectConfigSchema.parse({
      version: 1,
      roles: { productOwner: { users: many }, scrumMaster: { users: many }, developers: { users: many } },
    });
    const outcome = await bed.run(async () => {
      await store.save('DEMO', configWith(['po-1']), null, ADMIN_A, AT);
      const error = await store.save('DEMO', huge, 1, ADMIN_A, AT).catch((e: unknown) => e);
      return { error, read: await store.get('DEMO') };
    });
    expect(outcome.error).toBeInstanceOf(ConfigTooLargeError);
    expect((outcome.error as Error).message).toMatch(/the config of DEMO would take \d+ KiB, more than the 236 KiB app storage holds in one entry; name groups or project roles instead/);
    expect(outcome.read).toEqual(expect.objectContaining({ revision: 1, document: configWith(['po-1']) }));
  });

  it('reports a stored document that no longer validates instead of replacing it', async () => {
    const outcome = await bed.run(async () => {
      await store.save('DEMO', configWith(['po-1']), null, ADMIN_A, AT);
      return null;
    });
    expect(outcome).toBeNull();
    // Damage the stored document behind the store's back (as an older app version might have left it).
    const key = 'config:DEMO';
    const damaged = bed.host.kvs.handle('/api/v1/entity/get', JSON.stringify({ key, entityName: CONFIG_ENTITY })).body as { value: Record<string, unknown> };
    bed.host.kvs.handle('/api/v1/entity/set', JSON.stringify({ key, entityName: CONFIG_ENTITY, value: { ...damaged.value, document: { version: 2, roles: {} } } }));
    const result = await bed.run(async () => ({
      read: await store.get('DEMO').catch((e: unknown) => e),
      stale: await store.save('DEMO', configWith(['po-2']), 7, ADMIN_B, AT).catch((e: unknown) => e),
    }));
    expect(result.read).toBeInstanceOf(StoredConfigInvalidError);
    expect((result.read as StoredConfigInvalidError).revision).toBe(1);
    expect((result.read as Error).message).toMatch(/the stored config of DEMO is not valid: version: expected 1/);
    expect(result.stale).toBeInstanceOf(StoredConfigInvalidError);
  });

  it('keeps the site defaults under their own key, apart from every project', async () => {
    const result = await bed.run(async () => {
      await store.save(SITE_DEFAULTS_KEY, configWith(['site-po']), null, ADMIN_A, AT);
      await store.save('DEMO', defaultConfig(), null, ADMIN_A, AT);
      return { site: await store.get(SITE_DEFAULTS_KEY), keys: await store.projectKeys() };
    });
    expect(result.site?.document).toEqual(configWith(['site-po']));
    expect([...result.keys].sort()).toEqual(['DEMO', SITE_DEFAULTS_KEY].sort());
  });

  it('refuses a key that is neither a project key nor the site defaults', async () => {
    const error = await bed.run(() => store.get('demo; drop').catch((e: unknown) => e));
    expect((error as Error).message).toMatch(/projectKey: expected a Jira project key such as DEMO/);
  });

  it('the saved document survives a new host on the same data folder', async () => {
    await bed.run(() => store.save('DEMO', configWith(['po-1']), null, ADMIN_A, AT));
    await bed.host.settle();
    const again = new ForgeHost({ appDir: FIXTURE_APP, dataDir: bed.dataDir, productFetch: async () => ({ status: 404, headers: {}, body: '' }), sql: bed.engine });
    const read = await again.runInInvocation(() => store.get('DEMO'));
    expect(read).toEqual(expect.objectContaining({ revision: 1, document: configWith(['po-1']) }));
  });
});

describe('KvsSiteSettings', () => {
  const settings = new KvsSiteSettings();

  it('answers the defaults (180 days) until saved, then what was saved', async () => {
    const result = await bed.run(async () => ({ before: await settings.get(), saved: await settings.save({ retentionDays: 30 }), after: await settings.get() }));
    expect(result).toEqual({ before: { retentionDays: 180 }, saved: { retentionDays: 30 }, after: { retentionDays: 30 } });
  });

  it('refuses a bad period and reports a damaged stored value', async () => {
    const refused = await bed.run(() => settings.save({ retentionDays: 0 }).catch((e: unknown) => e));
    expect(refused).toBeInstanceOf(SiteSettingsError);
    expect((refused as Error).message).toBe('site settings: retentionDays: expected at least 1 day');
    bed.host.kvs.handle('/api/v1/set', JSON.stringify({ key: SITE_SETTINGS_KEY, value: { retentionDays: 'forever' } }));
    const damaged = await bed.run(() => settings.get().catch((e: unknown) => e));
    expect((damaged as Error).message).toBe('the stored site settings are not valid: retentionDays: expected a number of days');
  });
});
