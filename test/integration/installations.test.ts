/**
 * Two installations served by one process, as one Forge container may serve two sites: two sandboxes
 * running the same loaded app modules (no module reloading between them). What the app remembers of
 * one site (the configs it read, its log's schema, the order it knows) never reaches the other.
 */
import { appContractProblems, startHarness, type Harness } from './harness';

const opened: Harness[] = [];

afterEach(async () => {
  for (const h of opened.splice(0)) {
    expect(appContractProblems(h.sandbox)).toEqual([]);
    await h.close();
  }
});

async function validate(h: Harness, issueKey: string, as: string): Promise<unknown> {
  const statusId = h.sandbox.site.issueState(issueKey).statusId;
  const argument = { issue: { key: issueKey }, configuration: {}, transition: { from: { id: statusId }, to: { id: '3' } } };
  return h.sandbox.host.runWorkflowValidator('srg-status-validator', argument, h.accountOf(as));
}

it('judges each installation by its own config and keeps each log to itself', async () => {
  const blocking = await startHarness();
  opened.push(blocking);
  await blocking.saveConfig({ 'status-change': 'block', 'priority-change': 'flag' });
  expect(await validate(blocking, 'DEMO-4', 'stella')).toMatchObject({ result: false });

  const flagging = await startHarness();
  opened.push(flagging);
  await flagging.saveConfig({ 'status-change': 'flag', 'priority-change': 'flag' });
  // The second site's validator reads its own config, not the one the first site's validator remembers.
  expect(await validate(flagging, 'DEMO-4', 'stella')).toEqual({ result: true });

  for (const h of [blocking, flagging]) {
    await h.act('stella', { action: 'edit', issue: 'DEMO-5', fields: { priority: { name: 'Highest' } } });
    await h.settle();
  }
  expect((await blocking.violations()).map((r) => r.rule).sort()).toEqual(['priority-change', 'status-change']);
  expect((await flagging.violations()).map((r) => r.rule)).toEqual(['priority-change']);
});
