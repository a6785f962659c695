/**
 * What the log page is given beyond the rows: CSV cells that a spreadsheet never runs as formulas,
 * charts per sprint or week with the top patterns in words, and the narrowing of a filter for a
 * person who may see only their own entries.
 */
import { weekNumber, weekStartMs, type ViolationRecord } from '../../src/core/violations';
import { chartsOf, csvCell, scopedFilter, toCsv } from '../../src/app/screens/violations';

const SM = 'sm-1';
const STELLA = 'stella-1';

function row(overrides: Partial<ViolationRecord>): ViolationRecord {
  return {
    id: `id-${Math.random()}`,
    occurredAt: '2026-11-10T10:00:00.000Z',
    projectKey: 'DEMO',
    issueKey: 'DEMO-1',
    issueId: '10001',
    actor: SM,
    actorRoles: ['scrumMaster'],
    rule: 'backlog-rank',
    mode: 'flag',
    outcome: 'flagged',
    fromValue: null,
    toValue: null,
    fromText: null,
    toText: 'Ranked higher',
    sprintId: '1',
    status: 'open',
    ackNote: null,
    ackBy: null,
    ackAt: null,
    ...overrides,
  };
}

describe('CSV', () => {
  it('neutralises formula starts and quotes every cell', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    for (const start of ['+', '-', '@', '\t', '\r']) expect(csvCell(`${start}1`)).toBe(`"'${start}1"`);
    expect(csvCell('plain, with comma')).toBe('"plain, with comma"');
    expect(csvCell(null)).toBe('""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
  });

  it('writes a header, one line per row with names, CRLF endings', () => {
    const csv = toCsv([row({ ackNote: '=cmd|calc', ackBy: SM, status: 'acknowledged' })], new Map([[SM, 'Sam Rivera']]));
    const lines = csv.split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^"When \(UTC\)","Work item","Rule"/);
    expect(lines[1]).toContain('"Sam Rivera"');
    expect(lines[1]).toContain(`"'=cmd|calc"`);
    expect(lines[2]).toBe('');
  });

  it('uses the words of the log page: outcome, status, mode, roles and the sprint by name', () => {
    const csv = toCsv(
      [
        row({ outcome: 'reverted', mode: 'block', status: 'acknowledged', ackBy: SM, ackNote: 'ok' }),
        row({ outcome: 'flagged', sprintId: null, actor: STELLA, actorRoles: [] }),
      ],
      new Map([[SM, 'Sam Rivera'], [STELLA, 'Stella Hart']]),
      new Map([['1', 'DEMO Sprint 1']]),
    );
    const [header, undone, flagged] = csv.split('\r\n').map((line) => line.slice(1, -1).split('","'));
    const cell = (line: string[] | undefined, column: string): string | undefined => line?.[header!.indexOf(column)];
    expect(cell(undone, 'What happened')).toBe('Undone');
    expect(cell(undone, 'Status')).toBe('Talked through');
    expect(cell(undone, 'Mode')).toBe('Block');
    expect(cell(undone, 'Their role')).toBe('Scrum Master');
    expect(cell(undone, 'Sprint')).toBe('DEMO Sprint 1');
    expect(cell(undone, 'Talked through by')).toBe('Sam Rivera');
    expect(cell(flagged, 'What happened')).toBe('Flagged');
    expect(cell(flagged, 'Status')).toBe('Open');
    expect(cell(flagged, 'Sprint')).toBe('Not in a sprint');
    expect(cell(flagged, 'Their role')).toBe('outside the Scrum Team');
    expect(csv).not.toMatch(/"reverted"|"acknowledged"|"flag"/);
  });
});

