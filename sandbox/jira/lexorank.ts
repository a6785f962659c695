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

/** The middle part of a rank ("i0000f"), without the bucket prefix and the trailing colon. */
function body(rank: string): string {
  if (!rank.startsWith(BUCKET) || !rank.endsWith(SUFFIX)) throw new Error(`not a rank value: '${rank}'`);
  return rank.slice(BUCKET.length, -SUFFIX.length);
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
  const mid = between(low, high);
  // Jira's ranks never end in the lowest digit; extending keeps room below every value we hand out.
  return `${BUCKET}${mid.endsWith('0') ? `${mid}i` : mid}${SUFFIX}`;
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
