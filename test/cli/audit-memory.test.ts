/**
 * `scrum-guard audit` runs within a memory bound whatever the history's length: 5,000 work items
 * with 222,000 histories, served by the local Jira through its contract-checked routes (more than the
 * 100 histories `expand=changelog` embeds for one item in fifty), replayed by the command in a child
 * process whose heap is capped at 64 MiB. Holding the history would not fit: the site sends several
 * times the heap's limit.
 *
 * The same run, with figures: `npx tsx test/cli/measure-audit-memory.ts` (see the README).
 */
import { demoRoleConfig } from '../../sandbox/jira';
import { parseJiraDate } from '../../sandbox/jira/dates';
import { auditWithBoundedHeap, countBytesSent, LONG_HISTORY, loadLongHistory } from './long-history';
import { cliBed, type CliBed } from './support';

const HEAP_MIB = 64;

let bed: CliBed;
beforeAll(async () => {
  bed = await cliBed();
  await bed.saveConfig(demoRoleConfig(bed.sandbox.site.fieldIds));
});
afterAll(async () => {
  await bed?.close();
});

describe('scrum-guard audit on a long history', () => {
  it(`replays 5,000 work items with a heap capped at ${HEAP_MIB} MiB`, async () => {
    const site = bed.sandbox.site;
    const loaded = loadLongHistory(site, LONG_HISTORY);
    expect(loaded.histories).toBeGreaterThan(200_000);
    const bytesSent = countBytesSent(bed.server);

    const run = await auditWithBoundedHeap(['audit', '--site', bed.server.url, '--project', 'DEMO', '--days', '30', '--format', 'json'], bed.credentials, HEAP_MIB);
    expect(run.stderr).not.toMatch(/heap out of memory|Error/);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { workItems: number; eventsReplayed: number; findingsTruncated: boolean };
    // The demo's closed sprints reach further back than the 30 days asked for; their older work items are not in it.
    const since = site.clock().getTime() - 30 * 86_400_000;
    const inWindow = (iso: string): boolean => (parseJiraDate(iso)?.getTime() ?? 0) >= since;
    expect(report.workItems).toBe(site.issues.filter((issue) => inWindow(issue.updated)).length);
    // Three histories in four change a watched field (rank, status, priority; labels are not watched).
    const watched = site.issues.reduce((n, issue) => n + issue.changelog.filter((e) => inWindow(e.created) && e.items.some((i) => i.fieldId !== 'labels')).length, 0);
    expect(report.eventsReplayed).toBeGreaterThanOrEqual(watched);
    expect(report.findingsTruncated).toBe(true);

    // Within the bound, and the bound means something: the history served is far larger than the heap.
    expect(run.peak).not.toBeNull();
    expect(run.peak!.maxHeapUsedMiB).toBeLessThan(HEAP_MIB);
    expect(bytesSent() / 1048576).toBeGreaterThan(1.5 * run.peak!.heapLimitMiB);
    // Long changelogs were read page by page beyond the embedded ones.
    expect(site.requestLog.some((r) => /\/issue\/\d+\/changelog\?startAt=100/.test(r.path))).toBe(true);
    expect(site.contractViolations).toEqual([]);
  }, 600_000);
});
