/** Jira writes timestamps as `2026-11-09T09:00:00.000+0000`: ISO 8601 with a colon-less offset. */
export function jiraDateTime(date: Date): string {
  return date.toISOString().replace(/Z$/, '+0000');
}

export function parseJiraDate(value: string): Date | null {
  // Accept both Jira's colon-less offset and the ISO forms clients send.
  const normalised = value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
  const date = new Date(normalised);
  return Number.isNaN(date.getTime()) ? null : date;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}
