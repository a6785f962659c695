/**
 * Storage failing mid-way: a KVS write or an SQL insert refused while an event is judged (the next
 * delivery completes the work, once), and a config save whose write is refused (it happens fully or
 * not at all).
 */
import { allRows, saveRules, scaledBed, type ScaledBed } from './support';

let bed: ScaledBed;

beforeEach(async () => {
  bed = await scaledBed({ scale: 0.01 });
});

afterEach(async () => {
  await bed.close();
});

async function forbiddenPriorityEdit(): Promise<string> {
  const before = bed.site.issueState('DEMO-13').priority;
  expect((await bed.site.act('dana', { action: 'edit', issue: 'DEMO-13', fields: { priority: before === 'Lowest' ? 'Low' : 'Lowest' } })).ok).toBe(true);
  return before;
}

function appPriorityUndos(): number {
  return bed.site.findIssue('DEMO-13')!.changelog.filter((e) => e.authorAccountId === bed.site.appAccountId && e.items.some((i) => i.field === 'priority')).length;
}

it.each([1, 2, 3])('completes the work on a later delivery when the next %i KVS writes are refused', async (count) => {
  await saveRules(bed, { 'priority-change': 'block' });
  const before = await forbiddenPriorityEdit();
  bed.host.kvs.refuseNextWrites(count);
  await bed.host.settle();
  const rows = await allRows(bed);
  expect(rows).toEqual([expect.objectContaining({ rule: 'priority-change', outcome: 'reverted' })]);
  expect(bed.site.issueState('DEMO-13').priority).toBe(before);
  expect(appPriorityUndos()).toBe(1);
});

it.each([1, 2])('completes the work on a later delivery when the next %i SQL inserts are refused', async (count) => {
  await saveRules(bed, { 'priority-change': 'block' });
  // The log's tables exist (the once-per-container migration ran): the refused insert is the row's.
  expect(await allRows(bed)).toEqual([]);
  const before = await forbiddenPriorityEdit();
  bed.refuseNextInserts(count);
  await bed.host.settle();
  const rows = await allRows(bed);
  expect(rows).toEqual([expect.objectContaining({ rule: 'priority-change', outcome: 'reverted' })]);
  expect(bed.site.issueState('DEMO-13').priority).toBe(before);
  expect(appPriorityUndos()).toBe(1);
  const failed = bed.host.deliveries().filter((d) => d.outcome === 'failed' || d.outcome === 'retry-requested').length;
  expect(failed).toBeGreaterThanOrEqual(1);
});

it('saves a config fully or not at all when its write is refused', async () => {
  await saveRules(bed, { 'priority-change': 'flag' });
  const saved = await bed.resolver('srg-settings', 'getProjectSettings', {});
  bed.host.kvs.refuseNextWrites(1);
  const document = { version: 1, roles: (saved['document'] as { roles: unknown }).roles, rules: { 'priority-change': { mode: 'block' }, 'backlog-rank': { mode: 'block' } } };
  const refused = await bed.resolver('srg-settings', 'saveProjectSettings', { document, expectedRevision: saved['revision'] ?? null });
  expect(refused['ok']).toBe(false);
  expect(JSON.stringify(refused)).not.toMatch(/at .*\.ts:\d+/);
  const after = await bed.resolver('srg-settings', 'getProjectSettings', {});
  expect(after['revision']).toEqual(saved['revision']);
  expect(after['document']).toEqual(saved['document']);
  // The same save, tried again, goes through whole.
  const retried = await bed.resolver('srg-settings', 'saveProjectSettings', { document, expectedRevision: saved['revision'] ?? null });
  expect(retried['ok']).toBe(true);
  const final = await bed.resolver('srg-settings', 'getProjectSettings', {});
  expect((final['document'] as { rules: unknown }).rules).toEqual(document.rules);
});

it('recovers on the next call when the first migration of the log is cut short by a refused insert', async () => {
  // The migration runner creates the table, then records the migration with an INSERT: refused here,
  // so the next call runs the CREATE TABLE IF NOT EXISTS again, which must be a no-op.
  bed.refuseNextInserts(1);
  const first = await bed.resolver('srg-violation-log', 'listViolations', {});
  expect(first).toMatchObject({ ok: false, error: { code: 'internal' } });
  const second = await bed.resolver('srg-violation-log', 'listViolations', {});
  expect(second).toMatchObject({ ok: true, rows: [] });
});
