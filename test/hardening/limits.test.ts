/**
 * Near Forge's limits: the KVS value size (a config as large as the config schema lets through) and
 * the invocation time of a warm event, measured.
 */
import { MAX_VALUE_BYTES } from '../../sandbox/forge';
import { MAX_MEMBERS_PER_LIST } from '../../src/core/config';
import { saveRules, scaledBed, type ScaledBed } from './support';

let bed: ScaledBed;

beforeAll(async () => {
  bed = await scaledBed({ scale: 0.01 });
}, 60_000);

afterAll(async () => {
  await bed?.close();
});

const ids = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `712020:${prefix}${String(i).padStart(6, '0')}-0000-4000-8000-000000000000`);

it('refuses the largest config the schema accepts, too large for one storage entry, in words that say what to do, and keeps what was saved', async () => {
  const roles = Object.fromEntries(
    ['productOwner', 'scrumMaster', 'developers', 'stakeholders'].map((role, r) => [role, { users: ids(`${r}a`, MAX_MEMBERS_PER_LIST), groups: [], projectRoles: [] }]),
  );
  const document = { version: 1, roles, rules: {} };
  const bytes = Buffer.byteLength(JSON.stringify(document));
  expect(bytes).toBeGreaterThan(MAX_VALUE_BYTES);
  const current = await bed.resolver('srg-settings', 'getProjectSettings', {});
  const answer = await bed.resolver('srg-settings', 'saveProjectSettings', { document, expectedRevision: current['revision'] ?? null });
  console.info(`config of ${bytes} bytes (KVS value limit ${MAX_VALUE_BYTES}): ${JSON.stringify(answer).slice(0, 300)}`);
  expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-config', issues: [{ path: 'roles' }] } });
  expect((answer['error'] as { message: string }).message).toMatch(/^The config is too large to save: .*name groups or project roles instead of long lists of people\.$/);
  const after = await bed.resolver('srg-settings', 'getProjectSettings', {});
  expect({ revision: after['revision'], document: after['document'] }).toEqual({ revision: current['revision'], document: current['document'] });
});

it('judges a warm event well inside the 25 s invocation limit', async () => {
  await saveRules(bed, { 'priority-change': 'block' });
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = Date.now();
    expect((await bed.site.act('dana', { action: 'edit', issue: 'DEMO-12', fields: { priority: i % 2 === 0 ? 'Lowest' : 'Low' } })).ok).toBe(true);
    await bed.host.settle();
    times.push(Date.now() - started);
  }
  times.sort((a, b) => a - b);
  console.info(`warm event, judged and undone: median ${times[10]} ms, slowest ${times[19]} ms (limit 25,000 ms)`);
  expect(times[19]).toBeLessThan(5_000);
});
