/**
 * Payloads, changelogs and exports as Jira really wrote them, published in public repositories (see
 * test/fixtures/real-payloads/SOURCES.md), each event with its expected verdict. They go through the
 * command an admin runs: `scrum-guard check` for webhook bodies (one a line), and
 * `scrum-guard check --jira-export` for REST changelogs and exports (the audit's replay).
 *
 * Every verdict is reasoned from the rule catalogue for the roles the row's source config gives:
 * `backlog-rank` allows the Product Owner, `status-change` the Developers, `priority-change` the
 * Product Owner, `assign-others` the Developers (giving the item to oneself breaks nothing),
 * `item-create` the Product Owner and Developers, `sprint-scope-add` (an active sprint only) the
 * Developers and Product Owner. "not watched" means the engine does not look at the change at all.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuleId } from '../../src/core';
import { cliInProcess } from './support';

const DIR = join(__dirname, '../fixtures/real-payloads');
const TMP = mkdtempSync(join(tmpdir(), 'srg-real-'));

type Roles = Partial<Record<'productOwner' | 'scrumMaster' | 'developers' | 'stakeholders', string[]>>;

interface Source {
  /** The fixture file, or the export built around it (a REST changelog page is wrapped in its work item). */
  readonly file: string;
  readonly input: 'events' | 'export';
  readonly exportBody?: () => unknown;
  readonly roles: Roles;
  readonly fields?: Record<string, string>;
}

const config = (source: Source): unknown => ({
  version: 1,
  roles: {
    productOwner: { users: source.roles.productOwner ?? [] },
    scrumMaster: { users: source.roles.scrumMaster ?? [] },
    developers: { users: source.roles.developers ?? [] },
    stakeholders: { users: source.roles.stakeholders ?? [] },
  },
  ...(source.fields ? { fields: source.fields } : {}),
});

const SOURCES = {
  // Jira Server in German: the rank field is "Rang" and its items carry no fieldId.
  german: {
    file: 'server-de-tarent-changelog.json',
    input: 'export',
    roles: { productOwner: ['gbruec'], developers: ['mmeltz'] },
    fields: { rank: 'customfield_10019', sprint: 'customfield_10020' },
  },
  // Jira Cloud of 2015 with Server-era histories (authors by user key, no fieldId).
  kanalyzer: {
    file: 'cloud-2015-kanalyzer-histories.json',
    input: 'export',
    exportBody: () => ({ issues: [{ id: '10402', key: 'KTD-36', fields: { issuetype: { subtask: false } }, changelog: { histories: json('cloud-2015-kanalyzer-histories.json') } }] }),
    roles: { productOwner: ['5b10a2844c20165700ede21g'], developers: ['5b10ac8d82e05b22cc7d4ef5'] },
  },
  // Webhook bodies of a Server of 2013 and of Cloud sites of 2013 to 2017 (users by name, key and account id).
  zulip: {
    file: 'zulip-webhooks.jsonl',
    input: 'events',
    roles: { productOwner: ['99:b8d8a054-2e12-4839-bd5f-5f2b7c5f5e3a'], scrumMaster: ['99:27935d01-92a7-4687-8272-a9b8d3b2ae2e', 'lfranchi'], developers: ['99:e2f12cf6-839d-4ea2-ae07-e1a59cb009c8'] },
    fields: { rank: 'customfield_10019', sprint: 'customfield_10020', estimate: 'customfield_10016' },
  },
  // Webhook bodies of a Russian-language Cloud site of 2019 (statuses "В работе", types "Эпик", "Tarea").
  russian: {
    file: 'cloud-2019-ru-webhooks.jsonl',
    input: 'events',
    roles: { productOwner: ['5c07f55ba1b46046f530e0f3'], developers: ['5b912e21fa38ae2c896099ae'] },
    fields: { rank: 'customfield_10019', sprint: 'customfield_10020', estimate: 'customfield_10016' },
  },
  // A Brazilian-Portuguese Cloud site of 2025: current shapes (fieldId everywhere, the sprint field as objects).
  portuguese: {
    file: 'cloud-2025-pt-br-export.json',
    input: 'export',
    roles: { productOwner: ['5e1c75cd5523db0ca669f853'], stakeholders: ['624c9b884fe01d006baa37e4'] },
    fields: { rank: 'customfield_10019', sprint: 'customfield_10020', estimate: 'customfield_10016' },
  },
  // Jira Server of 2021: the sprint field in the old text form (one sprint ACTIVE), sprint and rank
  // items without fieldId, the rank written by a field named "Rank (Obsolete)".
  legacySprint: {
    file: 'server-2021-legacy-sprint-export.json',
    input: 'export',
    roles: { productOwner: ['a'], scrumMaster: ['n'], developers: ['c'] },
    fields: { rank: 'customfield_13550', sprint: 'customfield_11450' },
  },
} satisfies Record<string, Source>;

