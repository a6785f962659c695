/** The issue panel's resolvers and the shapes it reads. */
import type { RoleKey } from '../../kit/labels';

export const RESOLVERS = { issuePanel: 'getIssuePanel', acknowledge: 'acknowledgeViolations' } as const;
export const NOTE_MAX_LENGTH = 500;

export interface Person {
  readonly accountId: string;
  readonly displayName: string;
  readonly avatarUrl?: string | null;
}

export interface PanelViolation {
  readonly id: string;
  readonly occurredAt: string;
  readonly actor: string;
  readonly actorRoles: readonly RoleKey[];
  readonly rule: string;
  readonly mode: 'flag' | 'block';
  readonly outcome: string;
  readonly fromValue: string | null;
  readonly toValue: string | null;
  readonly fromString: string | null;
  readonly toString: string | null;
  readonly status: 'open' | 'acknowledged';
  readonly ackNote: string | null;
  readonly ackBy: string | null;
  readonly ackAt: string | null;
}

export interface IssuePanelAnswer {
  readonly roles: Readonly<Record<RoleKey, readonly string[]>>;
  readonly people: readonly Person[];
  readonly violations: readonly PanelViolation[];
  readonly viewer: { readonly accountId: string; readonly canAcknowledge: boolean };
}

/** A person's name as Jira gives it; an account Jira no longer knows is said so, not shown as an id. */
export function personName(people: ReadonlyMap<string, Person>, accountId: string): string {
  return people.get(accountId)?.displayName ?? 'A former user';
}
