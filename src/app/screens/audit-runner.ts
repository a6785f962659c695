/**
 * Runs the audit in steps through a Forge queue, so that a long history never meets the 25-second
 * limit of one invocation: a `prepare` step finds the work items, the sprints and who holds which
 * role; each later step replays one chunk of work items and queues the next. Progress and totals
 * live in the app's cache (KVS) under `audit:<id>`, where `auditProgress` reads them. A step that fails is retried by
 * Forge; the stored position moves only after a chunk is done, so a retry redoes that chunk only.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { parseConfigOrThrow, type ProjectConfig } from '../../core/config';
import type { FieldIds } from '../../core/events';
import { LIMITS } from '../../shared/limits';
import { AUDIT_QUEUE, type AuditState, type AuditView } from '../../shared/resolver-api';
import { addReplay, auditReport, changedSinceJql, emptyTotals, notJudgedOf, replayIssue, type AuditDirectory, type AuditSprint, type AuditTotals, type ReplayContext } from '../audit';
import { readAuditIssues } from '../history-reads';
import { requireProjectAdmin } from './access';
import type { CallerContext } from './context';
import { requireProject } from './context';
import type { ScreenDeps } from './deps';
import { loadDirectory } from './directory';
import { notFound, ScreenError } from './errors';
import { parseDocument, peopleNamed } from './settings';
import { DAY_MS } from '../retention';

export const AUDIT_QUEUE_KEY = AUDIT_QUEUE.queue;
/** Work items replayed per queued step: one bulk changelog read and one search each. */
export const AUDIT_CHUNK_SIZE = 50;
/** The most work items one audit looks at; the page says so when a project has more. */
export const AUDIT_MAX_ISSUES = 5000;
/** Finished audits are kept a week: long enough to read, short enough not to pile up. */
const AUDIT_KEPT_SECONDS = 7 * 24 * 3600;

interface StoredAudit {
  auditId: string;
  projectKey: string;
  requestedBy: string;
  createdAt: string;
  document: ProjectConfig;
  days: number;
  since: string;
  state: AuditState;
  error: string | null;
  fields: FieldIds;
  /** The app's own account: its undos are left out. Absent in audits stored before it existed. */
  appAccountId?: string;
  issueKeys: string[];
  processed: number;
  sprints: AuditSprint[];
  directory: AuditDirectory;
  totals: AuditTotals;
  notJudged: { reason: string; count: number }[];
}

const stepSchema = z.object({ auditId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/), step: z.enum(['prepare', 'replay']) });

const storageKey = (auditId: string): string => `audit:${auditId}`;

async function load(deps: ScreenDeps, auditId: string): Promise<StoredAudit | undefined> {
  return deps.cache.get<StoredAudit>(storageKey(auditId));
}

async function store(deps: ScreenDeps, audit: StoredAudit): Promise<void> {
  await deps.cache.set(storageKey(audit.auditId), audit, AUDIT_KEPT_SECONDS);
}

async function queueStep(deps: ScreenDeps, auditId: string, step: 'prepare' | 'replay'): Promise<void> {
  await deps.auditQueue.push([{ auditId, step }]);
}

export async function startAudit(context: CallerContext, deps: ScreenDeps, document: unknown, days: number): Promise<AuditView> {
  const projectKey = requireProject(context);
  await requireProjectAdmin(deps.reads, projectKey);
  const { effective } = parseDocument(document);
  const now = deps.clock.now();
  const audit: StoredAudit = {
    auditId: randomUUID(),
    projectKey,
    requestedBy: context.accountId,
    createdAt: now.toISOString(),
    document: effective.config,
    days,
    since: new Date(now.getTime() - days * DAY_MS).toISOString(),
    state: 'queued',
    error: null,
    fields: {},
    issueKeys: [],
    processed: 0,
    sprints: [],
    directory: { groupMembers: {}, projectRoleMembers: {} },
    totals: emptyTotals(),
    notJudged: [],
  };
  await store(deps, audit);
  await queueStep(deps, audit.auditId, 'prepare');
  return view(deps, audit);
}

export async function auditProgress(context: CallerContext, deps: ScreenDeps, auditId: string): Promise<AuditView> {
  const projectKey = requireProject(context);
  await requireProjectAdmin(deps.reads, projectKey);
  const audit = await load(deps, auditId);
  // Another project's audit is as good as missing.
  if (!audit || audit.projectKey !== projectKey) throw notFound('That audit is not known here (audits are kept for a week); start a new one.');
  return view(deps, audit, true);
}

