/**
 * The storage fakes hold to the real adapters: the same assertions run on each fake and on the Forge
 * adapter it stands for (the real @forge/kvs and @forge/sql clients on the local Forge host, SQL on the
 * embedded engine), so a fake cannot drift from what the fast tests rely on.
 */
import { KvsCache, KvsRankSnapshot } from '../../src/adapters/kvs-cache';
import { KvsConfigStore } from '../../src/adapters/kvs-config-store';
import { KvsReportCursor, KvsSiteSettings } from '../../src/adapters/site-settings';
import { SqlViolationLog, TOTAL_CAP } from '../../src/adapters/sql';
import { ConfigTooLargeError, SITE_DEFAULTS_KEY, type ConfigStore, type KeyValueCache, type RankSnapshot, type ReportCursor, type SiteSettingsStore, type ViolationLog } from '../../src/app/ports';
import { ConfigError, projectConfigSchema, type ProjectConfig } from '../../src/core';
import { weekNumber, type ViolationRecord } from '../../src/core/violations';
import { storageBed, type StorageBed } from '../adapters/support';
import { ConfigBacking, FakeCache, FakeClock, FakeConfigStore, FakeRankSnapshot, FakeReportCursor, FakeSiteSettings, FakeViolationLog } from './index';

interface Side<P> {
  /** Two containers of one installation: the same storage, each its own memory. */
  readonly ports: readonly [P, P];
  readonly clock: FakeClock;
  /** Runs `fn` where the port works (a Forge invocation, for the real adapter). */
  run<T>(fn: () => Promise<T>): Promise<T>;
}

type Make<P> = (clock: FakeClock) => { ports: [P, P]; real: boolean };

/** Runs `body` against the fake and against the real adapter, each on fresh storage. */
function contract<P>(name: string, fake: (clock: FakeClock) => [P, P], real: (clock: FakeClock) => [P, P], body: (side: () => Side<P>) => void): void {
  const sides: [string, Make<P>][] = [
    ['in-memory fake', (clock) => ({ ports: fake(clock), real: false })],
    ['Forge adapter', (clock) => ({ ports: real(clock), real: true })],
  ];
  describe.each(sides)(`${name}: %s`, (_label, make) => {
    let side: Side<P>;
    let bed: StorageBed | undefined;
    beforeEach(async () => {
      const clock = new FakeClock();
      const made = make(clock);
      bed = made.real ? await storageBed('embedded', undefined, { now: () => clock.now().getTime(), sleep: async () => undefined }) : undefined;
      side = { ports: made.ports, clock, run: (fn) => (bed ? bed.run(fn) : fn()) };
    });
    afterEach(async () => {
      await bed?.close();
    });
    body(() => side);
  });
}

function config(productOwner: string[], mode: 'flag' | 'block' = 'flag'): ProjectConfig {
  return projectConfigSchema.parse({ version: 1, roles: { productOwner: { users: productOwner } }, rules: { 'backlog-rank': { mode } } });
}

