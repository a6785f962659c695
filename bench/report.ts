/**
 * The benchmark's report: a plain-text table for people, then one JSON line for machines. Every
 * row says what was measured, the figure, the target (if the issue sets one) and whether it is met.
 */

export type Verdict = 'met' | 'MISSED' | '';

export interface Row {
  readonly section: string;
  readonly measure: string;
  readonly value: string;
  readonly target?: string;
  readonly verdict?: Verdict;
}

export class Report {
  readonly rows: Row[] = [];
  readonly notes: string[] = [];

  add(section: string, measure: string, value: string | number, target?: { text: string; met: boolean }): void {
    this.rows.push({
      section,
      measure,
      value: typeof value === 'number' ? formatNumber(value) : value,
      ...(target ? { target: target.text, verdict: target.met ? 'met' : 'MISSED' } : {}),
    });
  }

  note(text: string): void {
    this.notes.push(text);
  }

  table(): string {
    const header = ['part', 'measure', 'value', 'target', ''];
    const body = this.rows.map((r) => [r.section, r.measure, r.value, r.target ?? '', r.verdict ?? '']);
    const widths = header.map((_, column) => Math.max(...[header, ...body].map((cells) => cells[column]!.length)));
    const line = (cells: readonly string[]) => cells.map((cell, i) => (i === 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
    const rule = widths.map((w) => '-'.repeat(w)).join('  ');
    const out = [line(header), rule];
    let section = '';
    for (const cells of body) {
      // The section name once, on its first row.
      out.push(line(cells[0] === section ? ['', ...cells.slice(1)] : cells));
      section = cells[0]!;
    }
    if (this.notes.length > 0) out.push('', ...this.notes.map((n) => `* ${n}`));
    return out.join('\n');
  }
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-GB');
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
