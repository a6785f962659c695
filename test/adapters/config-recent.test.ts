/**
 * What a warm container remembers of the projects' configs (KvsConfigStore.getRecent, which the judge
 * reads through): its own saves at once, another container's within the time asked, one read of the
 * revision stamp per that time whatever the number of projects, and each installation apart. Two stores
 * stand for two containers of one installation; the KVS is the real client against the local host.
 */
import { CONFIG_STAMP_KEY, KvsConfigStore, UNCONFIGURED_MAX_SECONDS } from '../../src/adapters/kvs-config-store';
import { CONFIG_FRESH_SECONDS } from '../../src/app/project-config';
import { defaultConfig, type ProjectConfig } from '../../src/core';
import { storageBed, type StorageBed } from './support';

const AT = new Date('2026-03-02T09:00:00.000Z');

function configWith(users: string[]): ProjectConfig {
  const config = defaultConfig();
  return { ...config, roles: { ...config.roles, productOwner: { users, groups: [], projectRoles: [] } } };
}

describe('configs read recently', () => {
  let bed: StorageBed;
  let now: number;
  const clock = { now: () => new Date(now) };
  beforeEach(async () => {
    bed = await storageBed('embedded');
    now = AT.getTime();
  });
  afterEach(async () => {
    await bed.close();
  });

  async function reads(fn: () => Promise<unknown>): Promise<number> {
    bed.host.resetCounters();
    await bed.run(fn);
    return bed.host.counters().kvs.reads;
  }

  it("are this container's own save at once, another container's save once the time asked is over, and read once within it", async () => {
    const judging = new KvsConfigStore(clock);
    const elsewhere = new KvsConfigStore(clock);
    await bed.run(() => judging.save('DEMO', configWith(['po-1']), null, 'admin', AT));

    // The stamp and the config, then nothing within the time.
    expect(await reads(() => judging.getRecent('DEMO', CONFIG_FRESH_SECONDS))).toBe(2);
    expect(await reads(() => judging.getRecent('DEMO', CONFIG_FRESH_SECONDS))).toBe(0);

    // Another container saves: this one judges by what it read until the time is over, then reads anew.
    await bed.run(() => elsewhere.save('DEMO', configWith(['po-2']), 1, 'admin', AT));
    now += (CONFIG_FRESH_SECONDS - 1) * 1000;
    expect((await bed.run(() => judging.getRecent('DEMO', CONFIG_FRESH_SECONDS)))?.revision).toBe(1);
    now += 2000;
    expect((await bed.run(() => judging.getRecent('DEMO', CONFIG_FRESH_SECONDS)))?.revision).toBe(2);

    // Its own save is seen at once.
    await bed.run(() => judging.save('DEMO', configWith(['po-3']), 2, 'admin', AT));
    expect((await bed.run(() => judging.getRecent('DEMO', CONFIG_FRESH_SECONDS)))?.document.roles.productOwner.users).toEqual(['po-3']);
    // get() always reads.
    expect(await reads(() => judging.get('DEMO'))).toBe(1);
  });

  it('read only the stamp once the time is over and nothing was saved, however many projects there are', async () => {
    const judging = new KvsConfigStore(clock);
    const projects = ['ALPHA', 'BETA', 'GAMMA', 'DELTA'];
    for (const key of projects) await bed.run(() => judging.save(key, configWith([`po-${key}`]), null, 'admin', AT));
    expect(await reads(async () => Promise.all(projects.map((key) => judging.getRecent(key, CONFIG_FRESH_SECONDS))))).toBe(1 + projects.length);
    for (let minute = 1; minute <= 5; minute++) {
      now += CONFIG_FRESH_SECONDS * 1000 + 1;
      expect(await reads(async () => Promise.all(projects.map((key) => judging.getRecent(key, CONFIG_FRESH_SECONDS))))).toBe(1);
    }
    // A save of one project elsewhere: every project is read again once (the stamp says something changed).
    await bed.run(() => new KvsConfigStore(clock).save('BETA', configWith(['po-new']), 1, 'admin', AT));
    now += CONFIG_FRESH_SECONDS * 1000 + 1;
    expect(await reads(async () => Promise.all(projects.map((key) => judging.getRecent(key, CONFIG_FRESH_SECONDS))))).toBe(1 + projects.length);
    expect((await bed.run(() => judging.getRecent('BETA', CONFIG_FRESH_SECONDS)))?.document.roles.productOwner.users).toEqual(['po-new']);
  });

  it("see a project's first save elsewhere once the time is over, and even without the stamp within UNCONFIGURED_MAX_SECONDS", async () => {
    const judging = new KvsConfigStore(clock);
    expect(await bed.run(() => judging.getRecent('NEW', CONFIG_FRESH_SECONDS))).toBeNull();
    await bed.run(() => new KvsConfigStore(clock).save('NEW', configWith(['po-1']), null, 'admin', AT));
    now += CONFIG_FRESH_SECONDS * 1000 + 1;
    expect((await bed.run(() => judging.getRecent('NEW', CONFIG_FRESH_SECONDS)))?.revision).toBe(1);

    // A first save whose stamp was lost (written apart from the document): seen once "no config" is too old to trust.
    expect(await bed.run(() => judging.getRecent('LOST', CONFIG_FRESH_SECONDS))).toBeNull();
    const stampBefore = await bed.run(() => import('@forge/kvs').then(({ kvs }) => kvs.get(CONFIG_STAMP_KEY)));
    await bed.run(() => new KvsConfigStore(clock).save('LOST', configWith(['po-1']), null, 'admin', AT));
    await bed.run(() => import('@forge/kvs').then(({ kvs }) => kvs.set(CONFIG_STAMP_KEY, stampBefore)));
    now += CONFIG_FRESH_SECONDS * 1000 + 1;
    expect(await bed.run(() => judging.getRecent('LOST', CONFIG_FRESH_SECONDS))).toBeNull();
    now += UNCONFIGURED_MAX_SECONDS * 1000;
    expect((await bed.run(() => judging.getRecent('LOST', CONFIG_FRESH_SECONDS)))?.revision).toBe(1);
  });

  it('keep installations apart', async () => {
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
