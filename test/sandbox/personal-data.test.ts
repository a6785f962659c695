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

/** A sandbox whose DEMO config names `count` Developers (accounts for the app to report). */
async function withManyDevelopers(count: number): Promise<{ sandbox: Sandbox; many: string[] }> {
  const sandbox = await createSandbox({ dataDir: mkdtempSync(join(tmpdir(), 'srg-privacy-')) });
  const document = demoRoleConfig(sandbox.site.fieldIds) as { roles: { developers: { users: string[] } } };
  const many = Array.from({ length: count }, (_, i) => `712020:cc000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
  document.roles.developers.users = many;
  expect((await settings(sandbox, 'saveProjectSettings', { document, expectedRevision: null })).ok).toBe(true);
  return { sandbox, many };
}

it('reports 90 accounts a request, one request after the other, and waits out a 429 as Retry-After says', async () => {
  const { sandbox, many } = await withManyDevelopers(250);
  try {
    // Atlassian refuses the second request once: the run waits a second and goes on.
    sandbox.privacy.throttleNext(1, 1, 1);
    sandbox.closedAccounts.add(many[200]!);
    const result = (await sandbox.host.runScheduled('srg-personal-data')) as { reported: number; closed: string[]; nextAfter: string | null; problems: string[] };
    expect(result).toMatchObject({ closed: [many[200]], nextAfter: null, problems: [] });
    expect(sandbox.privacy.throttled).toBe(1);
    expect(sandbox.privacy.maxInFlight).toBe(1);
    const reported = sandbox.privacy.reported.flat();
    expect(sandbox.privacy.reported.every((batch) => batch.length <= 90)).toBe(true);
    expect(reported.length).toBe(result.reported);
    expect(new Set(reported).size).toBe(reported.length);
    expect(reported).toEqual(expect.arrayContaining(many));
    expect(JSON.stringify((await settings(sandbox, 'getProjectSettings', {})).document)).not.toContain(many[200]);
  } finally {
    await sandbox.close();
  }
});

it('stops when Atlassian keeps refusing, and the next run carries on from where it stopped', async () => {
  const { sandbox, many } = await withManyDevelopers(200);
  try {
    // The second request is refused with a wait longer than the run has: the run stops after the first.
    sandbox.privacy.throttleNext(1, 3600, 1);
    const first = (await sandbox.host.runScheduled('srg-personal-data')) as { reported: number; nextAfter: string | null; problems: string[] };
    expect(first.reported).toBe(90);
    expect(first.nextAfter).not.toBeNull();
    expect(first.problems).toEqual([expect.stringContaining('the next run carries on')]);
    const second = (await sandbox.host.runScheduled('srg-personal-data')) as { reported: number; nextAfter: string | null };
    expect(second.nextAfter).toBeNull();
    const reported = sandbox.privacy.reported.flat();
    expect(new Set(reported).size).toBe(reported.length);
    expect(reported).toEqual(expect.arrayContaining(many));
  } finally {
    await sandbox.close();
  }
});
