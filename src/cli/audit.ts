/**
 * `scrum-guard audit`: replays a project's history on a live Jira site through the rules, with the
 * same replay and the same report as the in-app "Try it first" (src/app/audit.ts). It only reads:
 *
 * - the project (`GET /rest/api/3/project/{key}`) and the config the app publishes in the project
 *   property `scrum-role-guard-config` (`GET /rest/api/3/project/{key}/properties/{propertyKey}`),
 *   unless `--config` names a file;
 * - the site's rank, sprint and estimate fields by custom type (`GET /rest/api/3/field`);
 * - the project's boards and their sprints (`GET /rest/agile/1.0/board`, `.../board/{id}/sprint`);
 * - the members of the groups and project roles the config names;
 * - the work items changed in the window with their changelogs, page by page
 *   (`GET /rest/api/3/search/jql` with `nextPageToken` and `expand=changelog`), and the rest of a
 *   long changelog from `GET /rest/api/3/issue/{id}/changelog` when the search embedded only part.
 *
 * One page of work items is held at a time; what is kept across pages is the report's totals, its
 * newest findings, and the names of the people in it.
 */
import { readFileSync } from 'node:fs';
import { parseConfig, ROLE_LABELS, type EffectiveConfig, type FieldIds, type ProjectConfig } from '../core';
import {
  addReplay,
  AUDIT_REPORT_MAX_FINDINGS,
  auditReport,
  changedSinceJql,
  emptyTotals,
  notJudgedOf,
  readDirectory,
  replayIssue,
  toAuditChangelog,
  toAuditIssue,
  type AuditDirectory,
  type AuditFindingRecord,
  type AuditReport,
  type AuditSprint,
  type ReplayContext,
} from '../app/audit';
import {
  AGILE_FIELD_TYPES,
  boardsSchema,
  changelogPageSchema,
  fieldListSchema,
  groupMembersSchema,
  projectSchema,
  publishedConfigSchema,
  roleActorsSchema,
  searchPageSchema,
  sprintsSchema,
  type History,
} from './jira-answers';
import { AuthenticationError, JiraAnswerError, JiraClient, NotFoundOrForbiddenError, UnreachableError, type RetryPolicy } from './jira-client';
import { Progress } from './progress';
import { DAY_MS } from '../app/retention';

export const PUBLISHED_CONFIG_PROPERTY = 'scrum-role-guard-config';
/** The name Forge gives the app's own account on a site: the app's name. */
export const APP_ACCOUNT_NAME = 'Scrum Role Guard';
const SEARCH_PAGE = 50;

export interface AuditCommandOptions {
  readonly site: string;
  readonly project: string;
  readonly days: number;
  readonly configPath?: string | undefined;
  readonly format: 'table' | 'json' | 'jsonl';
  /** The app's own account id, when known; otherwise it is recognised by type and name. */
  readonly appAccount?: string | undefined;
  readonly email: string;
  readonly apiToken: string;
  readonly retry?: RetryPolicy;
}

export interface AuditIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stderrIsTTY: boolean;
  readonly now: () => Date;
}

/** What `--format json` prints. */
export interface AuditOutput extends AuditReport {
  readonly site: string;
  readonly project: string;
  readonly days: number;
  readonly since: string;
  readonly config: string;
  readonly fields: FieldIds;
  readonly workItems: number;
  readonly notJudged: readonly { readonly reason: string; readonly count: number }[];
  readonly people: Readonly<Record<string, string>>;
  readonly sprints: Readonly<Record<string, string>>;
}

class UsageError extends Error {}

const path = (strings: TemplateStringsArray, ...values: (string | number)[]): string =>
  strings.reduce((out, s, i) => out + s + (i < values.length ? encodeURIComponent(String(values[i])) : ''), '');

