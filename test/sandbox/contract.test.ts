import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ContractViolation, loadJiraContract, type JiraContract, type MatchedOperation } from '../../sandbox/contract';
import { CONTRACT_OPERATIONS, derivePrunedFiles, parseOperationKey, PRUNED_DIR } from '../../scripts/prune-openapi';

const repoRoot = path.resolve(__dirname, '../..');
const sharedOpenApi = path.resolve(__dirname, '../../../shared/jira-openapi');

let contract: JiraContract;
beforeAll(() => {
  contract = loadJiraContract();
});

function matched(method: string, pathWithQuery: string): MatchedOperation {
  const operation = contract.match(method, pathWithQuery);
  if (!operation) throw new Error(`${method} ${pathWithQuery} matched nothing`);
  return operation;
}

const wheres = (problems: { where: string }[]): string[] => problems.map((problem) => problem.where);

describe('matching', () => {
  it('finds the operation, decodes path parameters and ignores the query string', () => {
    const operation = matched('get', '/rest/api/3/issue/DEMO-7/properties/scrum%20guard?expand=x');
    expect(operation).toMatchObject({
      api: 'platform',
      method: 'GET',
      pathTemplate: '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}',
      operationId: 'getIssueProperty',
      pathParams: { issueIdOrKey: 'DEMO-7', propertyKey: 'scrum guard' },
    });
  });

  it('prefers a concrete path over a templated one', () => {
    expect(matched('PUT', '/rest/agile/1.0/issue/rank').operationId).toBe('rankIssues');
    expect(matched('GET', '/rest/agile/1.0/issue/DEMO-1').operationId).toBe('getIssue');
    expect(matched('GET', '/rest/agile/1.0/issue/DEMO-1').api).toBe('software');
  });

  it('accepts an absolute URL', () => {
    expect(matched('GET', 'https://example.atlassian.net/rest/api/3/myself').operationId).toBe('getCurrentUser');
  });

  it("names the operation's scopes, classic and granular", () => {
    const rank = matched('PUT', '/rest/agile/1.0/issue/rank');
    expect(rank.scopes).toEqual({ classic: [], granular: ['write:issue:jira-software'] });
    const edit = matched('PUT', '/rest/api/3/issue/DEMO-1');
    expect(edit.scopes.classic).toEqual(['write:jira-work']);
    expect(edit.scopes.granular).toContain('write:issue:jira');
  });

  it('matches nothing for an unknown path or a method the path does not take', () => {
    expect(contract.match('GET', '/rest/api/3/issue/DEMO-1/nothing')).toBeNull();
    expect(contract.match('PATCH', '/rest/api/3/issue/DEMO-1')).toBeNull();
    expect(contract.match('GET', '/rest/api/3/issue/DEMO-1/')).toBeNull();
  });

  it('knows every operation of the list', () => {
    for (const entries of Object.values(CONTRACT_OPERATIONS)) {
      for (const entry of entries) {
        const { method, pathTemplate } = parseOperationKey(entry);
        const concretePath = pathTemplate.replace(/\{[^}]+\}/g, '10001');
        expect(contract.match(method, concretePath)?.pathTemplate).toBe(pathTemplate);
      }
    }
  });
});