async function view(deps: ScreenDeps, audit: StoredAudit, withNames = false): Promise<AuditView> {
  const report = auditReport(audit.totals);
  const people = withNames && report.byPerson.length > 0 ? await peopleNamed(deps, report.byPerson.map((p) => p.accountId)) : [];
  return {
    auditId: audit.auditId,
    state: audit.state,
    days: audit.days,
    since: audit.since,
    processed: audit.processed,
    total: audit.issueKeys.length,
    error: audit.error,
    ...report,
    notJudged: audit.notJudged,
    people,
  };
}

// ---------------------------------------------------------------------------------------------
// The queue consumer's steps

async function prepare(deps: ScreenDeps, audit: StoredAudit): Promise<StoredAudit> {
  const found = await deps.reads.agileFieldIds('app');
  const fields: FieldIds = { ...found, ...audit.document.fields };
  const [sprints, issues, directory, appAccount] = await Promise.all([
    deps.reads.projectSprints(audit.projectKey, 'app'),
    deps.reads.searchIssues(changedSinceJql(audit.projectKey, audit.days), ['key'], 'app', AUDIT_MAX_ISSUES),
    loadDirectory(deps.reads, audit.projectKey, audit.document),
    deps.reads.appAccountId(),
  ]);
  const auditSprints = sprints.map((s) => ({ id: String(s.id), startDate: s.startDate ?? null, completeDate: s.completeDate ?? null }));
  return {
    ...audit,
    state: 'running',
    fields,
    appAccountId: appAccount,
    issueKeys: issues.map((i) => i.key),
    sprints: auditSprints,
    directory: { groupMembers: directory.groupMembers, projectRoleMembers: directory.projectRoleMembers },
    notJudged: notJudgedOf(auditSprints, new Date(audit.since), issues.length >= AUDIT_MAX_ISSUES ? { cap: AUDIT_MAX_ISSUES } : null),
  };
}

async function replayChunk(deps: ScreenDeps, audit: StoredAudit): Promise<StoredAudit> {
  const keys = audit.issueKeys.slice(audit.processed, audit.processed + AUDIT_CHUNK_SIZE);
  if (keys.length === 0) return { ...audit, state: 'done' };
  const issues = await readAuditIssues(deps.reads, audit.projectKey, audit.fields, keys);
  const context: ReplayContext = {
    sprints: new Map(audit.sprints.map((s) => [s.id, s])),
    effective: parseConfigOrThrow(audit.document),
    directory: audit.directory,
    fields: audit.fields,
    since: new Date(audit.since),
    appAccountIds: new Set(audit.appAccountId ? [audit.appAccountId] : []),
  };
  let totals = audit.totals;
  for (const issue of issues) totals = addReplay(totals, replayIssue(issue, context), LIMITS.auditMaxFindings);
  const processed = audit.processed + keys.length;
  return { ...audit, totals, processed, state: processed >= audit.issueKeys.length ? 'done' : 'running' };
}

/** One queued step. Errors other than Jira's refusals propagate, so Forge retries the step. */
export async function runAuditStep(body: unknown, deps: ScreenDeps): Promise<void> {
  const step = stepSchema.parse(body);
  const audit = await load(deps, step.auditId);
  if (!audit || audit.state === 'done' || audit.state === 'failed') return;
  let next: StoredAudit;
  try {
    next = step.step === 'prepare' ? await prepare(deps, audit) : await replayChunk(deps, audit);
  } catch (error) {
    if (error instanceof ScreenError) {
      await store(deps, { ...audit, state: 'failed', error: error.message });
      return;
    }
    throw error;
  }
  await store(deps, next);
  if (next.state === 'running') await queueStep(deps, next.auditId, 'replay');
}

/** The consumer's answer to a step that keeps failing: the audit is marked failed so the page stops waiting. */
export async function failAudit(body: unknown, reason: string, deps: ScreenDeps): Promise<void> {
  const parsed = stepSchema.safeParse(body);
  if (!parsed.success) return;
  const audit = await load(deps, parsed.data.auditId);
  if (audit && audit.state !== 'done') await store(deps, { ...audit, state: 'failed', error: reason });
}
