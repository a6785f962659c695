/**
 * Personal data reporting in the sandbox: the app's weekly job reports the account ids it holds to
 * Atlassian's API (served by the sandbox), and a closed account disappears from the log and the config.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoRoleConfig } from '../../sandbox/jira';
import { createSandbox, type Sandbox } from '../../sandbox/sandbox';
import { SURFACES } from '../../src/shared/resolver-api';

const ADMIN = '712020:aa000000-0000-4000-8000-000000000008';
const SAM = '712020:aa000000-0000-4000-8000-000000000002';

async function settings(sandbox: Sandbox, functionKey: string, payload: unknown): Promise<any> {
  const module = sandbox.host.manifest.resolverModules.find((m) => m.moduleType === SURFACES.settings.module)!;
  return sandbox.host.invokeResolver(module.key, functionKey, payload, { accountId: ADMIN, extension: { project: { id: '10000', key: 'DEMO', type: 'software' } } });
}

it('erases a closed account from the config when Atlassian reports it closed', async () => {
  const sandbox = await createSandbox({ dataDir: mkdtempSync(join(tmpdir(), 'srg-privacy-')) });
  try {
    const document = demoRoleConfig(sandbox.site.fieldIds);
    expect((await settings(sandbox, 'saveProjectSettings', { document, expectedRevision: null })).ok).toBe(true);
    const before = await settings(sandbox, 'getProjectSettings', {});
    expect(JSON.stringify(before.document)).toContain(SAM);

    // Nothing closed yet: the job reports and changes nothing.
    await sandbox.host.runScheduled('srg-personal-data');
    expect((await settings(sandbox, 'getProjectSettings', {})).revision).toBe(before.revision);

    sandbox.closedAccounts.add(SAM);
    await sandbox.host.runScheduled('srg-personal-data');
    const after = await settings(sandbox, 'getProjectSettings', {});
    expect(JSON.stringify(after.document)).not.toContain(SAM);
    expect(after.revision).toBe(before.revision + 1);
    expect(sandbox.site.contractViolations).toEqual([]);
  } finally {
    await sandbox.close();
  }
});