async function loadConfig(client: JiraClient, options: AuditCommandOptions): Promise<{ config: EffectiveConfig; source: string; warnings: string[] }> {
  let document: unknown;
  let source: string;
  if (options.configPath) {
    try {
      document = JSON.parse(readFileSync(options.configPath, 'utf8'));
    } catch (error) {
      throw new UsageError(`cannot read the config ${options.configPath}: ${error instanceof Error ? error.message : String(error)}`);
    }
    source = options.configPath;
  } else {
    const published = await client.get(path`/rest/api/3/project/${options.project}/properties/${PUBLISHED_CONFIG_PROPERTY}`, publishedConfigSchema, 'the published config', true);
    if (published === null) {
      throw new UsageError(
        `a config is needed: the project ${options.project} has no Scrum Role Guard config (the app publishes it in the project property "${PUBLISHED_CONFIG_PROPERTY}" once its settings are saved). Save the settings in the app, or pass --config <config.json>.`,
      );
    }
    document = published.value.config;
    source = `project property ${PUBLISHED_CONFIG_PROPERTY}${published.value.revision === undefined ? '' : ` (revision ${published.value.revision})`}`;
  }
  const parsed = parseConfig(document);
  if (!parsed.ok) throw new UsageError(`invalid config (${source}):\n${parsed.errors.map((e) => `  ${e.path}: ${e.message}`).join('\n')}`);
  return { config: parsed.effective, source, warnings: parsed.warnings.map((w) => `${w.path}: ${w.message}`) };
}

async function siteFields(client: JiraClient, config: ProjectConfig): Promise<FieldIds> {
  const fields = await client.get('/rest/api/3/field', fieldListSchema, 'the field list');
  const byType = (type: string): string | undefined => fields.find((f) => f.schema?.custom === type)?.id;
  const found: Record<string, string> = {};
  for (const [name, type] of Object.entries(AGILE_FIELD_TYPES)) {
    const id = byType(type);
    if (id) found[name] = id;
  }
  return { ...found, ...config.fields };
}

async function projectSprints(client: JiraClient, project: string): Promise<{ sprints: AuditSprint[]; names: Record<string, string> }> {
  const sprints = new Map<string, AuditSprint>();
  const names: Record<string, string> = {};
  for (let boardsAt = 0; ; ) {
    const boards = await client.get(path`/rest/agile/1.0/board?projectKeyOrId=${project}&startAt=${boardsAt}&maxResults=50`, boardsSchema, 'the project’s boards');
    for (const board of boards.values) {
      for (let startAt = 0; ; ) {
        const page = await client.get(path`/rest/agile/1.0/board/${board.id}/sprint?startAt=${startAt}&maxResults=50`, sprintsSchema, `the sprints of board ${board.id}`);
        for (const s of page.values) {
          sprints.set(String(s.id), { id: String(s.id), startDate: s.startDate ?? null, completeDate: s.completeDate ?? null });
          if (s.name) names[String(s.id)] = s.name;
        }
        if (page.isLast !== false || page.values.length === 0) break;
        startAt += page.values.length;
      }
    }
    if (boards.isLast !== false || boards.values.length === 0) break;
    boardsAt += boards.values.length;
  }
  return { sprints: [...sprints.values()], names };
}

async function directoryOf(client: JiraClient, project: string, config: ProjectConfig, warn: (line: string) => void): Promise<AuditDirectory> {
  return readDirectory(config, true, {
    async groupMembers(groupId) {
      const members: string[] = [];
      for (let startAt = 0; ; ) {
        const page = await client.get(path`/rest/api/3/group/member?groupId=${groupId}&startAt=${startAt}&maxResults=50`, groupMembersSchema, `the members of group ${groupId}`, true);
        if (page === null) {
          warn(`the group ${groupId} named in the config does not exist (or cannot be read): its members count as in no role`);
          return null;
        }
        members.push(...page.values.filter((m) => m.active !== false).map((m) => m.accountId));
        if (page.isLast !== false || page.values.length === 0) return members;
        startAt += page.values.length;
      }
    },
    async projectRoleActors(roleId) {
      const role = await client.get(path`/rest/api/3/project/${project}/role/${roleId}`, roleActorsSchema, `project role ${roleId}`, true);
      if (role === null) {
        warn(`the project role ${roleId} cannot be read (it needs project admin rights, or it no longer exists): its members count as in no role`);
        return null;
      }
      return {
        users: role.actors.flatMap((a) => (a.actorUser ? [a.actorUser.accountId] : [])),
        groups: role.actors.flatMap((a) => (a.actorGroup?.groupId ? [a.actorGroup.groupId] : [])),
      };
    },
  });
}

