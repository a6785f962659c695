/**
 * Jira answering the app 200 with a body that is not what Jira documents: not JSON, empty, null, the
 * wrong shape, wrong types, deep nesting, `__proto__` keys, and seeded arbitrary JSON from fast-check.
 * Each body is answered, once (a passing glitch) or on every try (a lasting one), to one kind of request
 * the app decides on (the work item read, the JQL search behind the rank put-back, the actor's groups)
 * or to whatever the app asks first, while a forbidden change of rank, priority or
 * estimate is judged in block mode by the real app on the local Forge host.
 *
 * Held when: no invocation fails (a malformed answer is a retry asked of Forge, never a crash); the
 * violation is in the log exactly once; a row says `reverted` exactly when the app's undo is in Jira's
 * history, and nothing is undone otherwise (never an undo on a guess); Object.prototype is untouched.
 *
 * SRG_GARBAGE_SEED changes the seed of the generated bodies.
 */
import fc from 'fast-check';
import { allRows, saveRules, scaledBed, seeded, type ScaledBed } from './support';

const SEED = Number(process.env['SRG_GARBAGE_SEED'] ?? 7_311);
const SCALE = 0.02;

function nested(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

const CRAFTED: readonly string[] = [
  '<html><body>502 Bad Gateway</body></html>',
  '',
  'null',
  '[]',
  '{}',
  '"ok"',
  '{"issues":"none","nextPageToken":7}',
  '{"id":{},"key":5,"fields":[]}',
  '{"id":"10001","key":"DEMO-1","fields":{"priority":{"id":[]},"status":"Done"}}',
  '{"issues":[{"id":null,"key":"DEMO-1"}]}',
  '[{"groupId":{"$ne":null}}]',
  '{"accountId":null}',
  '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
  nested(5_000),
  `{"issues":[${'{"id":"1","key":"X-1","fields":{}},'.repeat(2_000)}{"id":"2"}]}`,
  '{"truncated":',
];
const GENERATED = fc.sample(fc.json({ depthSize: 'medium' }), { seed: SEED, numRuns: 8 });
const BODIES = [...CRAFTED, ...GENERATED];

/** The requests the app decides on; undefined: whatever it asks first. */
const TARGETS: readonly { name: string; pathPattern?: RegExp }[] = [
  { name: 'work item read', pathPattern: /^\/rest\/api\/3\/issue\/[^/?]+\?/ },
  { name: 'JQL search', pathPattern: /^\/rest\/api\/3\/search\/jql/ },
  { name: 'groups', pathPattern: /^\/rest\/api\/3\/user\/groups/ },
  { name: 'first request' },
];

const PRIORITIES = ['Highest', 'High', 'Medium', 'Low', 'Lowest'];
const POINTS = [1, 2, 3, 5, 8, 13];
type Rule = 'backlog-rank' | 'priority-change' | 'estimate-change';

let bed: ScaledBed;
afterEach(async () => {
  await bed.close();
});

it(`judges a forbidden change while Jira answers ${BODIES.length} kinds of garbage to ${TARGETS.length} kinds of request, once or on every try`, async () => {
  bed = await scaledBed({ scale: SCALE });
  await saveRules(bed, { 'backlog-rank': 'block', 'priority-change': 'block', 'estimate-change': 'block' });
  const first = bed.site.backlogOrder();
  await bed.site.act('olivia', { action: 'rank', issue: first[1]!, before: first[0]! });
  await bed.host.settle();

  const app = bed.site.appAccountId;
  const random = seeded(SEED);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const problems: string[] = [];
  const outcomes: Record<string, number> = {};
  const hitsByTarget: Record<string, number> = {};
  let cases = 0;
  let faultsHit = 0;

  for (const [b, body] of BODIES.entries()) {
    for (const target of TARGETS) {
      for (const lasting of [false, true]) {
        const rule: Rule = (['backlog-rank', 'priority-change', 'estimate-change'] as const)[cases % 3]!;
        cases++;
        const what = `body ${b} to ${target.name}${lasting ? ' on every try' : ' once'} (${rule})`;
        const keys = bed.site.issues.filter((i) => !bed.site.isSubtask(i)).map((i) => i.key);
        const order = bed.site.backlogOrder();
        const issue = rule === 'backlog-rank' ? pick(order.slice(1)) : pick(keys);
        const priorityBefore = bed.site.issueState(issue).priority;
        const estimateBefore = bed.site.findIssue(issue)!.estimate;
        const historyBefore = new Map(bed.site.issues.map((i) => [i.key, i.changelog.length]));
        const deliveriesBefore = bed.host.deliveries().length;

        const fault = bed.site.faults.add({ actor: app, status: 200, body, times: lasting ? 1_000 : 1, ...(target.pathPattern ? { pathPattern: target.pathPattern } : {}) });
        const acted =
          rule === 'backlog-rank'
            ? await bed.site.act('stella', { action: 'rank', issue, before: order[0]! })
            : rule === 'priority-change'
              ? await bed.site.act('dana', { action: 'edit', issue, fields: { priority: pick(PRIORITIES.filter((p) => p !== priorityBefore)) } })
              : await bed.site.act('stella', { action: 'edit', issue, fields: { estimate: pick(POINTS.filter((p) => p !== estimateBefore)) } });
        if (!acted.ok) throw new Error(`${what}: the forbidden change itself was refused: ${JSON.stringify(acted)}`);
        await bed.host.settle();
        bed.site.faults.clear();
        faultsHit += fault.hits;
        hitsByTarget[target.name] = (hitsByTarget[target.name] ?? 0) + fault.hits;

        // No invocation crashed: a malformed answer is a retry asked of Forge.
        const crashed = bed.host.deliveries().slice(deliveriesBefore).filter((d) => d.outcome === 'failed' || d.outcome === 'gave-up');
        if (crashed.length > 0) problems.push(`${what}: ${crashed.map((d) => `${d.outcome} ${d.detail ?? ''}`).join(' | ')}`);

        // The person's change and the app's own, in Jira's history since the case began.
        const item = bed.site.findIssue(issue)!;
        const fieldOf = rule === 'backlog-rank' ? 'Rank' : rule === 'priority-change' ? 'priority' : bed.site.fieldIds.estimate;
        const touches = (e: (typeof item.changelog)[number]): boolean => e.items.some((i) => (fieldOf === 'Rank' || fieldOf === 'priority' ? i.field === fieldOf : i.fieldId === fieldOf));
        const since = item.changelog.slice(historyBefore.get(issue) ?? 0).filter(touches);
        const change = since.find((e) => e.authorAccountId !== app);
        const appUndos = bed.site.issues.flatMap((i) => i.changelog.slice(historyBefore.get(i.key) ?? 0).filter((e) => e.authorAccountId === app && touches(e)));
        if (!change) {
          problems.push(`${what}: the change is not in Jira's history`);
          continue;
        }
        const rows = (await allRows(bed)).filter((r) => r.id === `${change.id}:${rule}`);
        if (rows.length !== 1) {
          problems.push(`${what}: ${rows.length} rows for the change`);
          continue;
        }
        const outcome = rows[0]!.outcome;
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        if (outcome === 'reverted') {
          if (appUndos.length !== 1) problems.push(`${what}: logged reverted with ${appUndos.length} undos in Jira's history`);
          if (rule === 'backlog-rank' && bed.site.backlogOrder().join() !== order.join()) problems.push(`${what}: logged reverted but the order differs: ${issue} ${order.join()} -> ${bed.site.backlogOrder().join()}`);
          if (rule === 'priority-change' && bed.site.issueState(issue).priority !== priorityBefore) problems.push(`${what}: logged reverted but the priority differs`);
          if (rule === 'estimate-change' && bed.site.findIssue(issue)!.estimate !== estimateBefore) problems.push(`${what}: logged reverted but the estimate differs`);
        } else if (appUndos.length > 0) {
          problems.push(`${what}: logged ${outcome} yet the app changed ${appUndos.length} work items`);
        }
        if (lasting && fault.hits > 0 && outcome === 'reverted') problems.push(`${what}: undone although Jira never answered properly`);
      }
    }
  }

  const polluted = ({} as Record<string, unknown>)['polluted'];
  console.info(`garbage answers: ${JSON.stringify({ bodies: BODIES.length, targets: TARGETS.length, cases, faultsHit, hitsByTarget, outcomes, problems: problems.length })}`);
  expect(faultsHit).toBeGreaterThan(cases / 2);
  expect(polluted).toBeUndefined();
  expect(problems).toEqual([]);
  expect(bed.site.contractViolations).toEqual([]);
}, 600_000);