describe('requests', () => {
  it.each([
    ['GET', '/rest/api/3/issue/DEMO-1?fields=summary,status&expand=changelog', undefined],
    ['GET', '/rest/api/3/search/jql?jql=project%20%3D%20DEMO&maxResults=50&fields=summary&fields=status', undefined],
    ['GET', '/rest/api/3/user/bulk?accountId=a1&accountId=b2&maxResults=10', undefined],
    ['GET', '/rest/agile/1.0/board/1/sprint?state=active,future', undefined],
    ['PUT', '/rest/agile/1.0/issue/rank', { issues: ['DEMO-3'], rankBeforeIssue: 'DEMO-2', rankCustomFieldId: 10019 }],
    ['PUT', '/rest/api/3/issue/DEMO-1', { fields: { customfield_10016: 5, priority: { id: '3' } } }],
    ['POST', '/rest/api/3/issue/DEMO-1/transitions', { transition: { id: '31' } }],
    ['POST', '/rest/api/3/issue', { fields: { summary: 'A story', project: { key: 'DEMO' }, issuetype: { name: 'Story' } } }],
    ['PUT', '/rest/api/3/project/DEMO/properties/scrum-role-guard.roles', { version: 1, productOwner: ['a1'] }],
    ['POST', '/rest/agile/1.0/sprint/3/issue', { issues: ['DEMO-4'] }],
  ])('%s %s passes', (method, requestPath, body) => {
    const { operation, problems } = contract.checkRequest({ method, path: requestPath, body });
    expect(problems).toEqual([]);
    expect(operation).not.toBeNull();
  });

  it('refuses a path that is not in the description', () => {
    const { operation, problems } = contract.checkRequest({ method: 'GET', path: '/rest/api/2/issue/DEMO-1' });
    expect(operation).toBeNull();
    expect(problems).toEqual([{ where: 'path', message: expect.stringContaining("not in Atlassian's description") }]);
  });

  it('refuses a method the path does not take', () => {
    const { problems } = contract.checkRequest({ method: 'DELETE', path: '/rest/agile/1.0/issue/rank' });
    expect(wheres(problems)).toEqual(['method']);
    expect(problems[0]?.message).toContain('PUT');
  });

  it('refuses a query parameter of the wrong type, naming it', () => {
    const { problems } = contract.checkRequest({ method: 'GET', path: '/rest/api/3/search/jql?jql=x&maxResults=lots' });
    expect(problems).toEqual([{ where: 'query.maxResults', message: expect.stringContaining('integer') }]);
  });

  it('refuses an unknown query parameter', () => {
    const { problems } = contract.checkRequest({ method: 'GET', path: '/rest/api/3/issue/DEMO-1?maxResults=5' });
    expect(wheres(problems)).toEqual(['query.maxResults']);
  });

  it('refuses a missing required query parameter', () => {
    const { problems } = contract.checkRequest({ method: 'GET', path: '/rest/api/3/user/groups' });
    expect(problems).toEqual([{ where: 'query.accountId', message: 'is required and missing' }]);
  });

  it('refuses a badly typed path parameter', () => {
    const { problems } = contract.checkRequest({ method: 'GET', path: '/rest/agile/1.0/board/main/configuration' });
    expect(wheres(problems)).toEqual(['path.boardId']);
  });

  it('refuses a body that does not match, naming each place', () => {
    const { problems } = contract.checkRequest({ method: 'PUT', path: '/rest/agile/1.0/issue/rank', body: { issues: 'DEMO-3', rankBefore: 'DEMO-2' } });
    expect(wheres(problems).sort()).toEqual(['body.issues', 'body.rankBefore']);
  });

  it('refuses a nested body mismatch', () => {
    const { problems } = contract.checkRequest({ method: 'POST', path: '/rest/api/3/issue/DEMO-1/transitions', body: { transition: { id: 31 } } });
    expect(problems).toEqual([{ where: 'body.transition.id', message: 'must be string, got integer' }]);
  });

  it('refuses a missing required body and a body where none is taken', () => {
    expect(wheres(contract.checkRequest({ method: 'PUT', path: '/rest/agile/1.0/issue/rank' }).problems)).toEqual(['body']);
    expect(wheres(contract.checkRequest({ method: 'GET', path: '/rest/api/3/myself', body: {} }).problems)).toEqual(['body']);
  });

  it('assertRequest throws a ContractViolation carrying the problems and the operation', () => {
    let thrown: unknown;
    try {
      contract.assertRequest({ method: 'GET', path: '/rest/api/3/search/jql?maxResults=x' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ContractViolation);
    const violation = thrown as ContractViolation;
    expect(violation.operation).toBe('searchAndReconsileIssuesUsingJql');
    expect(wheres(violation.problems)).toEqual(['query.maxResults']);
    expect(violation.message).toContain('query.maxResults');
    expect(contract.assertRequest({ method: 'GET', path: '/rest/api/3/myself' }).operationId).toBe('getCurrentUser');
  });
});

describe('responses', () => {
  const user = {
    self: 'http://localhost:4321/rest/api/3/user?accountId=5b10a2844c20165700ede21g',
    accountId: '5b10a2844c20165700ede21g',
    accountType: 'atlassian',
    displayName: 'Priya Owner',
    active: true,
    timeZone: 'Europe/Berlin',
  };

  it('accepts a response that matches, with properties Atlassian does not declare', () => {
    expect(contract.checkResponse(matched('GET', '/rest/api/3/myself'), 200, { ...user, somethingNew: true })).toEqual([]);
  });

  it("accepts Jira's date-times and its nulls in a changelog", () => {
    const changelog = {
      startAt: 0,
      maxResults: 100,
      total: 1,
      isLast: true,
      values: [
        {
          id: '10500',
          author: user,
          created: '2025-03-04T10:15:30.000+0000',
          items: [{ field: 'Rank', fieldtype: 'custom', fieldId: 'customfield_10019', from: null, fromString: null, to: null, toString: 'Ranked higher' }],
        },
      ],
    };
    expect(contract.checkResponse(matched('GET', '/rest/api/3/issue/DEMO-1/changelog'), 200, changelog)).toEqual([]);
  });

  it('refuses an undeclared status', () => {
    const problems = contract.checkResponse(matched('GET', '/rest/api/3/myself'), 201, user);
    expect(problems).toEqual([{ where: 'response 201', message: expect.stringContaining('not declared') }]);
  });

  it('lets rate limiting and server errors through on any operation', () => {
    expect(contract.checkResponse(matched('PUT', '/rest/agile/1.0/issue/rank'), 429, { errorMessages: ['slow down'] })).toEqual([]);
    expect(contract.checkResponse(matched('GET', '/rest/api/3/myself'), 500, undefined)).toEqual([]);
  });

  it('refuses a body that does not match, naming where', () => {
    const body = { startAt: 0, maxResults: 50, total: 1, isLast: true, values: [{ id: 10500, items: [] }] };
    const problems = contract.checkResponse(matched('GET', '/rest/api/3/issue/DEMO-1/changelog'), 200, body);
    expect(problems).toEqual([{ where: 'response 200 body.values[0].id', message: 'must be string, got integer' }]);
  });

  it('refuses a body on a status declared without one', () => {
    const problems = contract.checkResponse(matched('PUT', '/rest/agile/1.0/issue/rank'), 204, { entries: [] });
    expect(wheres(problems)).toEqual(['response 204 body']);
    expect(contract.checkResponse(matched('PUT', '/rest/agile/1.0/issue/rank'), 204, undefined)).toEqual([]);
  });

  it('assertResponse throws a ContractViolation', () => {
    expect(() => contract.assertResponse(matched('GET', '/rest/api/3/myself'), 200, { accountId: 7 })).toThrow(ContractViolation);
    expect(() => contract.assertResponse(matched('GET', '/rest/api/3/myself'), 200, user)).not.toThrow();
  });
});

describe('the pruned copies', () => {
  it('load fast, and the largest schema compiles fast', () => {
    jest.isolateModules(() => {
      const started = process.hrtime.bigint();
      // A fresh module instance, so the cache of this file's contract does not hide the cost.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh instance needs require inside isolateModules
      const fresh = require('../../sandbox/contract') as typeof import('../../sandbox/contract');
      const fresher = fresh.loadJiraContract();
      const loadedMs = Number(process.hrtime.bigint() - started) / 1e6;
      const issue = fresher.match('GET', '/rest/api/3/issue/DEMO-1');
      expect(issue).not.toBeNull();
      fresher.checkResponse(issue as MatchedOperation, 200, { id: '10001', key: 'DEMO-1', fields: {} });
      const firstCheckMs = Number(process.hrtime.bigint() - started) / 1e6 - loadedMs;
      expect(loadedMs).toBeLessThan(1000);
      expect(firstCheckMs).toBeLessThan(1000);
      expect(fresher).toBe(fresh.loadJiraContract());
    });
  });

  const itWithSharedOpenApi = existsSync(sharedOpenApi) || process.env['SRG_REQUIRE_OPENAPI'] === '1' ? it : it.skip;
  itWithSharedOpenApi("are exactly what the script derives from Atlassian's descriptions", () => {
    if (!existsSync(sharedOpenApi)) throw new Error(`SRG_REQUIRE_OPENAPI=1 but ${sharedOpenApi} is missing`);
    const { files } = derivePrunedFiles(sharedOpenApi);
    expect(Object.keys(files).sort()).toEqual(['NOTICE.md', 'jira-platform.pruned.json', 'jira-software.pruned.json']);
    for (const [name, text] of Object.entries(files)) {
      const committed = readFileSync(path.join(repoRoot, PRUNED_DIR, name), 'utf8');
      // Compared as strings first for a readable diff, then as bytes.
      expect({ name, text: committed }).toEqual({ name, text });
      expect(Buffer.from(committed).equals(Buffer.from(text))).toBe(true);
    }
  });

  itWithSharedOpenApi('prune-openapi --check passes on the committed copies and fails once the source changes', () => {
    const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
    const script = path.join(repoRoot, 'scripts', 'prune-openapi.ts');
    const unchanged = spawnSync(tsx, [script, '--check', '--from', sharedOpenApi], { encoding: 'utf8' });
    expect(unchanged.stderr).toBe('');
    expect(unchanged.status).toBe(0);

    const changedSource = mkdtempSync(path.join(os.tmpdir(), 'srg-openapi-'));
    try {
      copyFileSync(path.join(sharedOpenApi, 'jira-platform-v3.json'), path.join(changedSource, 'jira-platform-v3.json'));
      const software = JSON.parse(readFileSync(path.join(sharedOpenApi, 'jira-software.json'), 'utf8')) as { info: { version: string } };
      software.info.version = `${software.info.version}-changed`;
      writeFileSync(path.join(changedSource, 'jira-software.json'), JSON.stringify(software));
      const changed = spawnSync(tsx, [script, '--check', '--from', changedSource], { encoding: 'utf8' });
      expect(changed.status).toBe(1);
      expect(changed.stderr).toContain('jira-software.pruned.json');
    } finally {
      rmSync(changedSource, { recursive: true, force: true });
    }
  });

  it('carry no prose', () => {
    for (const file of ['jira-platform.pruned.json', 'jira-software.pruned.json']) {
      const text = readFileSync(path.join(repoRoot, PRUNED_DIR, file), 'utf8');
      expect(text).not.toMatch(/"(summary|example|examples|x-atlassian-connect-scope)":/);
      // "description" survives only as the name of a property, never as a schema's prose.
      expect(text).not.toMatch(/"description": "/);
    }
  });
});
