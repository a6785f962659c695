/**
 * The app's real handlers on the sandbox: the local Jira (every request checked against Atlassian's
 * OpenAPI description), the local Forge host running manifest.yml with the unmodified @forge/* clients,
 * KVS on a file and SQL on the embedded engine or MariaDB. Configs are saved and the log is read
 * through the app's own resolvers, as the settings page and the log page do.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/sandbox';

export const APP_DIR = path.resolve(__dirname, '..', '..');

/** A log entry as the log page's resolver answers it. */
export type { ViolationRow } from '../../src/shared/resolver-api';
import type { ViolationRow } from '../../src/shared/resolver-api';

/**
 * Every contract problem the local Jira recorded while the app ran: requests the app made that
 * Atlassian's description does not allow, and answers of the local Jira that it does not describe.
 * Both must be none.
 */
export function appContractProblems(sandbox: Sandbox): unknown[] {
  return [...sandbox.site.contractViolations];
}

export interface Harness {
  readonly sandbox: Sandbox;
  accountOf(name: string): string;
  /** Saves the DEMO project's config as its Jira admin would, on the settings page. */
  saveConfig(rules: Record<string, 'off' | 'flag' | 'block'>, roles?: Record<string, unknown>): Promise<void>;
  violations(): Promise<ViolationRow[]>;
  act(as: string, action: Parameters<Sandbox['site']['act']>[1]): Promise<void>;
  /** A REST request to the local Jira as a demo person; Jira's status. */
  asPerson(name: string, method: string, path: string, body?: unknown): Promise<number>;
  settle(): Promise<void>;
  backlog(): string[];
  close(): Promise<void>;
}

export async function startHarness(options: { sqlUrl?: string; sandbox?: Pick<SandboxOptions, 'validatorPrincipal' | 'workflowConditions' | 'site'> } = {}): Promise<Harness> {
  // Each sandbox is an installation of its own: what the app remembers lives per installation
  // (src/entry/container.ts), so nothing of one test leaks into the next without reloading the app.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'srg-enforce-'));
  const sandbox = await createSandbox({ dataDir, appDir: APP_DIR, ...(options.sqlUrl ? { sqlUrl: options.sqlUrl } : {}), ...options.sandbox });
  const { site, host } = sandbox;
  const admin = site.findPerson('alex')!.accountId;
  const extension = { project: { id: site.project.id, key: site.project.key, type: 'software' } };
  const resolver = async (module: string, key: string, payload: unknown): Promise<Record<string, unknown>> => {
    const answer = (await host.invokeResolver(module, key, payload, { accountId: admin, extension })) as Record<string, unknown>;
    if (answer['ok'] !== true) throw new Error(`${key} failed: ${JSON.stringify(answer)}`);
    return answer;
  };
  const accountOf = (name: string): string => {
    const person = site.findPerson(name);
    if (!person) throw new Error(`no demo person ${name}`);
    return person.accountId;
  };
  return {
    sandbox,
    accountOf,
    async saveConfig(rules, roles) {
      const current = await resolver('srg-settings', 'getProjectSettings', {});
      const document = {
        version: 1,
        roles: roles ?? {
          productOwner: { users: [accountOf('olivia')] },
          scrumMaster: { users: [accountOf('sam')] },
          developers: { users: [], groups: [site.groups.find((g) => g.name === 'demo-developers')!.groupId] },
          stakeholders: { users: [], groups: [site.groups.find((g) => g.name === 'demo-stakeholders')!.groupId] },
        },
        rules: Object.fromEntries(Object.entries(rules).map(([id, mode]) => [id, { mode }])),
      };
      await resolver('srg-settings', 'saveProjectSettings', { document, expectedRevision: (current['revision'] as number | null) ?? null });
    },
    async violations() {
      const answer = await resolver('srg-violation-log', 'listViolations', { sort: { by: 'occurredAt', direction: 'desc' }, limit: 200, cursor: null, filter: {} });
      return answer['rows'] as ViolationRow[];
    },
    async act(as, action) {
      const result = await site.act(as, action);
      if (!result.ok) throw new Error(`${as} could not ${action.action}: ${result.message}`);
    },
    async asPerson(name, method, path, body) {
      const answer = await site.handle({
        actor: { kind: 'user', accountId: accountOf(name) },
        method,
        path,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return answer.status;
    },
    settle: () => host.settle(),
    backlog: () => site.backlogOrder(),
    async close() {
      await sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
