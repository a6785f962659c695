/**
 * Rank strings in the shape Jira's LexoRank values have ("0|i0000f:"), with the one property that
 * matters here: any two ranks have room for a third between them, so a move touches one item only.
 */
const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';
const BASE = DIGITS.length;
const BUCKET = '0|';
const SUFFIX = ':';

function digitAt(s: string, i: number, pad: number): number {
  if (i >= s.length) return pad;
  const d = DIGITS.indexOf(s[i] as string);
  if (d < 0) throw new Error(`rank value has an unexpected character '${s[i]}'`);
  return d;
}

/**
 * A rank value is a fixed-width part, a colon, then any extension ("0|i0000f:", "0|i0000f:i"), so that
 * the plain string order of whole values (which is how Jira, and the app, compare them) is the order.
 */
const WIDTH = 6;

/** The digits of a rank ("i0000f", "i0000fi"), without the bucket prefix and the colon. */
function body(rank: string): string {
  const colon = rank.indexOf(SUFFIX);
  if (!rank.startsWith(BUCKET) || colon !== BUCKET.length + WIDTH) throw new Error(`not a rank value: '${rank}'`);
  return rank.slice(BUCKET.length, colon) + rank.slice(colon + 1);
}

/** A string strictly between `low` and `high` in lexicographic order ('' = open end). */
function between(low: string, high: string | null): string {
  let out = '';
  for (let i = 0; ; i++) {
    const lo = digitAt(low, i, 0);
    const hi = high === null ? BASE : digitAt(high, i, BASE);
    if (lo === hi) {
      out += DIGITS[lo];
      continue;
    }
    if (hi - lo > 1) {
      out += DIGITS[Math.floor((lo + hi) / 2)];
      return out;
    }
    // Adjacent digits: keep the low digit and look for room further right, where `high` no longer bounds us.
    out += DIGITS[lo];
    return out + between(low.slice(i + 1), null);
  }
}

export function rankBetween(before: string | null, after: string | null): string {
  const low = before === null ? '' : body(before);
  const high = after === null ? null : body(after);
  if (high !== null && low >= high) throw new Error(`rank '${before}' is not lower than '${after}'`);
  let mid = between(low, high);
  // Lengthening keeps it between the two (it differs from `high` before its end), and fills the fixed
  // width; Jira's ranks never end in the lowest digit, which keeps room below every value we hand out.
  while (mid.length < WIDTH || mid.endsWith('0')) mid += 'i';
  return `${BUCKET}${mid.slice(0, WIDTH)}${SUFFIX}${mid.slice(WIDTH)}`;
}

/** Evenly spaced initial ranks for `count` items, like a freshly balanced Jira rank field. */
export function initialRanks(count: number): string[] {
  const ranks: string[] = [];
  const step = Math.floor(BASE ** 4 / (count + 1));
  for (let i = 1; i <= count; i++) {
    // A value ending in the lowest digit would leave no room just below it.
    const value = step * i % BASE === 0 ? step * i + 1 : step * i;
    ranks.push(`${BUCKET}i${value.toString(BASE).padStart(5, '0')}${SUFFIX}`);
  }
  return ranks;
}

/**
 * `count` evenly spaced ranks after `last` (up to the end of the space), like a rebalanced rank field:
 * appending many items one by one would halve the remaining room each time and grow the values.
 */
export function ranksAfter(last: string | null, count: number): string[] {
  const start = last === null ? 0 : parseInt(body(last).slice(0, WIDTH), BASE);
  const end = BASE ** WIDTH;
  const step = Math.floor((end - start) / (count + 1));
  if (step < 2) throw new Error(`no room for ${count} evenly spaced ranks after '${last}'`);
  const ranks: string[] = [];
  for (let i = 1; i <= count; i++) {
    const value = start + step * i;
    // A value ending in the lowest digit would leave no room just below it.
    ranks.push(`${BUCKET}${(value % BASE === 0 ? value + 1 : value).toString(BASE).padStart(WIDTH, '0')}${SUFFIX}`);
  }
  return ranks;
}
