/**
 * A stakeholder bulk-ranks 1,000 Product Backlog items in block mode. Each move is one update event, so
 * the triggers push 1,000 events at Forge's queue within seconds, past its limit of 500 a minute: the
 * local host refuses what is over (RateLimitError, PartialSuccessError, as @forge/events throws them),
 * the triggers ask Forge for a retry a minute later, and every move is still logged once and put back.
 * Waits run on a scaled clock (a minute takes about a second), with Forge's limits scaled alike.
 */
import { PartialSuccessError, Queue, RateLimitError } from '@forge/events';
import { QUEUE_LIMITS } from '../../sandbox/forge';
import { allRows, demoRoles, saveRules, scaledBed, type ScaledBed } from '../hardening/support';

jest.setTimeout(300_000);

let bed: ScaledBed;

afterEach(async () => {
  expect(bed.site.contractViolations).toEqual([]);
  await bed.close();
});

async function asPerson(name: string, method: string, path: string, body: unknown): Promise<number> {
  const answer = await bed.site.handle({
    actor: { kind: 'user', accountId: bed.accountOf(name) },
    method,
    path,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return answer.status;
}

describe('the local Forge host holds pushes to the documented queue limits', () => {
  it('throws RateLimitError past 500 events a minute, and PartialSuccessError naming what it did not take', async () => {
    bed = await scaledBed({ scale: 0.02 });
    const events = (n: number) => Array.from({ length: n }, (_, i) => ({ body: { i } }));
    const outcome = await bed.host.runInInvocation(async () => {
      const queue = new Queue({ key: 'srg-enforcement' });
      for (let i = 0; i < 9; i++) await queue.push(events(50));
      await queue.push(events(40));
      const partial = await queue.push(events(50)).then(() => null, (error: unknown) => error);
      const refused = await queue.push(events(1)).then(() => null, (error: unknown) => error);
      return { partial, refused };
    });
    expect(QUEUE_LIMITS.eventsPerMinute).toBe(500);
    // 490 taken: 10 of the next 50 fit, and the error names the other 40 by the events pushed.
    expect(outcome.partial).toBeInstanceOf(PartialSuccessError);
    expect((outcome.partial as PartialSuccessError).failedEvents.map((f) => ((f as unknown as { payload: { body: { i: number } } }).payload.body.i))).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 10),
    );
    expect(outcome.refused).toBeInstanceOf(RateLimitError);
    await bed.host.settle();
  });
});

describe('a bulk rank of 1,000 backlog items by a stakeholder, backlog-rank in block mode', () => {
  it('logs every move once and puts every item back, through rate limits, without judging anything twice', async () => {
    bed = await scaledBed({ scale: 0.02 });
    const { site, host } = bed;
    // 2,000 more backlog items, there before the app: every other one will move, so each keeps an old
    // neighbour that stays. Saving the settings teaches the app the order it will put things back into.
    site.addBacklogItems(2000);
    await saveRules(bed, { 'backlog-rank': 'block', 'item-create': 'off' }, demoRoles(bed));
    await host.settle();
    const before = site.backlogOrder();
    const moving = before.filter((_, i) => i % 2 === 1).slice(0, 1000);
    expect(moving).toHaveLength(1000);
    host.resetCounters();

    for (let from = 0; from < moving.length; from += 50) {
      expect(await asPerson('stella', 'PUT', '/rest/agile/1.0/issue/rank', { issues: moving.slice(from, from + 50), rankBeforeIssue: before[0] })).toBe(204);
    }
    await host.settle();

    const counters = host.counters();
    const rows = (await allRows(bed)).filter((r) => r.rule === 'backlog-rank');
    console.info(`bulk rank of 1,000: ${JSON.stringify(counters)}`);
    // The queue refused what was over the limit, and the retries brought everything in.
    expect(counters.queueRefusals).toBeGreaterThan(0);
    expect(host.deliveries().filter((d) => d.outcome === 'gave-up' || d.outcome === 'failed')).toEqual([]);
    // Every move logged once, and put back.
    expect(rows).toHaveLength(1000);
    expect(new Set(rows.map((r) => r.issueKey))).toEqual(new Set(moving));
    expect(rows.filter((r) => r.outcome !== 'reverted').map((r) => [r.issueKey, r.outcome])).toEqual([]);
    expect(site.backlogOrder()).toEqual(before);
    // Nothing judged twice: one consumer invocation per move that was pushed, and one put-back per move.
    expect(counters.invocations['srg-enforcement-consumer']).toBe(1000);
    const putBacks = site.requestLog.filter((r) => r.actor === site.appAccountId && r.method === 'PUT' && r.path === '/rest/agile/1.0/issue/rank');
    expect(putBacks).toHaveLength(1000);
  });
});