contract<ConfigStore>(
  'ConfigStore',
  (clock) => {
    const backing = new ConfigBacking();
    return [new FakeConfigStore(clock, backing), new FakeConfigStore(clock, backing)];
  },
  (clock) => [new KvsConfigStore(clock), new KvsConfigStore(clock)],
  (side) => {
    const at = new Date('2026-11-10T10:00:00.000Z');

    it('saves with a compare-and-set on the revision, and answers a conflict with what is stored', async () => {
      const { ports: [store], run } = side();
      await run(async () => {
        expect(await store.get('DEMO')).toBeNull();
        const first = await store.save('DEMO', config(['po-1']), null, 'admin-1', at);
        expect(first).toEqual({ ok: true, stored: { projectKey: 'DEMO', document: config(['po-1']), revision: 1, updatedAt: at.toISOString(), updatedBy: 'admin-1' } });
        expect(await store.save('DEMO', config(['po-2']), null, 'admin-2', at)).toMatchObject({ ok: false, reason: 'conflict', current: { revision: 1 } });
        expect((await store.save('DEMO', config(['po-2']), 1, 'admin-2', at)).ok).toBe(true);
        expect(await store.save('DEMO', config(['po-3']), 1, 'admin-3', at)).toMatchObject({ ok: false, current: { revision: 2, document: config(['po-2']) } });
        expect((await store.get('DEMO'))?.document.roles.productOwner.users).toEqual(['po-2']);
      });
    });

    it('refuses an invalid document, and one too large for app storage, and writes nothing', async () => {
      const { ports: [store], run } = side();
      await run(async () => {
        const invalid = { ...config(['po-1']), rules: { 'item-create': { mode: 'block' } } } as unknown as ProjectConfig;
        await expect(store.save('DEMO', invalid, null, 'admin-1', at)).rejects.toThrow(ConfigError);
        const people = (role: string) => Array.from({ length: 2000 }, (_, i) => `712020:${role}-${String(i).padStart(30, '0')}`);
        const large = projectConfigSchema.parse({ version: 1, roles: { productOwner: { users: people('po') }, developers: { users: people('dev') }, stakeholders: { users: people('st') } } });
        await expect(store.save('DEMO', large, null, 'admin-1', at)).rejects.toThrow(ConfigTooLargeError);
        expect(await store.get('DEMO')).toBeNull();
      });
    });

    it('sees its own save at once through the warm read, and another container\'s within the time given', async () => {
      const { ports: [here, elsewhere], clock, run } = side();
      await run(async () => {
        await here.save('DEMO', config(['po-1']), null, 'admin-1', at);
        expect((await here.getRecent('DEMO', 60))?.revision).toBe(1);
        await here.save('DEMO', config(['po-2']), 1, 'admin-1', at);
        expect((await here.getRecent('DEMO', 60))?.revision).toBe(2);
        expect((await elsewhere.getRecent('DEMO', 60))?.revision).toBe(2);
        await here.save('DEMO', config(['po-3']), 2, 'admin-1', at);
        clock.advance(61_000);
        expect((await elsewhere.getRecent('DEMO', 60))?.document.roles.productOwner.users).toEqual(['po-3']);
      });
    });

    it('lists every key with a stored config, the site defaults among them', async () => {
      const { ports: [store], run } = side();
      await run(async () => {
        await store.save('DEMO', config(['po-1']), null, 'admin-1', at);
        await store.save(SITE_DEFAULTS_KEY, config([]), null, 'admin-1', at);
        expect([...(await store.projectKeys())].sort()).toEqual(['DEMO', SITE_DEFAULTS_KEY].sort());
      });
    });
  },
);

function violation(n: number, extra: Partial<ViolationRecord> = {}): ViolationRecord {
  return {
    id: `1050${n}:backlog-rank`,
    occurredAt: new Date(Date.parse('2026-11-02T09:00:00.000Z') + n * 3_600_000).toISOString(),
    projectKey: 'DEMO',
    issueKey: `DEMO-${n}`,
    issueId: String(10_000 + n),
    actor: `acc-${n % 3}`,
    actorRoles: n % 3 === 0 ? [] : ['stakeholders', 'developers'],
    rule: n % 2 === 0 ? 'backlog-rank' : 'priority-change',
    mode: 'flag',
    outcome: 'flagged',
    fromValue: null,
    toValue: null,
    fromText: null,
    toText: 'Ranked higher',
    sprintId: n % 4 === 0 ? null : '1',
    status: 'open',
    ackNote: null,
    ackBy: null,
    ackAt: null,
    ...extra,
  };
}