type SourceName = keyof typeof SOURCES;

/** One event's expected verdict: the rules broken (in order) and, for exports, the active sprint it was in. */
type Expected = { readonly rules: readonly RuleId[]; readonly sprint?: string | null } | 'not watched';

interface Row {
  readonly source: SourceName;
  /** The changelog id (exports), `created` for the creation, or `line N` (webhook bodies). */
  readonly event: string;
  readonly what: string;
  readonly expected: Expected;
}

const none = { rules: [] } as const;

const TABLE: readonly Row[] = [
  { source: 'german', event: '1191061', what: 'a Developer ranks a backlog item ("Rang", no fieldId)', expected: { rules: ['backlog-rank'], sprint: null } },
  { source: 'german', event: '1191159', what: 'a Developer ranks it lower ("Rang", no fieldId)', expected: { rules: ['backlog-rank'], sprint: null } },
  { source: 'german', event: '1194137', what: 'a Developer ranks a backlog item ("Rang", no fieldId)', expected: { rules: ['backlog-rank'], sprint: null } },
  { source: 'german', event: '1194140', what: 'description edited', expected: 'not watched' },
  { source: 'german', event: '1194141', what: 'labels edited', expected: 'not watched' },
  { source: 'german', event: '1199871', what: 'a Developer ranks a backlog item ("Rang", no fieldId)', expected: { rules: ['backlog-rank'], sprint: null } },

  { source: 'kanalyzer', event: '10204', what: 'status moved by a user key no role names (outside the Scrum Team)', expected: { rules: ['status-change'], sprint: null } },
  { source: 'kanalyzer', event: '10213', what: 'status moved by someone outside the Scrum Team', expected: { rules: ['status-change'], sprint: null } },
  { source: 'kanalyzer', event: '10214', what: 'resolution and status by someone outside the Scrum Team', expected: { rules: ['status-change'], sprint: null } },

  { source: 'zulip', event: 'line 1', what: 'Server 2013: the Scrum Master assigns himself, user names only', expected: none },
  { source: 'zulip', event: 'line 2', what: 'the Scrum Master assigns himself: a user name in `to`, his account id in issue.fields.assignee', expected: none },
  { source: 'zulip', event: 'line 3', what: 'a Developer changes the priority (Cloud 2014)', expected: { rules: ['priority-change'] } },
  { source: 'zulip', event: 'line 4', what: 'the Product Owner moves the status (Cloud 2017)', expected: { rules: ['status-change'] } },

  { source: 'russian', event: 'line 1', what: 'status moved by an account no role names', expected: { rules: ['status-change'] } },
  { source: 'russian', event: 'line 2', what: 'the Product Owner gives the item to a Developer (tmpToAccountId)', expected: { rules: ['assign-others'] } },
  { source: 'russian', event: 'line 3', what: 'the Product Owner ranks a backlog item lower (fieldId customfield_10019)', expected: none },

  { source: 'portuguese', event: 'created', what: 'a stakeholder creates a task', expected: { rules: ['item-create'], sprint: null } },
  { source: 'portuguese', event: '125076', what: 'a stakeholder adds it to the active sprint "Outubro"', expected: { rules: ['sprint-scope-add'], sprint: '1405' } },
  { source: 'portuguese', event: '125077', what: 'summary edited', expected: 'not watched' },
  { source: 'portuguese', event: '125078', what: 'time logged', expected: 'not watched' },
  { source: 'portuguese', event: '125079', what: 'time logged', expected: 'not watched' },
  { source: 'portuguese', event: '125093', what: 'parent set (IssueParentAssociation, no fieldId)', expected: 'not watched' },

  { source: 'legacySprint', event: 'created', what: 'a Developer creates a story', expected: { rules: [], sprint: null } },
  { source: 'legacySprint', event: '4182387', what: 'the Product Owner puts it in a sprint that is not active (no fieldId)', expected: { rules: [], sprint: null } },
  { source: 'legacySprint', event: '4200442', what: 'the Scrum Master moves it between sprints that are not active', expected: { rules: [], sprint: null } },
  { source: 'legacySprint', event: '4200457', what: 'the Scrum Master ranks a backlog item ("Rank (Obsolete)", no fieldId)', expected: { rules: ['backlog-rank'], sprint: null } },
  { source: 'legacySprint', event: '4238044', what: 'the Scrum Master ranks a backlog item ("Rank (Obsolete)", no fieldId)', expected: { rules: ['backlog-rank'], sprint: null } },
  { source: 'legacySprint', event: '4298662', what: 'a Developer plans it into the next sprint, not yet started', expected: { rules: [], sprint: null } },
  { source: 'legacySprint', event: '4352449', what: 'a Developer moves the status, in the active sprint 846', expected: { rules: [], sprint: '846' } },
  { source: 'legacySprint', event: '4355021', what: 'attachments added', expected: 'not watched' },
  { source: 'legacySprint', event: '4368290', what: 'carried over at the sprint’s close into a sprint not yet started', expected: { rules: [], sprint: null } },
  { source: 'legacySprint', event: '4426933', what: 'attachment added', expected: 'not watched' },
  { source: 'legacySprint', event: '4436438', what: 'a Developer moves the status, in the active sprint 861', expected: { rules: [], sprint: '861' } },
  { source: 'legacySprint', event: '4436442', what: 'carried over into sprint 878 before it starts', expected: { rules: [], sprint: null } },
  { source: 'legacySprint', event: '4437013', what: 'a Developer ranks it between two sprints ("Rank (Obsolete)")', expected: { rules: ['backlog-rank'], sprint: null } },
  { source: 'legacySprint', event: '4460002', what: 'a Developer assigns himself (user name), in sprint 878 (ACTIVE in the old text form)', expected: { rules: [], sprint: '878' } },
  { source: 'legacySprint', event: '4513793', what: 'a Developer moves the status, in sprint 878 (ACTIVE in the old text form)', expected: { rules: [], sprint: '878' } },
];

