/**
 * A sprint closed with 40 open items: Jira moves each to the next sprint, one update event per item,
 * and the app takes the burst through its queue without failing, retrying or judging wrongly.
 */
import { appContractProblems, startHarness, type Harness } from './harness';

jest.setTimeout(120_000);

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  expect(appContractProblems(h.sandbox)).toEqual([]);
  await h.close();
});

async function asPerson(name: string, method: string, path: string, body: unknown): Promise<number> {
  const answer = await h.sandbox.site.handle({
    actor: { kind: 'user', accountId: h.accountOf(name) },
    method,
    path,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return answer.status;
}

function sprintItems(state: 'active' | 'future'): string[] {
  return h.sandbox.site.boardView().sprints.find((s) => s.state === state)!.keys;
}

it('closes a sprint with 40 open items moved on to the next sprint, every event through the queue', async () => {
  await h.saveConfig({ 'sprint-scope-add': 'block', 'sprint-cancel': 'flag' });
  for (let i = 0; i < 30; i++) await h.act('olivia', { action: 'create', summary: `Story ${i + 1}`, type: 'Story' });
  await h.settle();
  // The Developers pull enough into the running sprint to make 40 open items (allowed: nothing is taken out).
  const active = h.sandbox.site.boardView().sprints.find((s) => s.state === 'active')!;
  const open = () => sprintItems('active').filter((key) => h.sandbox.site.issueState(key).statusCategory !== 'done' && !h.sandbox.site.issueState(key).subtask);
  const pulled = h.backlog().slice(0, 40 - open().length);
  for (let start = 0; start < pulled.length; start += 50) expect(await asPerson('dana', 'POST', `/rest/agile/1.0/sprint/${active.id}/issue`, { issues: pulled.slice(start, start + 50) })).toBe(204);
  await h.settle();
  const moving = open();
  expect(moving.length).toBe(40);
  expect((await h.violations()).filter((r) => r.rule === 'sprint-scope-add')).toEqual([]);

  const next = h.sandbox.site.boardView().sprints.find((s) => s.state === 'future')!;
  const inNext = () => h.sandbox.site.issues.filter((i) => i.sprintIds.includes(next.id)).length;
  const alreadyInNext = inNext();
  h.sandbox.host.resetCounters();
  const started = Date.now();
  await h.act('sam', { action: 'complete-sprint', sprint: active.id, moveOpenItemsTo: next.id });
  await h.settle();
  const elapsed = Date.now() - started;
  const counters = h.sandbox.host.counters();
  console.info(`sprint closed with 40 open items: ${elapsed} ms, ${JSON.stringify(counters)}`);

  expect(moving.every((key) => h.sandbox.site.issueState(key).sprint?.id === next.id)).toBe(true);
  // One update event per item moved, sub-tasks going along with their parents: each one through the queue.
  const movedAlong = inNext() - alreadyInNext;
  expect(movedAlong).toBeGreaterThanOrEqual(40);
  expect(counters.invocations['srg-issue-updated']).toBe(movedAlong);
  expect(counters.queuePushes).toBe(movedAlong);
  expect(counters.invocations['srg-enforcement-consumer']).toBe(movedAlong);
  expect(h.sandbox.host.deliveries().filter((d) => d.outcome === 'retry-requested' || d.outcome === 'failed' || d.outcome === 'gave-up')).toEqual([]);
  const rows = await h.violations();
  // Closing a sprint before its end is the Product Owner's call; moving the open items on is not scope added to a running sprint.
  expect(rows.map((r) => [r.rule, r.outcome, r.actor])).toEqual([['sprint-cancel', 'flagged', h.accountOf('sam')]]);
});
