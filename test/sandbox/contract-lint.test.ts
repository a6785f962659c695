/**
 * @forge/lint's client-side linters, run as a library and offline: the permission linter reads
 * the pruned Jira descriptions through the files writeLocalSwaggerFiles() gives it.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { applyLocalSwaggerEnv, LOCAL_SWAGGER_VARIABLES, lintOffline, writeLocalSwaggerFiles, type LintFinding } from '../../sandbox/contract/lint-swagger';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'srg-contract-lint-'));
// The linter opens a settings cache under the user's config folder; keep it in the scratch folder.

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

const APP_SOURCE = `import api, { route } from '@forge/api';

export async function run(event: { issue: { key: string } }): Promise<unknown> {
  const issue = await api.asApp().requestJira(route\`/rest/api/3/issue/\${event.issue.key}?fields=status\`);
  await api.asApp().requestJira(route\`/rest/agile/1.0/issue/rank\`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ issues: [event.issue.key], rankBeforeIssue: 'DEMO-2' }),
  });
  return issue.json();
}
`;

function writeApp(name: string, scopes: string[], tsconfigInclude: string[]): string {
  const dir = path.join(scratch, name);
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  writeFileSync(
    path.join(dir, 'manifest.yml'),
    [
      'modules:',
      '  trigger:',
      '    - key: issue-updated',
      '      function: main',
      '      events:',
      '        - avi:jira:updated:issue',
      '  function:',
      '    - key: main',
      '      handler: index.run',
      'app:',
      '  id: ari:cloud:ecosystem::app/6a7b3c1e-2f4d-4e5a-9b8c-0d1e2f3a4b5c',
      '  runtime:',
      '    name: nodejs24.x',
      'permissions:',
      '  scopes:',
      ...scopes.map((scope) => `    - ${scope}`),
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true }, include: tsconfigInclude }));
  writeFileSync(path.join(dir, 'src', 'index.ts'), APP_SOURCE);
  // A second source folder, so that a tsconfig.json including only it matches some file.
  mkdirSync(path.join(dir, 'lib'), { recursive: true });
  writeFileSync(path.join(dir, 'lib', 'keys.ts'), "export const PROPERTY_KEY = 'scrum-role-guard';\n");
  return dir;
}

/** Runs the client-side linters on the app in `dir`, from inside it, as `forge lint` does. */
async function lintApp(dir: string): Promise<LintFinding[]> {
  const manifest = parseYaml(readFileSync(path.join(dir, 'manifest.yml'), 'utf8'));
  return lintOffline(dir, ['src/index.ts'], manifest, scratch);
}

// The first run builds @forge/manifest's validators: about 15 s of one core on this machine.
const LINT_TIMEOUT_MS = 120_000;

describe('offline scope linting with @forge/lint', () => {
  it('writes the six local descriptions the permission linter needs', () => {
    const { env } = writeLocalSwaggerFiles({ dir: path.join(scratch, 'swagger-files') });
    expect(env.USE_LOCAL_SWAGGER).toBe('1');
    for (const variable of LOCAL_SWAGGER_VARIABLES) {
      const description = JSON.parse(readFileSync(env[variable], 'utf8')) as { paths: Record<string, unknown> };
      expect(typeof description.paths).toBe('object');
    }
    const jiraPaths = Object.keys((JSON.parse(readFileSync(env.LOCAL_JIRA_SWAGGER, 'utf8')) as { paths: object }).paths);
    expect(jiraPaths).toContain('/rest/api/3/issue/{issueIdOrKey}');
    const softwarePaths = Object.keys((JSON.parse(readFileSync(env.LOCAL_JSW_SWAGGER, 'utf8')) as { paths: object }).paths);
    expect(softwarePaths).toContain('/rest/agile/1.0/issue/rank');
    expect(Object.keys((JSON.parse(readFileSync(env.LOCAL_BB_SWAGGER, 'utf8')) as { paths: object }).paths)).toEqual([]);
  });

  it('puts the environment back as it was', () => {
    const { env } = writeLocalSwaggerFiles({ dir: path.join(scratch, 'swagger-env') });
    delete process.env['LOCAL_JIRA_SWAGGER'];
    const restore = applyLocalSwaggerEnv(env);
    expect(process.env['LOCAL_JIRA_SWAGGER']).toBe(env.LOCAL_JIRA_SWAGGER);
    restore();
    expect(process.env['LOCAL_JIRA_SWAGGER']).toBeUndefined();
  });

  it('reports a Jira call whose scope the manifest lacks', async () => {
    const findings = await lintApp(writeApp('missing-scope', ['read:jira-work'], ['src/**/*']));
    expect(findings).toEqual([
      {
        file: 'src/index.ts',
        class: 'error',
        message: expect.stringContaining('PUT /rest/agile/1.0/issue/rank requires "write:issue:jira-software"'),
        missingPermission: 'write:issue:jira-software',
      },
    ]);
  }, LINT_TIMEOUT_MS);

  it('reports nothing once the manifest has the scope', async () => {
    const findings = await lintApp(writeApp('with-scope', ['read:jira-work', 'write:issue:jira-software'], ['src/**/*']));
    expect(findings).toEqual([]);
  }, LINT_TIMEOUT_MS);

  it('silently skips TypeScript sources that tsconfig.json does not include (why the project includes src/**/*)', async () => {
    const findings = await lintApp(writeApp('not-included', ['read:jira-work'], ['lib/**/*']));
    expect(findings.filter((finding) => finding.missingPermission)).toEqual([]);
  }, LINT_TIMEOUT_MS);
});