contract<ViolationLog>(
  'ViolationLog',
  () => {
    const log = new FakeViolationLog();
    return [log, log];
  },
  () => {
    const log = new SqlViolationLog();
    return [log, log];
  },
  (side) => {
    it('records each id once, and gives back what it was given (roles in the catalogue\'s order)', async () => {
      const { ports: [log], run } = side();
      await run(async () => {
        expect(await log.record(violation(1))).toBe('inserted');
        expect(await log.record({ ...violation(1), outcome: 'reverted' })).toBe('duplicate');
        await log.setOutcome(violation(1).id, 'revert-skipped');
        const page = await log.page({ filter: { projectKey: 'DEMO' }, sort: { by: 'occurredAt', direction: 'desc' }, limit: 10, cursor: null });
        expect(page.rows).toEqual([{ ...violation(1), actorRoles: ['developers', 'stakeholders'], outcome: 'revert-skipped' }]);
        expect(String(page.rows[0])).toBe('[object Object]');
        await expect(log.record({ ...violation(2), issueKey: 'not a key' })).rejects.toThrow(/issueKey/);
      });
    });

    it('pages in the order asked, each row once, and filters as the screens ask', async () => {
      const { ports: [log], run } = side();
      await run(async () => {
        for (let n = 1; n <= 13; n++) await log.record(violation(n));
        const all = async (sort: { by: 'occurredAt' | 'rule' | 'issueKey'; direction: 'asc' | 'desc' }, filter = {}): Promise<string[]> => {
          const ids: string[] = [];
          let cursor: string | null = null;
          do {
            const page = await log.page({ filter: { projectKey: 'DEMO', ...filter }, sort, limit: 4, cursor });
            ids.push(...page.rows.map((r) => r.issueKey!));
            cursor = page.nextCursor;
          } while (cursor !== null);
          return ids;
        };
        expect(await all({ by: 'occurredAt', direction: 'desc' })).toEqual(Array.from({ length: 13 }, (_, i) => `DEMO-${13 - i}`));
        // Work item keys in number order; equal rules newest first.
        expect(await all({ by: 'issueKey', direction: 'asc' })).toEqual(Array.from({ length: 13 }, (_, i) => `DEMO-${i + 1}`));
        expect(await all({ by: 'rule', direction: 'asc' })).toEqual(['DEMO-12', 'DEMO-10', 'DEMO-8', 'DEMO-6', 'DEMO-4', 'DEMO-2', 'DEMO-13', 'DEMO-11', 'DEMO-9', 'DEMO-7', 'DEMO-5', 'DEMO-3', 'DEMO-1']);
        expect(await all({ by: 'occurredAt', direction: 'asc' }, { roles: ['none'] })).toEqual(['DEMO-3', 'DEMO-6', 'DEMO-9', 'DEMO-12']);
        expect(await all({ by: 'occurredAt', direction: 'asc' }, { roles: ['developers'], rules: ['backlog-rank'] })).toEqual(['DEMO-2', 'DEMO-4', 'DEMO-8', 'DEMO-10']);
        // Both ends of a time filter count.
        expect(await all({ by: 'occurredAt', direction: 'asc' }, { from: violation(2).occurredAt, to: violation(4).occurredAt })).toEqual(['DEMO-2', 'DEMO-3', 'DEMO-4']);
        const first = await log.page({ filter: { projectKey: 'DEMO', actors: ['acc-1'] }, sort: { by: 'occurredAt', direction: 'desc' }, limit: 2, cursor: null });
        expect(first.total).toBe(5);
      });
    });

    it(`counts a page's matches up to ${TOTAL_CAP}, and says when there are more`, async () => {
      const { ports: [log], run } = side();
      await run(async () => {
        for (let n = 1; n <= TOTAL_CAP + 1; n++) await log.record(violation(n, { id: `cap-${n}:backlog-rank`, issueKey: 'DEMO-1' }));
        const page = await log.page({ filter: { projectKey: 'DEMO' }, sort: { by: 'occurredAt', direction: 'desc' }, limit: 1, cursor: null });
        expect({ total: page.total, capped: page.totalIsCapped }).toEqual({ total: TOTAL_CAP, capped: true });
      });
    }, 60_000);

    it('sums up a work item, counts per rule with week, sprint and roles, and keeps counting right after sealing', async () => {
      const { ports: [log], run } = side();
      await run(async () => {
        for (let n = 1; n <= 9; n++) await log.record(violation(n, { issueKey: n <= 3 ? 'DEMO-1' : 'DEMO-2' }));
        await log.acknowledge([violation(2).id], 'DEMO', 'talked it through', 'acc-sm', new Date('2026-11-05T10:00:00.000Z'));
        const summary = await log.summary('DEMO', 'DEMO-1', 2);
        expect({ latest: summary.latest.map((r) => r.id), total: summary.total, open: summary.openCount }).toEqual({ latest: [violation(3).id, violation(2).id], total: 3, open: 2 });
        const byRule = (counts: readonly { rule: string; count: number }[]): Record<string, number> =>
          Object.fromEntries([...new Set(counts.map((c) => c.rule))].map((rule) => [rule, counts.filter((c) => c.rule === rule).reduce((a, c) => a + c.count, 0)]));
        const counted = await log.counts({ projectKey: 'DEMO' }, ['week', 'sprint', 'roles']);
        expect(byRule(counted)).toEqual({ 'backlog-rank': 4, 'priority-change': 5 });
        expect(new Set(counted.map((c) => c.week))).toEqual(new Set([weekNumber(Date.parse(violation(1).occurredAt))]));
        expect(counted.filter((c) => c.roles?.length === 0).reduce((a, c) => a + c.count, 0)).toBe(3);
        const open = await log.counts({ projectKey: 'DEMO', statuses: ['open'] }, ['sprint']);
        expect(open).toHaveLength(3);
        expect(open).toEqual(
          expect.arrayContaining([
            { rule: 'backlog-rank', sprintId: null, count: 2 },
            { rule: 'backlog-rank', sprintId: '1', count: 1 },
            { rule: 'priority-change', sprintId: '1', count: 5 },
          ]),
        );
        await log.sealClosedWeeks(new Date('2026-12-01T00:00:00.000Z'));
        expect(byRule(await log.counts({ projectKey: 'DEMO' }, ['sprint']))).toEqual({ 'backlog-rank': 4, 'priority-change': 5 });
      });
    });

    it('closes open entries of the project only, keeping the first note', async () => {
      const { ports: [log], run } = side();
      await run(async () => {
        await log.record(violation(1));
        await log.record(violation(2, { projectKey: 'OTHER' }));
        const at = new Date('2026-11-05T10:00:00.000Z');
        expect(await log.acknowledge([violation(1).id, violation(2).id, violation(1).id], 'DEMO', 'first', 'acc-sm', at)).toBe(1);
        expect(await log.acknowledge([violation(1).id], 'DEMO', 'second', 'acc-po', at)).toBe(0);
        const [row] = (await log.page({ filter: { projectKey: 'DEMO' }, sort: { by: 'occurredAt', direction: 'desc' }, limit: 5, cursor: null })).rows;
        expect(row).toMatchObject({ status: 'acknowledged', ackNote: 'first', ackBy: 'acc-sm', ackAt: at.toISOString() });
      });
    });

    it('removes old rows, erases a closed account and lists the accounts it holds', async () => {
      const { ports: [log], run } = side();
      await run(async () => {
        for (let n = 1; n <= 6; n++) await log.record(violation(n));
        await log.acknowledge([violation(4).id], 'DEMO', 'ok', 'acc-1', new Date('2026-11-20T10:00:00.000Z'));
        expect(await log.accountsAfter(null, 10)).toEqual([
          { accountId: 'acc-0', updatedAt: violation(6).occurredAt },
          { accountId: 'acc-1', updatedAt: '2026-11-20T10:00:00.000Z' },
          { accountId: 'acc-2', updatedAt: violation(5).occurredAt },
        ]);
        expect(await log.accountsAfter('acc-0', 1)).toEqual([{ accountId: 'acc-1', updatedAt: '2026-11-20T10:00:00.000Z' }]);
        // acc-1 acted on 1 and 4 and acknowledged 4: two rows removed, none left to blank.
        expect(await log.eraseAccount('acc-1')).toBe(2);
        expect(await log.deleteOlderThan(new Date(violation(3).occurredAt))).toBe(1);
        const left = await log.page({ filter: { projectKey: 'DEMO' }, sort: { by: 'occurredAt', direction: 'asc' }, limit: 10, cursor: null });
        expect(left.rows.map((r) => r.issueKey)).toEqual(['DEMO-3', 'DEMO-5', 'DEMO-6']);
      });
    });
  },
);

