/**
 * The resolvers as Forge calls them: the sandbox's ForgeHost loads the real manifest's resolver
 * functions and runs them with the real @forge/* clients against the local Jira.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox, REPO_ROOT, type Sandbox } from '../../sandbox/sandbox';
import { PEOPLE } from '../../sandbox/jira';
import { SURFACES, type Surface } from '../../src/shared/resolver-api';

export type Who = keyof typeof PEOPLE;

export interface ResolverBed {
  readonly sandbox: Sandbox;
  call(surface: Surface, functionKey: string, payload: unknown, who: Who, issueKey?: string): Promise<any>;
  close(): Promise<void>;
}

export async function resolverBed(): Promise<ResolverBed> {
  const dataDir = mkdtempSync(join(tmpdir(), 'srg-resolvers-'));
  const sandbox = await createSandbox({ dataDir });
  const { site, host } = sandbox;
  return {
    sandbox,
    call(surface, functionKey, payload, who, issueKey) {
      const module = host.manifest.resolverModules.find((m) => m.moduleType === SURFACES[surface].module);
      if (!module) throw new Error(`the manifest has no ${SURFACES[surface].module} module`);
      const issue = issueKey ? site.findIssue(issueKey) : undefined;
      const extension: Record<string, unknown> = surface === 'admin' ? {} : { project: { id: site.project.id, key: site.project.key, type: 'software' } };
      if (issue) extension['issue'] = { id: issue.id, key: issue.key, type: 'story' };
      return host.invokeResolver(module.key, functionKey, payload, { accountId: PEOPLE[who].accountId, extension }) as Promise<any>;
    },
    async close() {
      await sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The storage adapters the save paths need, once they are in the tree. */
export const STORES_READY =
  existsSync(join(REPO_ROOT, 'src/adapters/kvs-config-store.ts')) && (existsSync(join(REPO_ROOT, 'src/adapters/sql/index.ts')) || existsSync(join(REPO_ROOT, 'src/adapters/sql.ts')));
