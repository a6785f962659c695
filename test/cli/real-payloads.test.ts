/**
 * Payloads and changelogs as Jira really wrote them, published in public repositories (see
 * test/fixtures/real-payloads/SOURCES.md), each with its expected verdict. They go through the same
 * code as `scrum-guard check --jira-export`: the audit's replay and the core's engine.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfigOrThrow } from '../../src/core';
import { judgeExport, readExport } from '../../src/cli/export';

const DIR = join(__dirname, '../fixtures/real-payloads');
const json = (name: string): unknown => JSON.parse(readFileSync(join(DIR, name), 'utf8'));

interface Case {
  readonly source: string;
  /** The export as the command reads it. */
  readonly export: unknown;
  readonly config: Record<string, unknown>;
  /** Per judged change (by changelog id): the rules broken, in order. */
  readonly expected: Readonly<Record<string, readonly string[]>>;
}

const roles = (r: Record<string, string[]>) => ({
  productOwner: { users: r['productOwner'] ?? [] },
  scrumMaster: { users: r['scrumMaster'] ?? [] },
  developers: { users: r['developers'] ?? [] },
  stakeholders: { users: r['stakeholders'] ?? [] },
});

const CASES: readonly Case[] = [
  {
    // German Jira Server: the rank field is called "Rang" and its items carry no fieldId. A
    // Developer reordering items that are in no sprint is ordering the Product Backlog.
    source: 'server-de-tarent-changelog.json',
    export: json('server-de-tarent-changelog.json'),
    config: { version: 1, roles: roles({ productOwner: ['gbruec'], developers: ['mmeltz'] }), fields: { rank: 'customfield_10019', sprint: 'customfield_10020' } },
    expected: {
      '1191061': ['backlog-rank'],
      '1191159': ['backlog-rank'],
      '1194137': ['backlog-rank'],
      '1199871': ['backlog-rank'],
      // description and labels: not watched, never judged
    },
  },
  {
    // Jira Cloud of 2015 with Server-era shapes: status moves by a user key no role names (a user
    // key with dots cannot be an account id), so by someone outside the Scrum Team.
    source: 'cloud-2015-kanalyzer-histories.json',
    export: { issues: [{ id: '10402', key: 'KTD-36', fields: { issuetype: { subtask: false } }, changelog: { histories: json('cloud-2015-kanalyzer-histories.json') } }] },
    config: { version: 1, roles: roles({ productOwner: ['5b10a2844c20165700ede21g'], developers: ['5b10ac8d82e05b22cc7d4ef5'] }) },
    expected: { '10204': ['status-change'], '10213': ['status-change'], '10214': ['status-change'] },
  },
];

describe('real payloads, judged as their table says', () => {
  it.each(CASES.map((c) => [c.source, c] as const))('%s', (_source, c) => {
    const read = readExport(JSON.stringify(c.export));
    if (!read.ok) throw new Error(read.error);
    const effective = parseConfigOrThrow(c.config);
    const lines = judgeExport(read.issues, effective, effective.config.fields, {}, () => undefined);
    const judged = Object.fromEntries(lines.filter((l) => l.violations.length > 0).map((l) => [l.changelogId, l.violations.map((v) => v.rule)]));
    expect(judged).toEqual(c.expected);
  });
});
