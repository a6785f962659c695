/**
 * What a warm container remembers of a project's config (KvsConfigStore.getRecent, which the judge
 * reads through): its own saves at once, another container's within the time asked, and each
 * installation apart. Two stores stand for two containers of one installation; the KVS is the real
 * client against the local host.
 */
import { KvsConfigStore } from '../../src/adapters/kvs-config-store';
import { CONFIG_FRESH_SECONDS } from '../../src/app/project-config';
import { defaultConfig, type ProjectConfig } from '../../src/core';
import { storageBed, type StorageBed } from './support';

const AT = new Date('2026-03-02T09:00:00.000Z');

function configWith(users: string[]): ProjectConfig {
  const config = defaultConfig();
  return { ...config, roles: { ...config.roles, productOwner: { users, groups: [], projectRoles: [] } } };
}

describe('a config read recently', () => {
  let bed: StorageBed;
  beforeEach(async () => {
    bed = await storageBed('embedded');
  });
  afterEach(async () => {
    await bed.close();
  });

  it("is this container's own save at once, another container's save after the time asked, and read once within it", async () => {
    let now = AT.getTime();
    const clock = { now: () => new Date(now) };
    const judging = new KvsConfigStore(clock);
    const elsewhere = new KvsConfigStore(clock);
    await bed.run(() => judging.save('DEMO', configWith(['po-1']), null, 'admin', AT));

    bed.host.resetCounters();
    const first = await bed.run(() => judging.getRecent('DEMO', CONFIG_FRESH_SECONDS));
    const again = await bed.run(() => judging.getRecent('DEMO', CONFIG_FRESH_SECONDS));
    expect([first?.revision, again?.revision]).toEqual([1, 1]);
    expect(bed.host.counters().kvs.reads).toBe(1);

    // Another container saves: this one judges by what it read until that is older than asked.
    await bed.run(() => elsewhere.save('DEMO', configWith(['po-2']), 1, 'admin', AT));
    now += (CONFIG_FRESH_SECONDS - 1) * 1000;
    expect((await bed.run(() => judging.getRecent('DEMO', CONFIG_FRESH_SECONDS)))?.revision).toBe(1);
    now += 2000;
    expect((await bed.run(() => judging.getRecent('DEMO', CONFIG_FRESH_SECONDS)))?.revision).toBe(2);

    // Its own save is seen at once.
    await bed.run(() => judging.save('DEMO', configWith(['po-3']), 2, 'admin', AT));
    expect((await bed.run(() => judging.getRecent('DEMO', CONFIG_FRESH_SECONDS)))?.document.roles.productOwner.users).toEqual(['po-3']);
    // A project without a config is remembered as such too, and get() always reads.
    expect(await bed.run(() => judging.getRecent('NONE', CONFIG_FRESH_SECONDS))).toBeNull();
    bed.host.resetCounters();
    await bed.run(() => judging.getRecent('NONE', CONFIG_FRESH_SECONDS));
    await bed.run(() => judging.get('DEMO'));
    expect(bed.host.counters().kvs.reads).toBe(1);
  });

  it('keeps installations apart', async () => {
    const other = await storageBed('embedded');
    try {
      const store = new KvsConfigStore();
      await bed.run(() => store.save('DEMO', configWith(['po-here']), null, 'admin', AT));
      expect((await bed.run(() => store.getRecent('DEMO', CONFIG_FRESH_SECONDS)))?.document.roles.productOwner.users).toEqual(['po-here']);
      expect(await other.run(() => store.getRecent('DEMO', CONFIG_FRESH_SECONDS))).toBeNull();
    } finally {
      await other.close();
    }
  });
});