async function countWorkItems(client: JiraClient, jql: string): Promise<number> {
  let count = 0;
  for (let token: string | undefined; ; ) {
    const page = await client.get(`/rest/api/3/search/jql?${new URLSearchParams({ jql, fields: 'id', maxResults: '5000', ...(token ? { nextPageToken: token } : {}) })}`, searchPageSchema, 'the work items to replay');
    count += page.issues.length;
    if (!page.nextPageToken || page.issues.length === 0) return count;
    token = page.nextPageToken;
  }
}

/** Every history of a work item: the embedded page when it is complete, otherwise all pages of issue/{id}/changelog. */
async function historiesOf(client: JiraClient, issue: { id: string; key: string; changelog?: { total?: number | undefined; histories: History[] } | undefined }): Promise<History[]> {
  const embedded = issue.changelog?.histories ?? [];
  if (issue.changelog && (issue.changelog.total === undefined || issue.changelog.total <= embedded.length)) return embedded;
  const all: History[] = [];
  for (let startAt = 0; ; ) {
    const page = await client.get(path`/rest/api/3/issue/${issue.id}/changelog?startAt=${startAt}&maxResults=100`, changelogPageSchema, `the changelog of ${issue.key}`);
    all.push(...page.values);
    if (page.isLast !== false || page.values.length === 0) return all;
    startAt += page.values.length;
  }
}

/** Runs the audit and prints the report. Exit codes: 0 done, 2 usage, config, 401, 403 or 404, 3 Jira unreachable. */
export async function runAudit(options: AuditCommandOptions, io: AuditIo): Promise<number> {
  const say = (line: string): void => {
    io.stderr.write(`scrum-guard: ${line}\n`);
  };
  let progress: Progress | null = null;
  const client = new JiraClient({
    site: options.site,
    email: options.email,
    apiToken: options.apiToken,
    ...(options.retry ? { retry: options.retry } : {}),
    onWait: (reason, ms) => {
      const line = `${reason}: waiting ${Math.ceil(ms / 1000)} s`;
      if (progress) progress.message(`scrum-guard: ${line}`);
      else say(line);
    },
  });
  try {
    await client.get(path`/rest/api/3/project/${options.project}`, projectSchema, `the project ${options.project}`).catch((error: unknown) => {
      if (error instanceof NotFoundOrForbiddenError) {
        throw new NotFoundOrForbiddenError(error.status, error.path, `Jira answered ${error.status} for the project ${options.project}: no such project on ${options.site}, or no permission to browse it`);
      }
      throw error;
    });
    const { config, source, warnings } = await loadConfig(client, options);
    for (const warning of warnings) say(`warning: ${warning}`);
    const fields = await siteFields(client, config.config);
    const { sprints, names: sprintNames } = await projectSprints(client, options.project);
    const directory = await directoryOf(client, options.project, config.config, (line) => say(`warning: ${line}`));

    const now = io.now();
    const since = new Date(now.getTime() - options.days * DAY_MS);
    const jql = changedSinceJql(options.project, options.days);
    const total = await countWorkItems(client, jql);
    say(`replaying ${total} work items of ${options.project} changed in the last ${options.days} days, with the config from ${source}`);

    const appAccountIds = new Set<string>(options.appAccount ? [options.appAccount] : []);
    const people = new Map<string, string>();
    const context: ReplayContext = { sprints: new Map(sprints.map((s) => [s.id, s])), effective: config, directory, fields, since, appAccountIds };
    const wanted = ['issuetype', 'project', 'created', 'creator', ...(fields.sprint ? [fields.sprint] : [])].join(',');
    let totals = emptyTotals();
    let workItems = 0;
    progress = new Progress({ stream: io.stderr, isTTY: io.stderrIsTTY }, total, 'work items');
    progress.update(0);
    for (let token: string | undefined; ; ) {
      const query = new URLSearchParams({ jql, fields: wanted, expand: 'changelog', maxResults: String(SEARCH_PAGE), ...(token ? { nextPageToken: token } : {}) });
      const page = await client.get(`/rest/api/3/search/jql?${query}`, searchPageSchema, 'the work items and their changelogs');
      for (const issue of page.issues) {
        const histories = await historiesOf(client, issue);
        for (const h of histories) {
          const author = h.author;
          if (!author?.accountId) continue;
          if (author.accountType === 'app' && author.displayName === APP_ACCOUNT_NAME && !appAccountIds.has(author.accountId)) {
            appAccountIds.add(author.accountId);
            progress.message(`scrum-guard: leaving out the changes of the app’s own account (${author.accountId}): the app never judges its own changes`);
          }
          if (author.displayName && !people.has(author.accountId)) people.set(author.accountId, author.displayName);
        }
        const replay = replayIssue(toAuditIssue(issue, options.project, fields, histories.map(toAuditChangelog)), context);
        if (options.format === 'jsonl') for (const finding of replay.findings) io.stdout.write(`${JSON.stringify({ type: 'finding', ...withoutChangelogId(finding) })}\n`);
        totals = addReplay(totals, replay, AUDIT_REPORT_MAX_FINDINGS);
        workItems++;
      }
      progress.update(workItems);
      if (!page.nextPageToken || page.issues.length === 0) break;
      token = page.nextPageToken;
    }
    progress.finish(workItems);

    const report = auditReport(totals);
    const inReport = new Set(report.byPerson.map((p) => p.accountId));
    const output: AuditOutput = {
      site: options.site,
      project: options.project,
      days: options.days,
      since: since.toISOString(),
      config: source,
      fields,
      workItems,
      ...report,
      notJudged: notJudgedOf(sprints, since, null),
      people: Object.fromEntries([...people].filter(([id]) => inReport.has(id))),
      sprints: Object.fromEntries(report.bySprint.flatMap((s) => (s.sprintId !== null && sprintNames[s.sprintId] ? [[s.sprintId, sprintNames[s.sprintId]!]] : []))),
    };
    if (options.format === 'json') io.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    else if (options.format === 'jsonl') {
      const { findings: _findings, ...summary } = output;
      io.stdout.write(`${JSON.stringify({ type: 'report', ...summary })}\n`);
    } else io.stdout.write(`${formatAuditTable(output)}\n`);
    return 0;
  } catch (error) {
    if (progress) io.stderr.write('\n');
    if (error instanceof UsageError || error instanceof AuthenticationError || error instanceof NotFoundOrForbiddenError) {
      say(error.message);
      return 2;
    }
    if (error instanceof UnreachableError) {
      say(error.message);
      return 3;
    }
    if (error instanceof JiraAnswerError) {
      say(error.message);
      return 2;
    }
    throw error;
  }
}