describe('charts', () => {
  const sprints = new Map([
    ['1', { name: 'Sprint 1', start: '2026-10-01' }],
    ['2', { name: 'Sprint 2', start: '2026-10-15' }],
  ]);

  it('counts per rule per sprint, oldest first, and says the top pattern of the latest sprint', () => {
    const rows = [
      ...Array.from({ length: 14 }, () => row({ sprintId: '2' })),
      row({ sprintId: '2', actor: STELLA, actorRoles: [], rule: 'item-create' }),
      row({ sprintId: '1', rule: 'status-change' }),
      row({ sprintId: null }),
    ];
    const charts = chartsOf(rows, 'sprint', sprints);
    // The entry made outside a sprint is its own bucket, last: every entry is counted.
    expect(charts.buckets).toEqual([
      { key: '1', label: 'Sprint 1' },
      { key: '2', label: 'Sprint 2' },
      { key: 'none', label: 'Not in a sprint' },
    ]);
    expect(charts.trend).toEqual([
      { bucket: '1', count: 1 },
      { bucket: '2', count: 15 },
      { bucket: 'none', count: 1 },
    ]);
    expect(charts.perRule).toEqual(
      expect.arrayContaining([
        { bucket: '2', rule: 'backlog-rank', count: 14 },
        { bucket: '2', rule: 'item-create', count: 1 },
        { bucket: '1', rule: 'status-change', count: 1 },
      ]),
    );
    expect(charts.topPatterns[0]).toMatchObject({ role: 'scrumMaster', rule: 'backlog-rank', count: 14, text: 'The Scrum Master reordered Product Backlog items 14 times this sprint' });
    expect(charts.topPatterns[1]).toMatchObject({ role: 'none', rule: 'item-create', count: 1 });
  });

  it('counts entries outside any sprint when no entry has one', () => {
    const charts = chartsOf([row({ sprintId: null, rule: 'priority-change' }), row({ sprintId: null, rule: 'priority-change' })], 'sprint', sprints);
    expect(charts.buckets).toEqual([{ key: 'none', label: 'Not in a sprint' }]);
    expect(charts.perRule).toEqual([{ bucket: 'none', rule: 'priority-change', count: 2 }]);
    expect(charts.topPatterns[0]!.text).toBe('The Scrum Master changed priorities 2 times outside a sprint');
  });

  it('buckets by ISO week (Monday) when asked', () => {
    const monday = (iso: string): string => new Date(weekStartMs(weekNumber(Date.parse(iso)))).toISOString().slice(0, 10);
    expect(monday('2026-11-15T23:00:00.000Z')).toBe('2026-11-09');
    expect(monday('2026-11-16T00:00:00.000Z')).toBe('2026-11-16');
    const charts = chartsOf([row({ occurredAt: '2026-11-10T10:00:00Z' }), row({ occurredAt: '2026-11-17T10:00:00Z' })], 'week', new Map());
    expect(charts.buckets.map((b) => b.key)).toEqual(['2026-11-09', '2026-11-16']);
    expect(charts.topPatterns[0]!.text).toMatch(/this week$/);
  });
});

describe('what a person may see', () => {
  const own = { accountId: STELLA, roles: [], scope: 'own', canAcknowledge: false } as const;
  const all = { accountId: SM, roles: ['scrumMaster'], scope: 'all', canAcknowledge: true } as const;

  it('narrows anyone outside the coaching roles to their own entries', () => {
    expect(scopedFilter('DEMO', { rules: ['backlog-rank'] }, own)).toEqual({ projectKey: 'DEMO', rules: ['backlog-rank'], actors: [STELLA] });
    expect(scopedFilter('DEMO', { actors: [SM] }, own)).toBeNull();
    expect(scopedFilter('DEMO', { actors: [SM, STELLA] }, own)).toEqual({ projectKey: 'DEMO', actors: [STELLA] });
  });

  it('leaves the filter alone for the Scrum Master, the Product Owner and project admins', () => {
    expect(scopedFilter('DEMO', { actors: [STELLA] }, all)).toEqual({ projectKey: 'DEMO', actors: [STELLA] });
  });
});
