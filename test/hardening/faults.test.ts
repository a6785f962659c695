/**
 * A stream of realistic events (seeded; most irrelevant to any rule) while Jira answers the app with
 * 429 + Retry-After, 500, 503, slow answers near Forge's 25 s limit (and past it) and dropped
 * connections, at random, and Forge delivers every event twice, late and out of order. Afterwards:
 * every violating change is in the log exactly once (judged, or logged as unjudgeable), nothing else
 * is, no row twice, no undo applied twice, and no undo applied to an item that moved again since.
 *
 * SRG_HARDENING_EVENTS changes the length of the stream (default 2,000); SRG_HARDENING_SEED the seed.
 */
import type { ChangelogEntry } from '../../sandbox/jira/model';
import type { FaultSpec, InjectedFault } from '../../sandbox/jira';
import { allRows, saveRules, scaledBed, seeded, type ScaledBed } from './support';

const EVENTS = Number(process.env['SRG_HARDENING_EVENTS'] ?? 2000);
const SEED = Number(process.env['SRG_HARDENING_SEED'] ?? 20261123);
/** 1/50 of real time: the 25 s limit is 500 ms, a 60 s Retry-After 1.2 s. */
const SCALE = 0.02;
const BATCH = 100;

type Kind = 'irrelevant' | 'allowed' | 'violation';
interface Step {
  as: string;
  action: Parameters<ScaledBed['site']['act']>[1];
  kind: Kind;
  /** The rule a violation breaks. */
  rule?: 'backlog-rank' | 'priority-change' | 'estimate-change';
}

const PRIORITIES = ['Highest', 'High', 'Medium', 'Low', 'Lowest'];
const POINTS = [1, 2, 3, 5, 8, 13];

/** The next step of the stream, and sometimes a legitimate change of the same thing right after it. */
function nextSteps(random: () => number, bed: ScaledBed, counter: number): Step[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const keys = bed.site.issues.filter((i) => !bed.site.isSubtask(i)).map((i) => i.key);
  const backlog = bed.site.backlogOrder();
  const rankIn = (list: string[]): { issue: string; before: string } => {
    const issue = pick(list);
    let before = pick(list);
    while (before === issue) before = pick(list);
    return { issue, before };
  };
  const roll = random();
  if (roll < 0.62) {
    // Irrelevant to every rule switched on: titles, labels, descriptions, the Developers' own moves.
    const issue = pick(keys);
    const variant = random();
    if (variant < 0.4) return [{ as: pick(['dana', 'theo', 'ravi']), action: { action: 'edit', issue, fields: { summary: `Refined wording ${counter}` } }, kind: 'irrelevant' }];
    if (variant < 0.7) return [{ as: pick(['dana', 'theo', 'olivia']), action: { action: 'edit', issue, fields: { labels: [`tag-${counter % 7}`] } }, kind: 'irrelevant' }];
    if (variant < 0.85) {
      const description = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: `Notes ${counter}` }] }] };
      return [{ as: pick(['dana', 'olivia']), action: { action: 'edit', issue, fields: { description } }, kind: 'irrelevant' }];
    }
    return [{ as: pick(['dana', 'theo']), action: { action: 'transition', issue, to: pick(['To Do', 'In Progress', 'Done']) }, kind: 'irrelevant' }];
  }
  if (roll < 0.77) {
    // Allowed changes the rules look at.
    const variant = random();
    if (variant < 0.4) return [{ as: 'olivia', action: { action: 'edit', issue: pick(keys), fields: { priority: pick(PRIORITIES) } }, kind: 'allowed' }];
    if (variant < 0.7) return [{ as: 'olivia', action: { action: 'rank', ...rankIn(backlog) }, kind: 'allowed' }];
    return [{ as: pick(['theo', 'ravi']), action: { action: 'edit', issue: pick(keys), fields: { estimate: pick(POINTS) } }, kind: 'allowed' }];
  }
  // Violations; a third of them are followed at once by a legitimate change of the same thing, so the
  // undo (which comes later) must find that the item moved on and leave it alone.
  const variant = random();
  const movedAgain = random() < 0.33;
  if (variant < 0.4) {
    const move = rankIn(backlog);
    const steps: Step[] = [{ as: 'stella', action: { action: 'rank', ...move }, kind: 'violation', rule: 'backlog-rank' }];
    if (movedAgain) steps.push({ as: 'olivia', action: { action: 'rank', issue: move.issue, before: pick(backlog.filter((k) => k !== move.issue)) }, kind: 'allowed' });
    return steps;
  }
  const issue = pick(keys);
  if (variant < 0.75) {
    const current = bed.site.issueState(issue).priority;
    const steps: Step[] = [{ as: 'dana', action: { action: 'edit', issue, fields: { priority: pick(PRIORITIES.filter((p) => p !== current)) } }, kind: 'violation', rule: 'priority-change' }];
    if (movedAgain) steps.push({ as: 'olivia', action: { action: 'edit', issue, fields: { priority: pick(PRIORITIES) } }, kind: 'allowed' });
    return steps;
  }
  const current = bed.site.findIssue(issue)!.estimate;
  const steps: Step[] = [{ as: 'stella', action: { action: 'edit', issue, fields: { estimate: pick(POINTS.filter((p) => p !== current)) } }, kind: 'violation', rule: 'estimate-change' }];
  if (movedAgain) steps.push({ as: 'theo', action: { action: 'edit', issue, fields: { estimate: pick(POINTS) } }, kind: 'allowed' });
  return steps;
}

