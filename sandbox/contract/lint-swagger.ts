/**
 * Offline scope checking with @forge/lint. Its permission linter fetches Atlassian's OpenAPI
 * descriptions from developer.atlassian.com unless USE_LOCAL_SWAGGER is set and all six
 * LOCAL_*_SWAGGER variables name local JSON files (it reads only their `paths`). This writes those
 * files: the pruned Jira descriptions of this project, and empty ones for the products the app
 * does not call (Service Management, Confluence v1 and v2, Bitbucket).
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { PRUNED_DESCRIPTION_FILES } from './index';

/** The variables @forge/lint's PermissionLinter reads (out/lint/linters/permission-linter). */
export const LOCAL_SWAGGER_VARIABLES = [
  'LOCAL_JIRA_SWAGGER',
  'LOCAL_JSM_SWAGGER',
  'LOCAL_JSW_SWAGGER',
  'LOCAL_CONF_SWAGGER',
  'LOCAL_CONF_V2_SWAGGER',
  'LOCAL_BB_SWAGGER',
] as const;

export type LocalSwaggerVariable = (typeof LOCAL_SWAGGER_VARIABLES)[number];
export type LocalSwaggerEnv = Record<'USE_LOCAL_SWAGGER' | LocalSwaggerVariable, string>;

export interface LocalSwaggerFiles {
  /** The folder the files were written to. */
  dir: string;
  /** The variables to set for @forge/lint (USE_LOCAL_SWAGGER and the six file paths). */
  env: LocalSwaggerEnv;
}

const optionsSchema = z
  .object({
    /** Where to write; a new temporary folder when omitted. */
    dir: z.string().min(1, 'a folder path').optional(),
  })
  .strict();

const EMPTY_DESCRIPTIONS: Readonly<Record<Exclude<LocalSwaggerVariable, 'LOCAL_JIRA_SWAGGER' | 'LOCAL_JSW_SWAGGER'>, string>> = {
  LOCAL_JSM_SWAGGER: 'Jira Service Management',
  LOCAL_CONF_SWAGGER: 'Confluence',
  LOCAL_CONF_V2_SWAGGER: 'Confluence v2',
  LOCAL_BB_SWAGGER: 'Bitbucket',
};

export function writeLocalSwaggerFiles(options: z.input<typeof optionsSchema> = {}): LocalSwaggerFiles {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`writeLocalSwaggerFiles: ${issue ? `${issue.path.join('.') || 'options'}: ${issue.message}` : 'bad options'}`);
  }
  const dir = parsed.data.dir ?? mkdtempSync(path.join(os.tmpdir(), 'srg-lint-swagger-'));
  mkdirSync(dir, { recursive: true });

  const jira = path.join(dir, 'jira-platform.json');
  const jiraSoftware = path.join(dir, 'jira-software.json');
  copyFileSync(PRUNED_DESCRIPTION_FILES.platform, jira);
  copyFileSync(PRUNED_DESCRIPTION_FILES.software, jiraSoftware);

  const env = { USE_LOCAL_SWAGGER: '1', LOCAL_JIRA_SWAGGER: jira, LOCAL_JSW_SWAGGER: jiraSoftware } as LocalSwaggerEnv;
  for (const [variable, product] of Object.entries(EMPTY_DESCRIPTIONS) as [keyof typeof EMPTY_DESCRIPTIONS, string][]) {
    const file = path.join(dir, `${variable.slice('LOCAL_'.length, -'_SWAGGER'.length).toLowerCase()}-empty.json`);
    // A valid description with no operations: the app calls nothing of this product.
    writeFileSync(file, `${JSON.stringify({ openapi: '3.0.1', info: { title: `${product} (not used by this app)`, version: '0' }, paths: {} })}\n`);
    env[variable] = file;
  }
  return { dir, env };
}

/**
 * Sets the variables on process.env (the linter reads them when it bootstraps) and returns a
 * function that puts back what was there before.
 */
export function applyLocalSwaggerEnv(env: LocalSwaggerEnv): () => void {
  const previous = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(env)) {
    previous.set(name, process.env[name]);
    process.env[name] = value;
  }
  return () => {
    for (const [name, value] of previous) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

export interface LintFinding {
  readonly file: string;
  readonly class: string;
  readonly message: string;
  readonly missingPermission?: string;
}

/**
 * Runs @forge/lint's client-side linters on the app in `appDir`, offline, as `forge lint` would:
 * from inside the app folder (the linters read its tsconfig.json), with the local descriptions for
 * the permission linter and every feature flag at its default (the real flags come from
 * Atlassian's flag service). `scratchDir` receives the descriptions and the linter's cache.
 */
export async function lintOffline(appDir: string, files: readonly string[], manifest: unknown, scratchDir: string): Promise<LintFinding[]> {
  // The linter keeps a cache under the user's config folder: a scratch one, set before it loads.
  const previousConfigHome = process.env['XDG_CONFIG_HOME'];
  process.env['XDG_CONFIG_HOME'] = path.join(scratchDir, 'config');
  const { lint } = await import('@forge/lint');
  const { StatsigReader } = await import('@forge/cli-shared');
  class OfflineFlags extends StatsigReader {
    override async checkGate(): Promise<null> {
      return null;
    }
    override async getDynamicConfig(): Promise<null> {
      return null;
    }
  }
  const { env } = writeLocalSwaggerFiles({ dir: path.join(scratchDir, 'swagger') });
  const restoreEnv = applyLocalSwaggerEnv(env);
  const previousDir = process.cwd();
  process.chdir(appDir);
  try {
    const results = await lint([...files], manifest as never, 'development', { info: () => undefined }, new OfflineFlags() as never, { linter: { mode: 'client-side' } });
    return results.flatMap((result) =>
      [...result.errors, ...result.warnings].map((rule) => ({
        file: result.file,
        class: rule.class,
        message: rule.message,
        ...(typeof rule.metadata?.['missingPermission'] === 'string' ? { missingPermission: rule.metadata['missingPermission'] } : {}),
      })),
    );
  } finally {
    process.chdir(previousDir);
    restoreEnv();
    if (previousConfigHome === undefined) delete process.env['XDG_CONFIG_HOME'];
    else process.env['XDG_CONFIG_HOME'] = previousConfigHome;
  }
}
