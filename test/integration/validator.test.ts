/**
 * The workflow validator called the way Forge documents it: the argument names the work item and the
 * transition only, and the person transitioning is the invocation context's principal.
 */
import { appContractProblems, startHarness, type Harness } from './harness';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  expect(appContractProblems(h.sandbox)).toEqual([]);
  await h.close();
});

function documentedArgument(issueKey: string): Record<string, unknown> {
  const statusId = h.sandbox.site.issueState(issueKey).statusId;
  return { issue: { key: issueKey }, configuration: {}, transition: { from: { id: statusId }, to: { id: '3' }, modifiedFields: {} } };
}

async function validate(issueKey: string, as: string | null): Promise<{ result: boolean; errorMessage?: string }> {
  const options = { moduleKey: 'srg-status-validator', ...(as === null ? {} : { accountId: h.accountOf(as) }) };
  return (await h.sandbox.host.invokeFunction('status-validator', documentedArgument(issueKey), undefined, options)) as { result: boolean; errorMessage?: string };
}

describe('the status validator on the documented argument', () => {
  it('takes the actor from the context principal: refuses a stakeholder, lets a Developer through', async () => {
    await h.saveConfig({ 'status-change': 'block' });
    const refused = await validate('DEMO-4', 'stella');
    expect(refused).toEqual({ result: false, errorMessage: expect.stringContaining('only the Developers may move work items to another status') });
    expect(refused.errorMessage).not.toMatch(/status-change|was changed/);
    expect(await validate('DEMO-4', 'dana')).toEqual({ result: true });
    const rows = (await h.violations()).filter((r) => r.rule === 'status-change');
    expect(rows).toEqual([expect.objectContaining({ outcome: 'refused', actor: h.accountOf('stella'), issueKey: 'DEMO-4' })]);
  });

  it('never refuses on a guess: with nobody named, the transition goes through', async () => {
    await h.saveConfig({ 'status-change': 'block' });
    expect(await validate('DEMO-4', null)).toEqual({ result: true });
    expect(await h.violations()).toEqual([]);
  });

  it('refuses nothing while status-change only flags', async () => {
    await h.saveConfig({ 'status-change': 'flag' });
    expect(await validate('DEMO-4', 'stella')).toEqual({ result: true });
  });
});
