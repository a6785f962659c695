/**
 * The local Jira's REST API over HTTP, for scripts and `scrum-guard audit`: basic authentication
 * with an e-mail address and an API token, as Jira Cloud takes it ("Basic auth for REST APIs",
 * https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/). A wrong e-mail or
 * token is answered 401 with `X-Seraph-LoginReason: AUTHENTICATED_FAILED`; a request without
 * credentials is anonymous, and this site lets anonymous callers see nothing (401 as well).
 *
 * Each demo person has an e-mail address (`<handle>@example.com`) and a demo API token; tests can
 * issue more tokens. The app's own account has neither: apps do not use API tokens.
 */
import { randomBytes } from 'node:crypto';
import type { Person } from './model';
import type { JiraSite } from './site';

/** The demo e-mail address of a person: `olivia@example.com`. */
export function demoEmail(person: Pick<Person, 'handle'>): string {
  return `${person.handle}@example.com`;
}

/** The demo API token of a person: fixed, so that README examples work against `npm start`. */
export function demoApiToken(person: Pick<Person, 'handle'>): string {
  return `ATATT-sandbox-demo-token-${person.handle}`;
}

export class ApiTokens {
  /** token -> account id */
  private readonly tokens = new Map<string, string>();

  constructor(private readonly site: JiraSite) {
    for (const person of site.people) if (person.accountType === 'atlassian') this.tokens.set(demoApiToken(person), person.accountId);
  }

  /** A new API token for someone (a demo person's handle or account id), as they would create one. */
  create(nameOrAccountId: string): { email: string; token: string } {
    const person = this.site.findPerson(nameOrAccountId);
    if (!person || person.accountType !== 'atlassian') throw new Error(`no demo person is called "${nameOrAccountId}"`);
    const token = `ATATT-${randomBytes(18).toString('base64url')}`;
    this.tokens.set(token, person.accountId);
    return { email: demoEmail(person), token };
  }

  revoke(token: string): void {
    this.tokens.delete(token);
  }

  /** Who an `Authorization` header names: an account id, nobody (no header), or a failure. */
  authenticate(header: string | undefined): { kind: 'user'; accountId: string } | { kind: 'anonymous' } | { kind: 'failed' } {
    if (header === undefined || header.trim() === '') return { kind: 'anonymous' };
    const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim());
    if (!match) return { kind: 'failed' };
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { kind: 'failed' };
    const email = decoded.slice(0, colon).toLowerCase();
    const accountId = this.tokens.get(decoded.slice(colon + 1));
    const person = accountId === undefined ? undefined : this.site.person(accountId);
    if (!person || demoEmail(person) !== email) return { kind: 'failed' };
    return { kind: 'user', accountId: person.accountId };
  }
}

const tokensBySite = new WeakMap<JiraSite, ApiTokens>();

/** The API tokens of a site (created with the demo people's tokens on first use). */
export function apiTokensOf(site: JiraSite): ApiTokens {
  let tokens = tokensBySite.get(site);
  if (!tokens) {
    tokens = new ApiTokens(site);
    tokensBySite.set(site, tokens);
  }
  return tokens;
}

export interface HttpRestRequest {
  readonly method: string;
  /** Path with its query string, e.g. `/rest/api/3/myself`. */
  readonly path: string;
  readonly authorization: string | undefined;
  readonly accept?: string | undefined;
  readonly body: string | undefined;
}

/**
 * One REST request over HTTP: authenticated, then answered by the site exactly as the app's own
 * requests are (contract checks, permissions, injected faults such as 429 with Retry-After).
 */
export async function answerRestRequest(site: JiraSite, request: HttpRestRequest): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const who = apiTokensOf(site).authenticate(request.authorization);
  if (who.kind === 'failed') {
    return {
      status: 401,
      headers: { 'content-type': 'text/plain;charset=UTF-8', 'x-seraph-loginreason': 'AUTHENTICATED_FAILED' },
      body: 'Client must be authenticated to access this resource.',
    };
  }
  // An anonymous caller is nobody the site knows: it answers 401 for every operation.
  const accountId = who.kind === 'user' ? who.accountId : '';
  return site.handle({
    actor: { kind: 'user', accountId },
    method: request.method,
    path: request.path,
    headers: { accept: request.accept ?? 'application/json', ...(request.body ? { 'content-type': 'application/json' } : {}) },
    body: request.body,
  });
}