contract<KeyValueCache>(
  'KeyValueCache',
  (clock) => {
    const cache = new FakeCache(clock);
    return [cache, cache];
  },
  () => [new KvsCache(), new KvsCache()],
  (side) => {
    it('keeps JSON values until their time runs out, and forgets on delete', async () => {
      const { ports: [cache, other], clock, run } = side();
      await run(async () => {
        const value = { outcome: 'reverted', list: [1, 'two', null] };
        await cache.set('enforced:10500:backlog-rank', value, 60);
        await cache.set('app-account-id', 'app-1', null);
        value.list.push(4);
        expect(await other.get('enforced:10500:backlog-rank')).toEqual({ outcome: 'reverted', list: [1, 'two', null] });
        clock.advance(61_000);
        expect(await other.get('enforced:10500:backlog-rank')).toBeUndefined();
        expect(await other.get('app-account-id')).toBe('app-1');
        await cache.delete('app-account-id');
        await cache.delete('never-set');
        expect(await other.get('app-account-id')).toBeUndefined();
      });
    });
  },
);

contract<RankSnapshot>(
  'RankSnapshot',
  () => {
    const ranks = new FakeRankSnapshot();
    return [ranks, ranks];
  },
  () => [new KvsRankSnapshot(), new KvsRankSnapshot()],
  (side) => {
    const entry = (n: number, project = 'DEMO') => ({ issueId: `1000${n}`, issueKey: `${project}-${n}`, project, rank: `0|i0000${n}:`, orderKey: `0|i0000${n}:`, changelogId: '0' });

    it('answers the neighbours of a place in the order, within the project, nearest first', async () => {
      const { ports: [ranks], run } = side();
      await run(async () => {
        await ranks.putMany([1, 2, 3, 4, 5].map((n) => entry(n)));
        await ranks.put(entry(6, 'OTHER'));
        await ranks.put({ ...entry(3), orderKey: '0|i00001:', changelogId: '10501' });
        expect(await ranks.get('10003')).toEqual({ ...entry(3), orderKey: '0|i00001:', changelogId: '10501' });
        expect(await ranks.get('99999')).toBeUndefined();
        expect((await ranks.neighbours('DEMO', '0|i00002:', 'after', 2)).map((e) => e.issueKey)).toEqual(['DEMO-4', 'DEMO-5']);
        // DEMO-3 now shares DEMO-1's order key (as after a move back): the two come in issue id order.
        expect((await ranks.neighbours('DEMO', '0|i00004:', 'before', 8)).map((e) => e.issueKey)).toEqual(['DEMO-2', 'DEMO-3', 'DEMO-1']);
      });
    });

    it('remembers per project whether the order was learnt, until it is forgotten', async () => {
      const { ports: [ranks], run } = side();
      await run(async () => {
        expect(await ranks.isSeeded('DEMO')).toBe(false);
        await ranks.markSeeded('DEMO');
        expect([await ranks.isSeeded('DEMO'), await ranks.isSeeded('OTHER')]).toEqual([true, false]);
        await ranks.forgetSeeded('DEMO');
        expect(await ranks.isSeeded('DEMO')).toBe(false);
      });
    });
  },
);

