/**
 * Measures `scrum-guard audit`'s peak memory on a long history served by the local Jira:
 *
 *   npx tsx test/cli/measure-audit-memory.ts [--items 5000] [--histories 40] [--heap 64]
 *
 * Prints one JSON line: the history's size, the bytes the site sent, the audit's time, and its peak
 * heap and resident set size (the child runs with --max-old-space-size=<heap>).
 */
import { parseArgs } from 'node:util';
import { demoRoleConfig } from '../../sandbox/jira';
import { auditWithBoundedHeap, countBytesSent, LONG_HISTORY, loadLongHistory } from './long-history';
import { cliBed } from './support';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { items: { type: 'string' }, histories: { type: 'string' }, heap: { type: 'string', default: '64' } } });
  const options = {
    ...LONG_HISTORY,
    ...(values.items ? { items: Number(values.items) } : {}),
    ...(values.histories ? { historiesPerItem: Number(values.histories) } : {}),
  };
  const bed = await cliBed();
  try {
    await bed.saveConfig(demoRoleConfig(bed.sandbox.site.fieldIds));
    const loaded = loadLongHistory(bed.sandbox.site, options);
    const bytesSent = countBytesSent(bed.server);
    const started = Date.now();
    const run = await auditWithBoundedHeap(['audit', '--site', bed.server.url, '--project', 'DEMO', '--days', '30', '--format', 'json'], bed.credentials, Number(values.heap));
    const report = run.code === 0 ? (JSON.parse(run.stdout) as { workItems: number; eventsReplayed: number }) : null;
    process.stdout.write(
      `${JSON.stringify({
        items: loaded.items,
        histories: loaded.histories,
        mibSent: Math.round(bytesSent() / 104857.6) / 10,
        seconds: Math.round((Date.now() - started) / 100) / 10,
        exitCode: run.code,
        workItems: report?.workItems ?? null,
        eventsReplayed: report?.eventsReplayed ?? null,
        peak: run.peak,
        ...(run.code === 0 ? {} : { stderr: run.stderr.split('\n').slice(-5).join('\n') }),
      })}\n`,
    );
  } finally {
    await bed.close();
  }
}

void main();
