/**
 * Payloads crafted to hurt, and fast-check fuzz of the boundary parsers: every resolver function's
 * payload schema (as the contract in src/shared/resolver-api.ts gives it), the config schema (src/core/config.ts), and the resolvers
 * themselves called through the Forge host with hostile payloads. No crash; a refusal names the field.
 *
 * SRG_FUZZ_RUNS changes the number of runs per property (default 300).
 */
import fc from 'fast-check';
import { RESOLVER_CONTRACT, type ResolverKey } from '../../src/shared/resolver-api';
import { parseConfig } from '../../src/core/config';
import { formatIssues } from '../../src/core/issues';
import { saveRules, scaledBed, type ScaledBed } from './support';

const RUNS = Number(process.env['SRG_FUZZ_RUNS'] ?? 300);
let fuzzRuns = 0;

/** Any JSON-ish value, with the keys attackers like mixed in. */
const hostileKey = fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', "'; DROP TABLE violations; --", '<script>alert(1)</script>'));
const hostileString = fc.oneof(
  fc.string(),
  fc.constantFrom("' OR 1=1 --", '"; DELETE FROM violations; --', '%_\\', '\u0000', '<img src=x onerror=alert(1)>', 'x'.repeat(100_000)),
);
const hostileValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** Every payload schema the contract gives a function, once each, named by the functions that share it. */
const PAYLOAD_SCHEMAS = [...new Set(Object.values(RESOLVER_CONTRACT).map((entry) => entry.payload))].map(
  (schema) => [(Object.keys(RESOLVER_CONTRACT) as ResolverKey[]).filter((key) => RESOLVER_CONTRACT[key].payload === schema).join(', '), schema] as const,
);

describe('fuzz: resolver payload schemas', () => {
  it.each(PAYLOAD_SCHEMAS.map(([name]) => name))('%s never throws, and every refusal names a field and what was expected', (name) => {
    const schema = PAYLOAD_SCHEMAS.find(([n]) => n === name)![1];
    fc.assert(
      fc.property(fc.oneof(hostileValue, fc.dictionary(hostileKey, hostileValue)), (input) => {
        fuzzRuns++;
        const result = schema.safeParse(input);
        if (result.success) return;
        const issues = formatIssues(result.error.issues);
        expect(issues.length).toBeGreaterThan(0);
        for (const issue of issues) {
          expect(typeof issue.path).toBe('string');
          expect(issue.message.length).toBeGreaterThan(5);
          expect(issue.message).not.toMatch(/^Invalid input$/);
        }
      }),
      { numRuns: RUNS, seed: 4242 },
    );
  });
});