function json(name: string): unknown {
  return JSON.parse(readFileSync(join(DIR, name), 'utf8'));
}

interface Judged {
  readonly rules: RuleId[];
  readonly sprint?: string | null;
}

/** Each source judged once by the command, by event. */
const judged = new Map<SourceName, Map<string, Judged>>();

async function judge(name: SourceName): Promise<Map<string, Judged>> {
  const cached = judged.get(name);
  if (cached) return cached;
  const source: Source = SOURCES[name];
  const configFile = join(TMP, `${name}.config.json`);
  writeFileSync(configFile, JSON.stringify(config(source)));
  let args: string[];
  if (source.input === 'events') args = ['check', '--config', configFile, join(DIR, source.file)];
  else {
    let file = join(DIR, source.file);
    if (source.exportBody) writeFileSync((file = join(TMP, `${name}.export.json`)), JSON.stringify(source.exportBody()));
    args = ['check', '--config', configFile, '--jira-export', file];
  }
  const result = await cliInProcess(args, {});
  if (result.code !== 0) throw new Error(`scrum-guard ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  const byEvent = new Map<string, Judged>();
  for (const text of result.stdout.split('\n').filter((t) => t.trim() !== '')) {
    const line = JSON.parse(text) as { line: number; changelogId?: string | null; sprintId?: string | null; violations: { rule: RuleId }[] };
    const key = source.input === 'events' ? `line ${line.line}` : (line.changelogId ?? 'created');
    byEvent.set(key, { rules: line.violations.map((v) => v.rule), ...(source.input === 'export' ? { sprint: line.sprintId ?? null } : {}) });
  }
  judged.set(name, byEvent);
  return byEvent;
}

/** Every event the fixture holds, by the key the table uses. */
function eventsIn(name: SourceName): string[] {
  const source: Source = SOURCES[name];
  if (source.input === 'events') return readFileSync(join(DIR, source.file), 'utf8').trim().split('\n').map((_, i) => `line ${i + 1}`);
  const body = (source.exportBody ? source.exportBody() : json(source.file)) as { issues: { fields: { created?: string }; changelog: { histories: { id: string }[] } }[] };
  return body.issues.flatMap((issue) => [...(issue.fields.created ? ['created'] : []), ...issue.changelog.histories.map((h) => h.id)]);
}

describe('real payloads, judged as their table says', () => {
  it('has a row for every event of every fixture, at least 30 events from at least 5 sources', () => {
    for (const name of Object.keys(SOURCES) as SourceName[]) {
      expect(TABLE.filter((r) => r.source === name).map((r) => r.event).sort()).toEqual(eventsIn(name).sort());
    }
    expect(TABLE.length).toBeGreaterThanOrEqual(30);
    expect(Object.keys(SOURCES).length).toBeGreaterThanOrEqual(5);
  });

  it.each(TABLE.map((row) => [`${row.source} ${row.event}: ${row.what}`, row] as const))('%s', async (_name, row) => {
    const byEvent = await judge(row.source);
    const got = byEvent.get(row.event);
    if (row.expected === 'not watched') expect(got).toBeUndefined();
    else expect(got).toEqual(row.expected);
  });
});
