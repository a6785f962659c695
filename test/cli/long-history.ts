/**
 * A long project history on the local Jira, for the memory bound of `scrum-guard audit`: thousands
 * of work items, each with many changelog histories (some longer than the 100 that `expand=changelog`
 * embeds, so the rest is paged from issue/{id}/changelog). The items go into the site's state; the
 * routes that serve them, and the contract checks on every request and answer, are the site's own.
 *
 * Also the command's run with a bounded heap in a child process, and its peak memory as measured
 * from inside it (test/cli/peak-memory.cjs).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { ISSUE_TYPE_IDS, PEOPLE, SPRINT_IDS, STATUS_IDS, type JiraSite } from '../../sandbox/jira';
import type { ChangeItem, Issue } from '../../sandbox/jira/model';
import { addDays, jiraDateTime } from '../../sandbox/jira/dates';
import type { RunningServer } from '../../sandbox/server/server';
import { BIN, ROOT } from './support';

export interface LongHistoryOptions {
  /** Work items added to the demo project. */
  readonly items: number;
  /** Histories of an ordinary item. */
  readonly historiesPerItem: number;
  /** Every this many items, one with `longHistories` histories instead. */
  readonly longEvery: number;
  readonly longHistories: number;
}

export const LONG_HISTORY: LongHistoryOptions = { items: 5000, historiesPerItem: 40, longEvery: 50, longHistories: 260 };

/** Adds the items to the site; answers how many items and histories it added. */
export function loadLongHistory(site: JiraSite, options: LongHistoryOptions): { items: number; histories: number } {
  const now = site.clock();
  const who = [PEOPLE.po, PEOPLE.sm, PEOPLE.dev1, PEOPLE.dev2, PEOPLE.dev3, PEOPLE.stakeholder].map((p) => p.accountId);
  const rank = (field: string): ChangeItem => ({ field, fieldtype: 'custom', fieldId: site.fieldIds.rank, from: '', fromString: '', to: '', toString: 'Ranked higher' });
  const rankName = site.field(site.fieldIds.rank)?.name ?? 'Rank';
  const status: ChangeItem = { field: 'status', fieldtype: 'jira', fieldId: 'status', from: STATUS_IDS.toDo, fromString: 'To Do', to: STATUS_IDS.inProgress, toString: 'In Progress' };
  const priority: ChangeItem = { field: 'priority', fieldtype: 'jira', fieldId: 'priority', from: '3', fromString: 'Medium', to: '2', toString: 'High' };
  const labels: ChangeItem = { field: 'labels', fieldtype: 'jira', fieldId: 'labels', from: null, fromString: '', to: null, toString: 'long-history' };
  const kinds = [rank(rankName), status, priority, labels];
  let changelogId = 5_000_000;
  let histories = 0;
  const firstNumber = site.issues.length + 1000;
  for (let n = 0; n < options.items; n++) {
    const count = (n + 1) % options.longEvery === 0 ? options.longHistories : options.historiesPerItem;
    const created = addDays(now, -10);
    const changelog = Array.from({ length: count }, (_, h) => ({
      id: String(changelogId++),
      authorAccountId: who[(n + h) % who.length]!,
      // Spread over the ten days since creation, oldest first, a minute apart at the least.
      created: jiraDateTime(new Date(created.getTime() + 60_000 * (h + 1) + Math.floor((h * 8 * 86_400_000) / count))),
      items: [kinds[(n + h) % kinds.length]!],
    }));
    histories += count;
    const number = firstNumber + n;
    const issue: Issue = {
      id: String(100_000 + number),
      key: `${site.project.key}-${number}`,
      projectKey: site.project.key,
      summary: `Long history ${n + 1}`,
      description: null,
      typeId: ISSUE_TYPE_IDS.story,
      statusId: STATUS_IDS.inProgress,
      priorityId: '2',
      assignee: null,
      reporter: PEOPLE.po.accountId,
      creator: PEOPLE.po.accountId,
      created: jiraDateTime(created),
      updated: changelog.at(-1)!.created,
      statusCategoryChanged: jiraDateTime(created),
      resolutionDate: null,
      labels: ['long-history'],
      estimate: null,
      // After the demo's ranks (which start with "i"), in order.
      rank: `0|y${n.toString(36).padStart(5, '0')}:`,
      sprintIds: n % 3 === 0 ? [SPRINT_IDS.active] : [],
      parentKey: null,
      changelog,
      properties: new Map(),
    };
    site.issues.push(issue);
  }
  return { items: options.items, histories };
}

/** Counts what the server sends, on every connection it accepts. */
export function countBytesSent(server: RunningServer): () => number {
  const sockets: Socket[] = [];
  server.server.on('connection', (socket: Socket) => sockets.push(socket));
  return () => sockets.reduce((sum, s) => sum + s.bytesWritten, 0);
}

export interface PeakMemory {
  /** The highest resident set size of the process, in MiB (the kernel's count). */
  readonly maxRssMiB: number;
  /** The highest V8 heap use seen, sampled every 20 ms and at exit, in MiB. */
  readonly maxHeapUsedMiB: number;
  readonly heapLimitMiB: number;
}

/** Runs the command in a child process with its old-space heap capped at `heapMiB`, and its peak memory. */
export function auditWithBoundedHeap(args: string[], env: Record<string, string>, heapMiB: number): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string; peak: PeakMemory | null }> {
  const report = join(mkdtempSync(join(tmpdir(), 'srg-peak-')), 'peak.json');
  return new Promise((done) => {
    execFile(
      process.execPath,
      [`--max-old-space-size=${heapMiB}`, '--require', join(__dirname, 'peak-memory.cjs'), BIN, ...args],
      { cwd: ROOT, env: { ...process.env, ...env, SRG_PEAK_MEMORY_FILE: report }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        let peak: PeakMemory | null = null;
        try {
          peak = JSON.parse(readFileSync(report, 'utf8')) as PeakMemory;
        } catch {
          // The process died before it could write it (out of memory).
        }
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        done({ code, signal: error && 'signal' in error ? ((error.signal as string | null) ?? null) : null, stdout, stderr, peak });
      },
    );
  });
}
