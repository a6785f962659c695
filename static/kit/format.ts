/** Dates, people and counts in the reader's locale and time zone (from the Forge context). */

export interface Locale {
  readonly locale: string;
  readonly timeZone: string | undefined;
}

export const DEFAULT_LOCALE: Locale = { locale: 'en-US', timeZone: undefined };

/** Forge sends locales as `en_US`; Intl wants `en-US`. An unknown one falls back to English. */
export function localeFromContext(context: { locale?: unknown; timezone?: unknown } | null | undefined): Locale {
  const raw = typeof context?.locale === 'string' ? context.locale.replace('_', '-') : 'en-US';
  let locale: string;
  try {
    locale = Intl.getCanonicalLocales(raw)[0] ?? 'en-US';
  } catch {
    locale = 'en-US';
  }
  let timeZone: string | undefined;
  if (typeof context?.timezone === 'string') {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: context.timezone });
      timeZone = context.timezone;
    } catch {
      timeZone = undefined;
    }
  }
  return { locale, timeZone };
}

export function formatDateTime(iso: string, where: Locale = DEFAULT_LOCALE): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(where.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: where.timeZone }).format(date);
}

export function formatDate(iso: string, where: Locale = DEFAULT_LOCALE): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(where.locale, { dateStyle: 'medium', timeZone: where.timeZone }).format(date);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "3 days ago", "just now". */
export function formatRelative(iso: string, now: Date, where: Locale = DEFAULT_LOCALE): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const seconds = (date.getTime() - now.getTime()) / 1000;
  const format = new Intl.RelativeTimeFormat(where.locale, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(0, 'minute');
}

/** "1 work item", "3 work items". */
export function plural(count: number, one: string, many: string = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** A yyyy-mm-dd date input's value as the start (or end) of that day, in UTC ISO form. */
export function dayBoundary(value: string, edge: 'start' | 'end'): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const date = new Date(`${value}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
