/**
 * The sandbox: the local Jira and the local Forge host wired together the way a Jira site and the
 * Forge platform are, with the app's real code (found through manifest.yml) running in between.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { applyDemoStart, resetDemo, type DemoStart } from './demo';
import { ForgeHost, createSqlEngine, type SqlEngine } from './forge';
import { JiraSite, type JiraSiteOptions } from './jira/site';

export const REPO_ROOT = resolve(__dirname, '..');

export interface SandboxOptions {
  /** Where app storage lives (KVS file, embedded SQL file); survives restarts. */
  readonly dataDir: string;
  /** A MariaDB/MySQL URL; without it, the embedded SQL engine. */
  readonly sqlUrl?: string | undefined;
  readonly appDir?: string;
  readonly site?: JiraSiteOptions;
  /** Forge stops a function after 25 s; tests may shorten it. */
  readonly invocationTimeoutMs?: number;
  /**
   * What the DEMO project starts with: `empty` (default) has no Scrum roles saved; `scrum-team` saves
   * the demo's roles and rules through the app's settings resolver (see sandbox/demo.ts).
   */
  readonly demo?: DemoStart;
}

const manifestResourcesSchema = z.looseObject({
  resources: z.array(z.object({ key: z.string(), path: z.string() })).default([]),
  modules: z.record(z.string(), z.array(z.looseObject({ key: z.string(), resource: z.string().optional() }))).default({}),
});

export interface UiModule {
  readonly key: string;
  readonly moduleType: string;
  readonly resourceKey: string;
  /** The folder Forge would upload for the resource. */
  readonly resourceDir: string;
}

/** The Custom UI modules of the manifest and the folders of their resources. */
export function uiModules(appDir: string): UiModule[] {
  const manifest = manifestResourcesSchema.parse(parseYaml(readFileSync(join(appDir, 'manifest.yml'), 'utf8')));
  const folders = new Map(manifest.resources.map((r) => [r.key, join(appDir, r.path)]));
  const found: UiModule[] = [];
  for (const [moduleType, modules] of Object.entries(manifest.modules)) {
    for (const module of modules) {
      const dir = module.resource === undefined ? undefined : folders.get(module.resource);
      if (dir !== undefined && module.resource !== undefined) found.push({ key: module.key, moduleType, resourceKey: module.resource, resourceDir: dir });
    }
  }
  return found;
}

const reportSchema = z.strictObject({
  accounts: z.array(z.strictObject({ accountId: z.string().min(1), updatedAt: z.string().datetime({ offset: true }) })).min(1).max(90),
});

/**
 * Atlassian's personal data reporting: the app reports up to 90 account ids it holds, with when it
 * last saw them; the answer names the ones that were closed since (204 when there are none).
 */
async function reportAccounts(body: string | undefined, closed: ReadonlySet<string>): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  let parsed: ReturnType<typeof reportSchema.safeParse>;
  try {
    parsed = reportSchema.safeParse(JSON.parse(body ?? ''));
  } catch {
    return { status: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'expected a JSON body' }) };
  }
  if (!parsed.success) {
    return { status: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }) };
  }
  const answer = parsed.data.accounts.filter((a) => closed.has(a.accountId)).map((a) => ({ accountId: a.accountId, status: 'closed' }));
  if (answer.length === 0) return { status: 204, headers: {}, body: '' };
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accounts: answer }) };
}

export interface Sandbox {
  readonly site: JiraSite;
  readonly host: ForgeHost;
  readonly sql: SqlEngine;
  readonly appDir: string;
  /** Refusals given by the app's workflow validators, newest last (for the API's 409). */
  readonly refusals: { issueKey: string; message: string }[];
  /** Accounts Atlassian's personal data reporting answers as closed. */
  readonly closedAccounts: Set<string>;
  /** The start state the sandbox was created with, which `reset()` puts back. */
  readonly demo: DemoStart;
  /** Called after the app's workflow validator refused a transition (and recorded it). */
  onRefusal(listener: (refusal: { issueKey: string; issueId: string; message: string }) => void): () => void;
  /** Jira's data and the app's storage back to the start state. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function createSandbox(options: SandboxOptions): Promise<Sandbox> {
  const appDir = options.appDir ?? REPO_ROOT;
  const site = new JiraSite(options.site);
  const sql = await createSqlEngine(options.sqlUrl, options.dataDir);
  const closedAccounts = new Set<string>();
  const host = new ForgeHost({
    appDir,
    dataDir: options.dataDir,
    productFetch: (request) => site.handle(request),
    // Atlassian's personal data reporting API, which apps that store account ids call.
    reportAccounts: (body) => reportAccounts(body, closedAccounts),
    sql,
    ...(options.invocationTimeoutMs === undefined ? {} : { invocationTimeoutMs: options.invocationTimeoutMs }),
  });
  const refusals: { issueKey: string; message: string }[] = [];
  const refusalListeners = new Set<(refusal: { issueKey: string; issueId: string; message: string }) => void>();

  // Jira delivers product events to the app's triggers.
  site.onEvent((eventType, payload, meta) => {
    host.deliverEvent(eventType, payload, meta);
  });

  // Jira asks every workflow validator of the app before a transition; any refusal stops it.
  const validators = host.manifest.workflowValidators.filter((v) => v.function !== undefined);
  if (validators.length > 0) {
    site.setTransitionValidator(async (args) => {
      for (const validator of validators) {
        const answer = await host.runWorkflowValidator(validator.key, {
          // The documented function-validator argument: the item, the validator's saved configuration, and the
          // transition with the fields changed on its screen. Who transitions is passed as in product events.
          issue: { id: args.issueId, key: args.issueKey },
          configuration: {},
          transition: { id: args.transitionId, from: { id: args.fromStatusId }, to: { id: args.toStatusId }, modifiedFields: {} },
          context: { accountId: args.accountId },
          atlassianId: args.accountId,
        });
        if (!answer.result) {
          const message = answer.errorMessage ?? 'The transition was refused.';
          refusals.push({ issueKey: args.issueKey, message });
          for (const listener of [...refusalListeners]) listener({ issueKey: args.issueKey, issueId: args.issueId, message });
          return { allowed: false, message };
        }
      }
      return { allowed: true };
    });
  }

  const sandbox: Sandbox = {
    site,
    host,
    sql,
    appDir,
    refusals,
    closedAccounts,
    demo: options.demo ?? 'empty',
    onRefusal(listener) {
      refusalListeners.add(listener);
      return () => refusalListeners.delete(listener);
    },
    reset: () => resetDemo(sandbox),
    async close() {
      // The host settles what is pending, then closes the SQL engine it was given.
      await host.close();
    },
  };
  await applyDemoStart(sandbox, sandbox.demo);
  return sandbox;
}