function withoutChangelogId(finding: AuditFindingRecord): Omit<AuditFindingRecord, 'changelogId'> {
  const { changelogId: _unused, ...rest } = finding;
  return rest;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const render = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [render(rows[0]!), render(widths.map((w) => '-'.repeat(w))), ...rows.slice(1).map(render)].join('\n');
}

/** The report for people: per rule, per person, per sprint, then the newest findings. */
export function formatAuditTable(output: AuditOutput): string {
  const name = (id: string): string => output.people[id] ?? id;
  const total = output.byRule.reduce((sum, r) => sum + r.count, 0);
  const parts = [
    `${output.project} on ${output.site}: ${output.workItems} work items, ${output.eventsReplayed} changes replayed since ${output.since} (config: ${output.config})`,
    total === 0 ? 'Nothing would have been flagged or blocked.' : `${total} would have been flagged or blocked.`,
  ];
  if (total > 0) {
    parts.push('', 'Per rule', table([['rule', 'mode', 'count'], ...output.byRule.map((r) => [r.rule, r.mode, String(r.count)])]));
    parts.push('', 'Per person', table([['person', 'roles', 'count', 'rules'], ...output.byPerson.map((p) => [name(p.accountId), p.roles.map((r) => ROLE_LABELS[r]).join(', ') || 'outside the Scrum Team', String(p.count), p.rules.join(', ')])]));
    parts.push('', 'Per sprint', table([['sprint', 'count'], ...output.bySprint.map((s) => [s.sprintId === null ? 'no active sprint' : (output.sprints[s.sprintId] ?? s.sprintId), String(s.count)])]));
    parts.push(
      '',
      `Newest ${output.findings.length}${output.findingsTruncated ? ` of ${total}` : ''}`,
      table([['when', 'work item', 'person', 'rule', 'mode', 'change'], ...output.findings.map((f) => [f.at, f.issueKey ?? '', name(f.actor), f.rule, f.mode, [f.fromText, f.toText].filter((v) => v !== null && v !== '').join(' → ')])]),
    );
  }
  for (const n of output.notJudged) parts.push(`Not judged: ${n.count} ${n.reason}`);
  return parts.join('\n');
}
