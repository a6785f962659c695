/** Jira's ways of answering: the error shape, paging parameters, and the route table's types. */

export interface ErrorCollection {
  errorMessages: string[];
  errors: Record<string, string>;
}

/** An answer Jira gives instead of doing the thing; thrown by handlers, turned into a response. */
export class JiraHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorCollection | Record<string, unknown>,
  ) {
    super(`${status}: ${JSON.stringify(body)}`);
  }
}

export function jiraError(status: number, messages: string | string[], errors: Record<string, string> = {}): JiraHttpError {
  return new JiraHttpError(status, { errorMessages: Array.isArray(messages) ? messages : [messages], errors });
}

export function fieldErrors(errors: Record<string, string>): JiraHttpError {
  return new JiraHttpError(400, { errorMessages: [], errors });
}

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const noContent: Answer = { status: 204 };

export function ok(body: unknown, status = 200): Answer {
  return { status, body };
}

/** A query parameter that may be repeated or comma-separated, as Jira reads list parameters. */
export function listParam(query: URLSearchParams, name: string): string[] {
  return query
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export function intParam(query: URLSearchParams, name: string, fallback: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw jiraError(400, `The value '${raw}' of the parameter '${name}' is not a whole number.`);
  return Math.min(Math.max(value, min), max);
}

export function boolParam(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = query.get(name);
  if (raw === null) return fallback;
  return raw.toLowerCase() === 'true';
}

export function page<T>(all: readonly T[], startAt: number, maxResults: number): { values: T[]; isLast: boolean } {
  const values = all.slice(startAt, startAt + maxResults);
  return { values, isLast: startAt + values.length >= all.length };
}

/** Opaque page tokens of the newer APIs (search/jql, changelog/bulkfetch): an offset, encoded. */
export function encodeToken(offset: number): string {
  return Buffer.from(`offset:${offset}`, 'utf8').toString('base64url');
}

export function decodeToken(token: string | null | undefined): number {
  if (token === null || token === undefined || token === '') return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) throw jiraError(400, 'The nextPageToken is not valid.');
  return Number(match[1]);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
