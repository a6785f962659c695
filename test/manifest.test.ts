/**
 * manifest.yml against @forge/manifest's validation and @forge/lint's client-side linters (scopes
 * checked against the pruned OpenAPI descriptions, offline), and against the code: every function it
 * names is exported by src/index.ts, each surface's resolver defines the functions the resolver
 * contract gives it, and every function a Custom UI page calls is defined for that page's surfaces.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { lintOffline } from '../sandbox/contract/lint-swagger';
import { loadManifest } from '../sandbox/forge';
import { PUBLISHED_CONFIG_PROPERTY, PUBLISHED_GROUPS_PROPERTY } from '../src/app/published-config';
import { RULE_CATALOGUE } from '../src/core/catalogue';

const ROOT = path.resolve(__dirname, '..');
const manifest = parseYaml(readFileSync(path.join(ROOT, 'manifest.yml'), 'utf8')) as {
  modules: Record<string, Array<Record<string, unknown>>>;
  permissions: { scopes: string[] };
  resources: { key: string; path: string }[];
};
const scratch = mkdtempSync(path.join(os.tmpdir(), 'srg-manifest-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Building @forge/manifest's validators takes about 15 s of one core here.
const SLOW = 180_000;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.(ts|tsx)$/.test(name) ? [full] : [];
  });
}

describe('manifest.yml', () => {
  it('passes @forge/manifest validation', async () => {
    const { validate } = await import('@forge/manifest');
    const previous = process.cwd();
    process.chdir(ROOT);
    try {
      const result = await validate(false, path.join(ROOT, 'manifest.yml'));
      expect(result.errors ?? []).toEqual([]);
      expect(result.success).toBe(true);
    } finally {
      process.chdir(previous);
    }
  }, SLOW);

  it('runs on nodejs24.x and declares storage:app and Forge SQL from the first release', () => {
    const raw = readFileSync(path.join(ROOT, 'manifest.yml'), 'utf8');
    expect(raw).toMatch(/runtime:\s*\n\s*name: nodejs24\.x/);
    expect(manifest.permissions.scopes).toContain('storage:app');
    expect(manifest.modules['sql']).toEqual([{ key: 'main', engine: 'mysql' }]);
  });

  it('names only functions that src/index.ts exports, and every module names a declared function', async () => {
    const exported = (await import('../src/index')) as Record<string, unknown>;
    const functions = new Map((manifest.modules['function'] ?? []).map((f) => [String(f['key']), String(f['handler'])]));
    for (const [key, handler] of functions) {
      const [file, name] = handler.split('.');
      expect({ key, file }).toEqual({ key, file: 'index' });
      expect({ key, type: typeof exported[name!] }).toEqual({ key, type: 'function' });
    }
    const referenced: string[] = [];
    for (const [type, modules] of Object.entries(manifest.modules)) {
      if (type === 'function') continue;
      for (const module of modules) {
        if (typeof module['function'] === 'string') referenced.push(module['function']);
        const resolver = module['resolver'] as { function?: string } | undefined;
        if (resolver?.function) referenced.push(resolver.function);
      }
    }
    expect(referenced).toEqual(expect.arrayContaining(['settings-resolver', 'admin-resolver', 'issue-panel-resolver', 'violation-log-resolver']));
    for (const key of referenced) expect({ key, declared: functions.has(key) }).toEqual({ key, declared: true });
  });

  it('gives each surface a resolver that defines exactly the functions the contract gives it', async () => {
    const { RESOLVER_KEYS, SURFACE_FUNCTIONS, SURFACES } = await import('../src/shared/resolver-api');
    const exported = (await import('../src/index')) as Record<string, unknown>;
    const handlers = new Map((manifest.modules['function'] ?? []).map((f) => [String(f['key']), String(f['handler']).split('.')[1]]));
    // The UI reaches a resolver with { call: { functionKey, payload }, context }; an unknown key throws.
    const call = (handler: unknown, functionKey: string): Promise<unknown> =>
      (handler as (request: unknown, context: unknown) => Promise<unknown>)({ call: { functionKey, payload: {} }, context: {} }, {});
    for (const [surface, target] of Object.entries(SURFACES)) {
      const module = manifest.modules[target.module]?.[0] as { resolver?: { function?: string } } | undefined;
      expect({ surface, exportName: handlers.get(module?.resolver?.function ?? '') }).toEqual({ surface, exportName: target.handler });
      const handler = exported[target.handler];
      const own: readonly string[] = SURFACE_FUNCTIONS[surface as keyof typeof SURFACES];
      expect({ surface, functions: own.length > 0 }).toEqual({ surface, functions: true });
      for (const key of Object.values(RESOLVER_KEYS)) {
        const outcome = await call(handler, key).then(
          () => 'defined',
          (error: unknown) => (String(error).includes('has no definition') ? 'missing' : 'defined'),
        );
        expect({ surface, key, outcome }).toEqual({ surface, key, outcome: own.includes(key) ? 'defined' : 'missing' });
      }
      await expect(call(handler, 'noSuchFunction')).rejects.toThrow('has no definition');
    }
  });

  it("has, for every function a Custom UI page calls, a resolver function on that page's surfaces", async () => {
    const { RESOLVER_KEYS, SURFACE_FUNCTIONS, SURFACES } = await import('../src/shared/resolver-api');
    const resources = new Map(manifest.resources.map((r) => [r.key, r.path]));
    const checked: string[] = [];
    for (const resource of new Set(Object.values(SURFACES).flatMap((s) => (manifest.modules[s.module] ?? []).map((m) => String(m['resource']))))) {
      // Every surface whose module shows this page: the page may call any of their functions (the settings page is also the admin page).
      const surfaces = (Object.keys(SURFACES) as (keyof typeof SURFACES)[]).filter((s) => (manifest.modules[SURFACES[s].module] ?? []).some((m) => m['resource'] === resource));
      const reachable = new Set<string>(surfaces.flatMap((s) => SURFACE_FUNCTIONS[s]));
      const source = path.join(ROOT, resources.get(resource)!, '..', 'src');
      const called = sourceFiles(source).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/\bcall\(\s*'(\w+)'/g)].map((m) => m[1]!));
      expect({ resource, calls: called.length > 0 }).toEqual({ resource, calls: true });
      for (const key of called) {
        checked.push(key);
        expect({ resource, key, reachable: reachable.has(key) }).toEqual({ resource, key, reachable: true });
      }
    }
    // And no function of the contract is left that no page calls.
    expect([...new Set(checked)].sort()).toEqual(Object.values(RESOLVER_KEYS).sort());
  });

  it('misses no scope the code needs (@forge/lint client-side linters, offline)', async () => {
    const files = sourceFiles(path.join(ROOT, 'src')).map((f) => path.relative(ROOT, f));
    const findings = await lintOffline(ROOT, files, manifest, scratch);
    expect(findings.filter((f) => f.class === 'error')).toEqual([]);
  }, SLOW);
});

describe('the status rule as Jira evaluates it', () => {
  const manifest = loadManifest(path.join(__dirname, '..', 'manifest.yml'));
  const rules = [...manifest.workflowValidators.filter((v) => v.expression !== undefined), ...manifest.workflowConditions];

  it('names the roles the status-change rule allows, reads the published properties, and declares its project types', () => {
    expect(rules.map((r) => r.key).sort()).toEqual(['srg-status-role-condition', 'srg-status-role-validator']);
    const allowed = RULE_CATALOGUE.get('status-change')!.allowed;
    for (const rule of rules) {
      const named = [...new Set([...rule.expression!.matchAll(/config\.roles\.(\w+)/g)].map((m) => m[1]))];
      expect(named).toEqual([...allowed]);
      expect(rule.expression).toContain(`project.properties['${PUBLISHED_CONFIG_PROPERTY}']`);
      expect(rule.expression).toContain(`project.properties['${PUBLISHED_GROUPS_PROPERTY}']`);
      expect(rule.projectTypes).toEqual(['company-managed']);
    }
    expect(manifest.workflowValidators.find((v) => v.key === 'srg-status-validator')!.projectTypes).toEqual(['company-managed']);
  });
});
