/** The arithmetic of the bar chart: axis ticks and labels that fit their bars. */

/** Splits a label into at most `maxLines` lines of `perLine` characters, at spaces when it can. */
export function wrapLabel(text: string, perLine: number, maxLines: number): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    const next = current === '' ? word : `${current} ${word}`;
    if (next.length <= perLine || current === '') current = next;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current !== '') lines.push(current);
  const kept = lines.slice(0, maxLines).map((line) => (line.length > perLine ? `${line.slice(0, perLine - 1)}…` : line));
  if (lines.length > maxLines) {
    const last = kept[maxLines - 1]!.replace(/…$/, '');
    kept[maxLines - 1] = `${last.length >= perLine ? last.slice(0, perLine - 1) : last}…`;
  }
  return kept;
}

/** Round axis ticks (0, then 4 or 5 steps of 1, 2 or 5 times a power of ten) covering `max`. */
export function niceTicks(max: number): number[] {
  const rough = Math.max(1, max) / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const wholeStep = Math.max(1, Math.round(step));
  const ticks = [0];
  while (ticks[ticks.length - 1]! < max) ticks.push(ticks[ticks.length - 1]! + wholeStep);
  return ticks;
}
