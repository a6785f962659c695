import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { baseConfig, created, ITEMS, PEOPLE, sprintEvent, updated } from '../support/payloads';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin/scrum-guard.js');
const dir = mkdtempSync(join(tmpdir(), 'scrum-guard-cli-'));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function cli(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, input, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, lines: result.stdout.split('\n').filter(Boolean) };
}

const config = file('config.json', JSON.stringify(baseConfig({ rules: { 'backlog-rank': { mode: 'block' }, 'priority-change': { mode: 'off' } } })));
const jsonl = (...events: unknown[]) => events.map((e) => JSON.stringify(e)).join('\n') + '\n';

describe('scrum-guard check', () => {
  it('answers one JSON object per input line, in order, and exits 0', () => {
    const events = file(
      'events.jsonl',
      jsonl(updated(PEOPLE.stakeholder, [ITEMS.rank()]), updated(PEOPLE.sm, [ITEMS.status(), ITEMS.priority()]), updated(PEOPLE.dev1, [ITEMS.status()]), created(PEOPLE.po)),
    );
    const { code, lines, stderr } = cli(['check', '--config', config, events]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = lines.map((l) => JSON.parse(l));
    expect(out).toHaveLength(4);
    expect(out[0]).toEqual({
      line: 1,
      eventType: 'avi:jira:updated:issue',
      issueKey: 'DEMO-7',
      actor: PEOPLE.stakeholder,
      violations: [{ rule: 'backlog-rank', mode: 'block', message: expect.stringContaining('Product Owner') }],
    });
    // priority-change is off: it never appears, even though the Scrum Master changed the priority.
    expect(out[1].violations.map((v: { rule: string }) => v.rule)).toEqual(['status-change']);
    expect(out[2].violations).toEqual([]);
    expect(out.map((o) => o.line)).toEqual([1, 2, 3, 4]);
  });

  it('reads standard input with -', () => {
    const { code, lines } = cli(['check', '--config', config, '-'], jsonl(created(PEOPLE.outsider)));
    expect(code).toBe(0);
    expect(JSON.parse(lines[0]!).violations[0].rule).toBe('item-create');
  });

  it('reports bad lines, judges the others, and exits 1', () => {
    const input = [JSON.stringify(created(PEOPLE.sm)), '{not json', '42', JSON.stringify({ eventType: 'avi:jira:created:issue', issue: { id: '1' } }), JSON.stringify(updated(PEOPLE.sm, [ITEMS.status()]))].join('\n');
    const { code, lines } = cli(['check', '--config', config, '-'], input);
    expect(code).toBe(1);
    const out = lines.map((l) => JSON.parse(l));
    expect(out[0].violations[0].rule).toBe('item-create');
    expect(out[1]).toEqual({ line: 2, error: expect.stringMatching(/^not valid JSON/) });
    expect(out[2]).toEqual({ line: 3, error: '(root): expected an event object' });
    expect(out[3]).toEqual({ line: 4, error: 'issue.key: expected the work item key as a string' });
    expect(out[4].violations[0].rule).toBe('status-change');
  });

  it('treats an event the app does not watch as no error', () => {
    const { code, lines } = cli(['check', '--config', config, '-'], jsonl({ eventType: 'avi:jira:deleted:issue', issue: { id: '1', key: 'DEMO-1' } }));
    expect(code).toBe(0);
    expect(JSON.parse(lines[0]!)).toEqual({ line: 1, eventType: 'avi:jira:deleted:issue', issueKey: 'DEMO-1', actor: null, violations: [] });
  });

  it('remembers sprint goals along the stream, so a goal edited mid-sprint is seen', () => {
    const { lines } = cli(['check', '--config', config, '-'], jsonl(sprintEvent('started', PEOPLE.sm), sprintEvent('updated', PEOPLE.po, { goal: 'Something else' })));
    expect(JSON.parse(lines[1]!).violations.map((v: { rule: string }) => v.rule)).toEqual(['sprint-goal-change']);
  });

  it('refuses an invalid config before reading any event, naming the path, with exit code 2', () => {
    const bad = file('bad.json', JSON.stringify(baseConfig({ rules: { 'item-create': { mode: 'block' } } })));
    const { code, stdout, stderr } = cli(['check', '--config', bad, join(dir, 'does-not-exist.jsonl')]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/rules\.item-create\.mode: rule "item-create" cannot block/);
    const notJson = file('notjson.json', '{');
    expect(cli(['check', '--config', notJson, '-'], '').stderr).toMatch(/is not valid JSON/);
  });

  it('resolves groups and project roles from a directory file', () => {
    const groupConfig = file('groups.json', JSON.stringify({ version: 1, roles: { developers: { users: [], groups: ['dev-group'] } } }));
    const directory = file('directory.json', JSON.stringify({ [PEOPLE.outsider]: { groups: ['dev-group'] } }));
    const input = jsonl(updated(PEOPLE.outsider, [ITEMS.status()]));
    expect(JSON.parse(cli(['check', '--config', groupConfig, '--directory', directory, '-'], input).lines[0]!).violations).toEqual([]);
    expect(JSON.parse(cli(['check', '--config', groupConfig, '-'], input).lines[0]!).violations).toHaveLength(1);
  });

  it('prints a table for people with --format table', () => {
    const { code, stdout } = cli(['check', '--config', config, '--format', 'table', '-'], jsonl(updated(PEOPLE.stakeholder, [ITEMS.rank()]), created(PEOPLE.po)));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^line\s+event\s+work item\s+actor\s+rule\s+mode/);
    expect(stdout).toMatch(/DEMO-7\s+\S+\s+backlog-rank\s+block/);
    expect(stdout).toMatch(/2 events, 1 violations, 0 errors/);
  });

  it('says on stderr which field ids it assumed when the config has no "fields", and still judges sprint rules', () => {
    const { fields: _fields, ...withoutFields } = baseConfig();
    const noFields = file('no-fields.json', JSON.stringify(withoutFields));
    const sprintEvent = updated(PEOPLE.stakeholder, [ITEMS.rank()], { sprints: [{ id: 5, state: 'active' }] });
    const { code, lines, stderr } = cli(['check', '--config', noFields, '-'], jsonl(sprintEvent));
    expect(code).toBe(0);
    expect(stderr).toMatch(/names no field id for rank, estimate, sprint; assumed Jira Cloud's usual rank customfield_10019, estimate customfield_10016, sprint customfield_10020/);
    // The item is in the active sprint: a sprint rank, not a backlog rank and not silently nothing.
    expect(JSON.parse(lines[0]!).violations.map((v: { rule: string }) => v.rule)).toEqual(['sprint-rank']);
  });

  it('explains its usage', () => {
    expect(cli(['check']).code).toBe(2);
    expect(cli(['check']).stderr).toMatch(/--config is required/);
    expect(cli(['frobnicate']).code).toBe(2);
    expect(cli(['--help']).stdout).toMatch(/Usage: scrum-guard check/);
  });
});