contract<SiteSettingsStore>(
  'SiteSettingsStore',
  () => {
    const settings = new FakeSiteSettings();
    return [settings, settings];
  },
  () => [new KvsSiteSettings(), new KvsSiteSettings()],
  (side) => {
    it('answers the defaults until saved, and refuses what is out of range', async () => {
      const { ports: [settings], run } = side();
      await run(async () => {
        expect(await settings.get()).toEqual({ retentionDays: 180 });
        expect(await settings.save({ retentionDays: 30 })).toEqual({ retentionDays: 30 });
        expect(await settings.get()).toEqual({ retentionDays: 30 });
        await expect(settings.save({ retentionDays: 0 })).rejects.toThrow(/retentionDays/);
        expect(await settings.get()).toEqual({ retentionDays: 30 });
      });
    });
  },
);

contract<ReportCursor>(
  'ReportCursor',
  () => {
    const cursor = new FakeReportCursor();
    return [cursor, cursor];
  },
  () => [new KvsReportCursor(), new KvsReportCursor()],
  (side) => {
    it('starts from nothing and keeps where the last run stopped', async () => {
      const { ports: [cursor], run } = side();
      await run(async () => {
        expect(await cursor.get()).toBeNull();
        await cursor.set('acc-2');
        expect(await cursor.get()).toBe('acc-2');
        await cursor.set(null);
        expect(await cursor.get()).toBeNull();
      });
    });
  },
);