/** A random fault on the app's own requests (people's actions go through). */
function randomFault(random: () => number, app: string): FaultSpec {
  const paths = [undefined, /^\/rest\/api\/3\/issue\/[^/?]+\?/, /^\/rest\/api\/3\/issue\/[^/?]+$/, /^\/rest\/agile\/1\.0\/issue\/rank/, /^\/rest\/api\/3\/user\/groups/, /changelog/];
  const pathPattern = paths[Math.floor(random() * paths.length)];
  const times = 1 + Math.floor(random() * 3);
  const base = { actor: app, times, ...(pathPattern ? { pathPattern } : {}) };
  const kind = random();
  if (kind < 0.25) return { ...base, status: 429, retryAfterSeconds: 1 + Math.floor(random() * 30) };
  if (kind < 0.45) return { ...base, status: 500 };
  if (kind < 0.6) return { ...base, status: 503, retryAfterSeconds: 5 };
  if (kind < 0.8) return { ...base, status: 'drop', delayMs: Math.floor(random() * 3000) };
  // Slow: Jira answers (503 after the wait) close to Forge's 25 s limit, now and then past it.
  return { ...base, status: 503, delayMs: 20_000 + Math.floor(random() * 7_000) };
}

let bed: ScaledBed;

afterEach(async () => {
  bed.host.setChaos(null);
  await bed.close();
});