describe('fuzz: the config schema', () => {
  it('never throws; a refusal names the path inside the document', () => {
    const roleMembers = fc.record({ users: fc.array(hostileString, { maxLength: 3 }), groups: fc.array(hostileString, { maxLength: 3 }), projectRoles: fc.array(hostileString, { maxLength: 3 }) }, { requiredKeys: [] });
    const document = fc.record(
      {
        version: fc.oneof(fc.constant(1), hostileValue),
        roles: fc.oneof(fc.dictionary(fc.constantFrom('productOwner', 'scrumMaster', 'developers', 'stakeholders', '__proto__', 'constructor'), fc.oneof(roleMembers, hostileValue)), hostileValue),
        rules: fc.oneof(fc.dictionary(fc.oneof(fc.constantFrom('backlog-rank', 'priority-change', '__proto__'), fc.string()), fc.oneof(fc.record({ mode: fc.constantFrom('off', 'flag', 'block', 'BLOCK', '') }), hostileValue)), hostileValue),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(document, hostileValue), (input) => {
        fuzzRuns++;
        const result = parseConfig(input);
        if (result.ok) return;
        expect(result.errors.length).toBeGreaterThan(0);
        for (const error of result.errors) expect(error.message.length).toBeGreaterThan(5);
      }),
      { numRuns: RUNS * 3, seed: 77 },
    );
    // Prototype keys never reach Object.prototype.
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('crafted payloads through the resolvers', () => {
  let bed: ScaledBed;
  beforeAll(async () => {
    bed = await scaledBed({ scale: 0.01 });
    await saveRules(bed, { 'priority-change': 'flag' });
    expect((await bed.site.act('dana', { action: 'edit', issue: 'DEMO-12', fields: { priority: 'Low' } })).ok).toBe(true);
    await bed.host.settle();
  }, 60_000);
  afterAll(async () => {
    await bed?.close();
  });

  const refusalNames = (answer: Record<string, unknown>, path: RegExp): void => {
    expect(answer['ok']).toBe(false);
    const error = answer['error'] as { code: string; issues?: { path: string; message: string }[] };
    expect(error.issues?.some((i) => path.test(i.path))).toBe(true);
  };

  it('refuses oversized strings and arrays with the field named', async () => {
    refusalNames(await bed.resolver('srg-settings', 'searchPeople', { query: 'a'.repeat(1_000_000) }), /^query$/);
    refusalNames(await bed.resolver('srg-violation-log', 'listViolations', { filter: { rules: Array(10_000).fill('backlog-rank') } }), /^filter\.rules$/);
    refusalNames(await bed.resolver('srg-violation-log', 'acknowledgeMany', { ids: Array(5_000).fill('x:backlog-rank'), note: 'n' }, 'olivia'), /^ids$/);
    refusalNames(await bed.resolver('srg-violation-log', 'acknowledgeMany', { ids: ['x'], note: 'n'.repeat(100_000) }, 'olivia'), /^note$/);
    refusalNames(await bed.resolver('srg-violation-log', 'listViolations', { cursor: 'c'.repeat(10_000) }), /^cursor$/);
  });

  it('refuses deep nesting and prototype keys without polluting anything', async () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 5_000; i++) deep = { a: deep };
    const nested = await bed.resolver('srg-violation-log', 'listViolations', { filter: deep });
    expect(nested['ok']).toBe(false);
    const polluted = JSON.parse('{"filter": {"__proto__": {"isAdmin": true}}, "__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}}');
    const answer = await bed.resolver('srg-violation-log', 'listViolations', polluted, 'stella');
    expect(answer['ok']).toBe(false);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
    const config = JSON.parse('{"version":1,"roles":{"__proto__":{"users":["x"]}},"rules":{"constructor":{"mode":"block"}}}');
    const save = await bed.resolver('srg-settings', 'saveProjectSettings', { document: config, expectedRevision: null });
    expect(save['ok']).toBe(false);
  });

  it('treats SQL metacharacters in every log filter as data', async () => {
    const evil = ["' OR '1'='1", '"; DROP TABLE srg_violations; --', '%', '_', '\\', "DEMO-1' --"];
    const before = ((await bed.resolver('srg-violation-log', 'listViolations', { limit: 200 }))['rows'] as unknown[]).length;
    expect(before).toBe(1);
    for (const text of evil) {
      for (const filter of [{ actors: [text] }, { rules: [text] }, { roles: [text] }, { modes: [text] }, { statuses: [text] }, { issueKey: text }, { from: text }, { to: text }]) {
        const answer = await bed.resolver('srg-violation-log', 'listViolations', { filter, limit: 200 });
        // Either refused as a bad value for that field, or answered with no rows: never every row.
        if (answer['ok'] === true) expect(answer['rows']).toEqual([]);
        else expect((answer['error'] as { issues: { path: string }[] }).issues[0]!.path).toMatch(/^filter\./);
      }
      const sorted = await bed.resolver('srg-violation-log', 'listViolations', { sort: { by: text, direction: 'asc' } });
      expect(sorted['ok']).toBe(false);
    }
    expect(((await bed.resolver('srg-violation-log', 'listViolations', { limit: 200 }))['rows'] as unknown[]).length).toBe(before);
  });

  it('refuses a config naming 50,000 users, or a group of 5,000, with a clear message', async () => {
    const users = Array.from({ length: 50_000 }, (_, i) => `712020:${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`);
    const current = await bed.resolver('srg-settings', 'getProjectSettings', {});
    const document = { version: 1, roles: { productOwner: { users } }, rules: {} };
    const answer = await bed.resolver('srg-settings', 'saveProjectSettings', { document, expectedRevision: current['revision'] ?? null });
    expect(answer['ok']).toBe(false);
    const issue = (answer['error'] as { issues: { path: string; message: string }[] }).issues[0]!;
    expect(issue.path).toBe('roles.productOwner.users');
    expect(issue.message).toMatch(/at most \d+/);
    console.info(`a config naming 50,000 users: refused at ${issue.path}: ${issue.message}`);

    // A group of 5,000: the config names one group id (small), the app reads its members from Jira page by page.
    const members = Array.from({ length: 5_000 }, (_, i) => `712020:${String(i).padStart(8, '0')}-1111-4000-8000-000000000000`);
    bed.site.groups.push({ groupId: 'a0a0a0a0-5000-4000-8000-000000005000', name: 'everyone-5000', members: [...members, bed.accountOf('dana')] });
    const big = { version: 1, roles: { developers: { users: [], groups: ['a0a0a0a0-5000-4000-8000-000000005000'], projectRoles: [] } }, rules: {} };
    const started = Date.now();
    const preview = await bed.resolver('srg-settings', 'previewRoles', { document: big });
    const previewMs = Date.now() - started;
    console.info(`a group of 5,000 previewed in ${previewMs} ms: ${JSON.stringify(preview).slice(0, 300)}`);
    expect(preview['ok']).toBe(true);
    expect((preview['resolved'] as { developers: string[] }).developers).toContain(bed.accountOf('dana'));
  });
});

afterAll(() => {
  console.info(`fuzz runs: ${fuzzRuns}`);
});
