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
import { PersonalDataApi } from './forge/personal-data-api';
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
   * Whether a function validator's invocation names the person transitioning (`context.principal`,
   * which Forge documents as optional). Default true; false plays a site that does not.
   */
  readonly validatorPrincipal?: boolean;
  /** Adds the app's workflow conditions to every transition (an admin's choice on a real site). Default false. */
  readonly workflowConditions?: boolean;
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

export interface Sandbox {
  readonly site: JiraSite;
  readonly host: ForgeHost;
  readonly sql: SqlEngine;
  readonly appDir: string;
  /** Refusals given by the app's workflow validators, newest last (for the API's 409). */
  readonly refusals: { issueKey: string; message: string }[];
  /** Accounts Atlassian's personal data reporting answers as closed. */
  readonly closedAccounts: Set<string>;
  /** Atlassian's personal data reporting API (what was reported; scripted 429s). */
  readonly privacy: PersonalDataApi;
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
  const privacy = new PersonalDataApi();
  const host = new ForgeHost({
    appDir,
    dataDir: options.dataDir,
    productFetch: (request) => site.handle(request),
    // Atlassian's personal data reporting API, which apps that store account ids call.
    reportAccounts: (body) => privacy.handle(body),
    sql,
    ...(options.invocationTimeoutMs === undefined ? {} : { invocationTimeoutMs: options.invocationTimeoutMs }),
  });
  const refusals: { issueKey: string; message: string }[] = [];
  const refusalListeners = new Set<(refusal: { issueKey: string; issueId: string; message: string }) => void>();

  // Jira delivers product events to the app's triggers.
  site.onEvent((eventType, payload, meta) => {
    host.deliverEvent(eventType, payload, meta);
  });

  // Jira asks every workflow validator of the app before a transition; any refusal stops it. Function
  // validators get Forge's documented argument (the item, the configuration, the transition: no user),
  // and who transitions only as the invocation's principal, unless `validatorPrincipal: false`.
  // Expression validators are evaluated as Jira does, with `user`, `issue` and `project`.
  const validators = host.manifest.workflowValidators;
  if (validators.length > 0) {
    site.setTransitionValidator(async (args) => {
      for (const validator of validators) {
        const answer = validator.function
          ? await host.runWorkflowValidator(
              validator.key,
              { issue: { key: args.issueKey }, configuration: {}, transition: { from: { id: args.fromStatusId }, to: { id: args.toStatusId } } },
              options.validatorPrincipal === false ? undefined : args.accountId,
            )
          : host.evaluateWorkflowExpression(validator.key, site.expressionContext(args.issueKey, args.accountId));
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
  // Workflow conditions apply only where an admin added them: `workflowConditions: true` adds the app's to every transition.
  if (options.workflowConditions === true && host.manifest.workflowConditions.length > 0) {
    site.setTransitionCondition((args) =>
      host.manifest.workflowConditions.every((condition) => host.evaluateWorkflowExpression(condition.key, site.expressionContext(args.issueKey, args.accountId)).result),
    );
  }

  const sandbox: Sandbox = {
    site,
    host,
    sql,
    appDir,
    refusals,
    closedAccounts: privacy.closedAccounts,
    privacy,
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