it(`judges each of ${EVENTS} events once under faults and chaos, and undoes nothing twice or on a moved item`, async () => {
  const started = Date.now();
  bed = await scaledBed({ scale: SCALE });
  await saveRules(bed, { 'backlog-rank': 'block', 'priority-change': 'block', 'estimate-change': 'block' });
  // The rank order is learnt from the Product Owner's first move.
  const first = bed.site.backlogOrder();
  await bed.site.act('olivia', { action: 'rank', issue: first[1]!, before: first[0]! });
  await bed.host.settle();
  const baseline = new Map(bed.site.issues.map((i) => [i.key, i.changelog.length]));

  const random = seeded(SEED);
  const app = bed.site.appAccountId;
  const faults: InjectedFault[] = [];
  const steps: Step[] = [];
  let actsFailed = 0;
  // Twice, late (up to a minute, scaled) and out of order, from the start.
  bed.host.setChaos({ duplicate: true, shuffle: true, delayMs: [0, 60_000], seed: SEED, shuffleWindowMs: 5 });
  while (steps.length < EVENTS) {
    for (let f = 0; f < 6; f++) faults.push(bed.site.faults.add(randomFault(random, app)));
    const batchEnd = Math.min(EVENTS, steps.length + BATCH);
    while (steps.length < batchEnd) {
      for (const step of nextSteps(random, bed, steps.length)) {
        const result = await bed.site.act(step.as, step.action);
        if (!result.ok) {
          actsFailed++;
          continue;
        }
        steps.push(step);
      }
    }
    await bed.host.settle();
  }
  bed.host.setChaos(null);
  bed.site.faults.clear();
  await bed.host.settle();

  // ---- what happened in Jira: the people's changes since the baseline, and the app's own
  const violating = new Map<string, string>(); // `${changelogId}:${rule}` -> rule
  const appEntries: { issue: string; entry: ChangelogEntry; previous: Map<string, ChangelogEntry | undefined> }[] = [];
  const RULE_OF: Record<string, Step['rule']> = { Rank: 'backlog-rank', priority: 'priority-change', [bed.site.fieldIds.estimate]: 'estimate-change' };
  for (const issue of bed.site.issues) {
    const lastByField = new Map<string, ChangelogEntry>();
    issue.changelog.forEach((entry, index) => {
      const fieldsOf = entry.items.map((i) => (i.field === 'Rank' ? 'Rank' : i.field === 'priority' ? 'priority' : i.fieldId));
      if (index >= (baseline.get(issue.key) ?? 0)) {
        if (entry.authorAccountId === app) {
          appEntries.push({ issue: issue.key, entry, previous: new Map(fieldsOf.map((f) => [f, lastByField.get(f)])) });
        } else {
          for (const field of fieldsOf) {
            const rule = RULE_OF[field];
            const author = bed.site.person(entry.authorAccountId)?.handle;
            const breaks =
              (rule === 'backlog-rank' && author === 'stella') || (rule === 'priority-change' && author === 'dana') || (rule === 'estimate-change' && author === 'stella');
            if (rule && breaks) violating.set(`${entry.id}:${rule}`, rule);
          }
        }
      }
      for (const field of fieldsOf) lastByField.set(field, entry);
    });
  }

  // ---- what the app recorded
  const rows = await allRows(bed);
  const ids = rows.map((r) => r.id);
  const duplicateRows = ids.length - new Set(ids).size;
  const byId = new Map(rows.map((r) => [r.id, r]));
  const missing = [...violating.keys()].filter((id) => !byId.has(id));
  const unexpected = ids.filter((id) => !violating.has(id));
  const outcomes: Record<string, number> = {};
  for (const row of rows) outcomes[row.outcome] = (outcomes[row.outcome] ?? 0) + 1;

  // Every undo the app made follows, on that field, the very change it undoes, and that change's row
  // says 'reverted': never an undo of an item that moved again, never two undos of one change.
  const undoneChanges = new Map<string, number>();
  const undoOnMovedItem: string[] = [];
  for (const { issue, entry, previous } of appEntries) {
    for (const [field, before] of previous) {
      const rule = RULE_OF[field];
      const row = before && rule ? byId.get(`${before.id}:${rule}`) : undefined;
      if (!before || !rule || !row || row.outcome !== 'reverted') {
        undoOnMovedItem.push(`${issue} ${field}: app change ${entry.id} follows ${before ? `${before.id} by ${bed.site.person(before.authorAccountId)?.handle}` : 'nothing'}`);
        continue;
      }
      undoneChanges.set(row.id, (undoneChanges.get(row.id) ?? 0) + 1);
    }
  }
  const undoneTwice = [...undoneChanges.values()].filter((n) => n > 1).length;
  const revertedRows = rows.filter((r) => r.outcome === 'reverted');
  // A 'reverted' row without the undo in Jira's history is a lie, for ranks as for fields. A rank
  // put-back that would move nothing (the item already stands beside its old neighbour) is logged
  // 'revert-skipped' and Jira is not called.
  const revertedWithoutUndo = revertedRows.filter((r) => !undoneChanges.has(r.id)).map((r) => `${r.id} (${r.rule})`);

  const deliveries = bed.host.deliveries();
  const triggerDeliveries = deliveries.filter((d) => d.kind === 'trigger' && d.moduleKey !== '(host)');
  const faultsHit = faults.reduce((n, f) => n + f.hits, 0);
  const faultsByKind: Record<string, number> = {};
  for (const f of faults) {
    const kind = f.status === 'drop' ? 'drop' : f.delayMs !== undefined && f.delayMs >= 20_000 ? (f.delayMs >= 25_000 ? 'slow past 25 s' : 'slow near 25 s') : String(f.status);
    faultsByKind[kind] = (faultsByKind[kind] ?? 0) + f.hits;
  }
  const figures = {
    events: steps.length,
    irrelevant: steps.filter((s) => s.kind === 'irrelevant').length,
    allowed: steps.filter((s) => s.kind === 'allowed').length,
    violations: violating.size,
    actsRefusedByJira: actsFailed,
    faultsInjected: faultsHit,
    faultsByKind,
    deliveries: triggerDeliveries.length,
    retriesRequested: triggerDeliveries.filter((d) => d.outcome === 'retry-requested').length,
    failedAttempts: triggerDeliveries.filter((d) => d.outcome === 'failed').length,
    gaveUp: triggerDeliveries.filter((d) => d.outcome === 'gave-up').length,
    rows: rows.length,
    outcomes,
    duplicateRows,
    missing: missing.length,
    unexpected: unexpected.length,
    appUndos: appEntries.length,
    revertedWithoutUndo: revertedWithoutUndo.length,
    undoneTwice,
    undoOnMovedItem: undoOnMovedItem.length,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  console.info(`hardening stream: ${JSON.stringify(figures)}`);

  expect(steps.length).toBe(EVENTS);
  expect(faultsHit).toBeGreaterThan(0);
  expect(duplicateRows).toBe(0);
  expect(missing).toEqual([]);
  expect(unexpected).toEqual([]);
  expect(undoneTwice).toBe(0);
  expect(undoOnMovedItem).toEqual([]);
  expect(revertedWithoutUndo).toEqual([]);
  expect(bed.site.contractViolations).toEqual([]);
}, 300_000);
