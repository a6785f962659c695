/**
 * Every Jira REST call written in src/ is allowed by the scopes manifest.yml declares, by Atlassian's
 * own word (the pruned OpenAPI descriptions). @forge/lint's permission linter only sees a
 * `requestJira(route\`...\`)` written in place; the app calls Jira through small wrappers (one per
 * adapter), which the linter cannot follow. This test reads every `route` template instead.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadJiraContract, PRUNED_DESCRIPTION_FILES, type JiraApi } from '../sandbox/contract';

const ROOT = path.resolve(__dirname, '..');

interface RouteUse {
  readonly file: string;
  readonly line: number;
  readonly method: string;
  /** The path with every `${...}` replaced by a value and the query left off. */
  readonly path: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.(ts|tsx)$/.test(name) ? [full] : [];
  });
}

/**
 * The method is what the statement around the route says (`method: 'PUT'`, or an operation name such
 * as 'POST /rest/...'), else GET: how both Jira adapters write their calls.
 */
function routeUses(file: string, text: string): RouteUse[] {
  const uses: RouteUse[] = [];
  for (const match of text.matchAll(/route`([^`]*)`/g)) {
    const at = match.index;
    // The statement: from the end of the one before to the end of this one.
    const start = Math.max(text.lastIndexOf(';', at), text.lastIndexOf('{\n', at), text.lastIndexOf('}\n', at)) + 1;
    const endAt = text.indexOf(';', at);
    const statement = text.slice(start, endAt === -1 ? text.length : endAt);
    const method = /method:\s*'(PUT|POST|DELETE|PATCH)'/.exec(statement)?.[1] ?? /'(GET|PUT|POST|DELETE|PATCH) \/rest\//.exec(statement)?.[1] ?? 'GET';
    const pathOnly = match[1]!.replace(/\$\{[^}]*\}/g, 'VALUE').split('?')[0]!;
    uses.push({ file: path.relative(ROOT, file), line: text.slice(0, at).split('\n').length, method, path: pathOnly });
  }
  return uses;
}

const descriptions: Record<JiraApi, { paths: Record<string, Record<string, Record<string, unknown>>> }> = {
  platform: JSON.parse(readFileSync(PRUNED_DESCRIPTION_FILES.platform, 'utf8')),
  software: JSON.parse(readFileSync(PRUNED_DESCRIPTION_FILES.software, 'utf8')),
};

/** The sets of scopes any one of which allows the operation (classic, granular, or the security requirement). */
function acceptedScopeSets(api: JiraApi, method: string, pathTemplate: string): string[][] {
  const operation = descriptions[api].paths[pathTemplate]?.[method.toLowerCase()];
  if (!operation) throw new Error(`${method} ${pathTemplate} is not in the ${api} description`);
  const sets: string[][] = [];
  for (const entry of (operation['x-atlassian-oauth2-scopes'] as { scopes: string[] }[] | undefined) ?? []) sets.push(entry.scopes);
  for (const requirement of (operation['security'] as Record<string, string[]>[] | undefined) ?? []) {
    if (requirement['OAuth2'] !== undefined) sets.push(requirement['OAuth2']);
  }
  return sets;
}

const manifest = parseYaml(readFileSync(path.join(ROOT, 'manifest.yml'), 'utf8')) as { permissions: { scopes: string[] } };
const declared = new Set(manifest.permissions.scopes);
const uses = sourceFiles(path.join(ROOT, 'src')).flatMap((file) => routeUses(file, readFileSync(file, 'utf8')));
const contract = loadJiraContract();

describe('the scopes manifest.yml declares', () => {
  it('finds the Jira calls in src (the reader of route templates works)', () => {
    expect(routeUses('x.ts', "await call('PUT /rest/api/3/issue/{id}', route`/rest/api/3/issue/${key}?a=${b}`, { method: 'PUT' });")).toEqual([
      { file: expect.any(String), line: 1, method: 'PUT', path: '/rest/api/3/issue/VALUE' },
    ]);
    // A call written over several lines, and a GET right after it.
    const twoCalls = "await api.requestJira(\n  route`/rest/agile/1.0/issue/rank`,\n  { method: 'PUT', body },\n);\nconst x = await read(route`/rest/api/3/field`);";
    expect(routeUses('y.ts', twoCalls).map((u) => [u.line, u.method, u.path])).toEqual([
      [2, 'PUT', '/rest/agile/1.0/issue/rank'],
      [5, 'GET', '/rest/api/3/field'],
    ]);
    expect(uses.length).toBeGreaterThan(20);
    expect(uses.map((u) => `${u.method} ${u.path}`)).toEqual(expect.arrayContaining(['PUT /rest/agile/1.0/issue/rank', 'POST /rest/agile/1.0/backlog/issue', 'GET /rest/api/3/user/groups']));
  });

  it('allow every Jira operation the code calls', () => {
    const problems: string[] = [];
    for (const use of uses) {
      const where = `${use.file}:${use.line} ${use.method} ${use.path}`;
      const operation = contract.match(use.method, use.path);
      if (!operation) {
        problems.push(`${where}: no such operation in Atlassian's description`);
        continue;
      }
      const sets = acceptedScopeSets(operation.api, operation.method, operation.pathTemplate);
      // An operation whose description names no scope at all is not allowed by default: someone reads why.
      const allowed = sets.some((set) => set.every((scope) => declared.has(scope)));
      if (sets.length === 0) problems.push(`${where} (${operation.operationId}): Atlassian's description names no scope for it`);
      else if (!allowed) problems.push(`${where} (${operation.operationId}): needs one of ${sets.map((s) => `[${s.join(', ')}]`).join(' or ')}`);
    }
    expect(problems).toEqual([]);
  });

  /**
   * Scopes kept although no description asks for them, each with its reason. Atlassian's description of
   * GET /rest/agile/1.0/board lists an empty OAuth2 requirement; boards are read under
   * read:board-scope:jira-software everywhere else in the Agile API, so the app keeps it rather than
   * find out on a customer's site that listing boards is refused.
   */
  const KEPT_BEYOND_DESCRIPTIONS = ['read:board-scope:jira-software'];
  /** Scopes for calls that are not Jira REST routes. */
  const FOR_PLATFORM_CALLS: Record<string, RegExp> = {
    // Atlassian's personal data reporting, called through @forge/api's privacy client.
    'report:personal-data': /privacy\.reportPersonalData\(/,
  };

  it('include report:personal-data, since the app reports the account ids it stores', () => {
    const source = sourceFiles(path.join(ROOT, 'src')).map((file) => readFileSync(file, 'utf8')).join('\n');
    expect(source).toMatch(/privacy\.reportPersonalData\(/);
    expect(declared.has('report:personal-data')).toBe(true);
  });

  it('declare no scope that no call needs (fewest scopes that work)', () => {
    const needed = new Set<string>(['storage:app', ...KEPT_BEYOND_DESCRIPTIONS]);
    const source = sourceFiles(path.join(ROOT, 'src')).map((file) => readFileSync(file, 'utf8')).join('\n');
    for (const [scope, use] of Object.entries(FOR_PLATFORM_CALLS)) if (use.test(source)) needed.add(scope);
    for (const use of uses) {
      const operation = contract.match(use.method, use.path);
      if (!operation) continue;
      const sets = acceptedScopeSets(operation.api, operation.method, operation.pathTemplate);
      // The set the manifest satisfies is the one in use.
      for (const set of sets.filter((s) => s.every((scope) => declared.has(scope)))) set.forEach((scope) => needed.add(scope));
    }
    expect([...declared].filter((scope) => !needed.has(scope))).toEqual([]);
  });
});
