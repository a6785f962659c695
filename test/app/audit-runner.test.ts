/**
 * "Try it first" run in steps through the queue (src/app/screens/audit-runner.ts), on in-memory fakes:
 * a long history in chunks, a step that fails and is retried without counting twice, the last retry
 * giving up, the app's own changes left out, and audits kept to their project and its admins. The
 * same audit through the resolvers and Forge's queue on the sandbox is test/resolvers/audit.
 */
import { changedSinceJql } from '../../src/app/audit';
import { AUDIT_CHUNK_SIZE, auditProgress, failAudit, runAuditStep, startAudit } from '../../src/app/screens/audit-runner';
import type { CallerContext } from '../../src/app/screens/context';
import { APP_ACCOUNT, FAKE_FIELDS, fakeApp, type FakeApp } from '../fakes';
import { PEOPLE } from '../support/payloads';

const ITEMS = AUDIT_CHUNK_SIZE * 2 + 7;
const document = {
  version: 1,
  roles: { productOwner: { users: [PEOPLE.po] }, scrumMaster: { users: [PEOPLE.sm] }, developers: { users: [PEOPLE.dev1] }, stakeholders: { users: [PEOPLE.stakeholder] } },
  fields: FAKE_FIELDS,
  rules: { 'priority-change': { mode: 'block' }, 'item-create': { mode: 'off' } },
};
const asAdmin: CallerContext = { accountId: PEOPLE.po, projectKey: 'DEMO', issueKey: null, issueId: null };

let app: FakeApp;

beforeEach(() => {
  app = fakeApp();
  app.reads.caller = PEOPLE.po;
  app.reads.permissions.set(PEOPLE.po, new Set(['BROWSE_PROJECTS', 'ADMINISTER_PROJECTS']));
  app.reads.permissions.set(PEOPLE.dev1, new Set(['BROWSE_PROJECTS']));
  app.reads.people.set(PEOPLE.stakeholder, { accountId: PEOPLE.stakeholder, displayName: 'Stella Hart', avatarUrl: null, active: true });
  for (let n = 1; n <= ITEMS; n++) {
    const id = String(20_000 + n);
    app.reads.issues.push({ id, key: `DEMO-${n}`, fields: { project: { id: '10000', key: 'DEMO' }, issuetype: { subtask: false }, created: '2026-11-01T09:00:00.000+0000', creator: { accountId: PEOPLE.po } } });
    const byWhom = n === 1 ? APP_ACCOUNT : PEOPLE.stakeholder;
    app.reads.histories.set(id, [
      { id: String(30_000 + n), created: '2026-11-05T09:00:00.000+0000', author: { accountId: byWhom }, items: [{ field: 'priority', fieldtype: 'jira', fieldId: 'priority', from: '3', fromString: 'Medium', to: '1', toString: 'Highest' }] },
    ]);
  }
});

/** Hands every queued step to the consumer until the queue is empty; the steps it ran. */
async function drain(): Promise<number> {
  let steps = 0;
  for (let bodies = app.auditQueue.take(); bodies.length > 0; bodies = app.auditQueue.take()) {
    for (const body of bodies) {
      await runAuditStep(body, app.screens);
      steps++;
    }
  }
  return steps;
}

it('replays a long history a chunk at a time, and leaves the app\'s own changes out', async () => {
  const started = await startAudit(asAdmin, app.screens, document, 30);
  expect(started).toMatchObject({ state: 'queued', days: 30, total: 0 });
  expect(await drain()).toBe(1 + Math.ceil(ITEMS / AUDIT_CHUNK_SIZE));
  const done = await auditProgress(asAdmin, app.screens, started.auditId);
  expect(done).toMatchObject({ state: 'done', processed: ITEMS, total: ITEMS, byRule: [{ rule: 'priority-change', mode: 'block', count: ITEMS - 1 }] });
  expect(done.byPerson).toEqual([{ accountId: PEOPLE.stakeholder, roles: ['stakeholders'], count: ITEMS - 1, rules: ['priority-change'] }]);
  expect(done.people).toEqual([expect.objectContaining({ displayName: 'Stella Hart' })]);
  expect(done.findings[0]).toMatchObject({ rule: 'priority-change', fromText: 'Medium', toText: 'Highest' });
  expect(app.reads.calls.find((c) => c.method === 'searchIssues')?.args[0]).toBe(changedSinceJql('DEMO', 30));
});

it('redoes only the chunk whose step failed, so nothing is counted twice, and gives up when told to', async () => {
  const started = await startAudit(asAdmin, app.screens, document, 30);
  await runAuditStep(app.auditQueue.take()[0], app.screens);
  const [replay] = app.auditQueue.take();
  app.reads.fail('changelogsOf', 1);
  await expect(runAuditStep(replay, app.screens)).rejects.toThrow(/503/);
  expect((await auditProgress(asAdmin, app.screens, started.auditId)).processed).toBe(0);
  await runAuditStep(replay, app.screens);
  await drain();
  expect((await auditProgress(asAdmin, app.screens, started.auditId)).byRule).toEqual([{ rule: 'priority-change', mode: 'block', count: ITEMS - 1 }]);

  const other = await startAudit(asAdmin, app.screens, document, 7);
  await failAudit(app.auditQueue.take()[0], 'Reading the history from Jira kept failing; try again later.', app.screens);
  await drain();
  expect(await auditProgress(asAdmin, app.screens, other.auditId)).toMatchObject({ state: 'failed', error: 'Reading the history from Jira kept failing; try again later.' });
});

it('keeps audits to their project and its admins', async () => {
  const started = await startAudit(asAdmin, app.screens, document, 30);
  await expect(auditProgress({ ...asAdmin, projectKey: 'OTHER' }, app.screens, started.auditId)).rejects.toThrow(/not known here/);
  app.reads.caller = PEOPLE.dev1;
  await expect(auditProgress({ ...asAdmin, accountId: PEOPLE.dev1 }, app.screens, started.auditId)).rejects.toMatchObject({ code: 'forbidden' });
  await expect(startAudit({ ...asAdmin, accountId: PEOPLE.dev1 }, app.screens, document, 30)).rejects.toMatchObject({ code: 'forbidden' });
  app.reads.caller = PEOPLE.po;
  await expect(startAudit(asAdmin, app.screens, { version: 1, roles: { owner: {} } }, 30)).rejects.toMatchObject({ code: 'invalid-config' });
});
