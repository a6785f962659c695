/**
 * What crosses the violation log's boundary, checked with zod: records on the way in, page requests
 * and filters from the services, and rows on the way back from the database.
 */
import { z } from 'zod';
import { ROLE_KEYS, RULE_IDS, type RoleKey } from '../../core/catalogue';
import { formatIssues } from '../../core/issues';
import type { ViolationFilter, ViolationPageRequest } from '../../app/ports';
import type { ViolationRecord } from '../../core/violations';

/** Longest from/to text kept; TEXT holds 64 KiB, and nothing Jira sends for one field comes close. */
export const MAX_VALUE_TEXT = 20_000;
export const MAX_NOTE_LENGTH = 2_000;
export const MAX_PAGE_LIMIT = 500;
export const MAX_IDS_PER_CALL = 500;

export class ViolationLogInputError extends Error {
  constructor(what: string, issues: readonly { path: string; message: string }[]) {
    super(`${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'ViolationLogInputError';
  }
}

export function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ViolationLogInputError(what, formatIssues(parsed.error.issues));
  return parsed.data;
}

const isoInstant = z.iso.datetime({ offset: true, error: 'expected a date and time such as 2026-03-01T10:00:00.000Z' });
export const accountIdSchema = z
  .string({ error: 'expected an account id (a string)' })
  .regex(/^[A-Za-z0-9:_-]{1,128}$/, { error: 'expected an Atlassian account id (1 to 128 letters, digits, ":", "_" or "-")' });
export const projectKeySchema = z
  .string({ error: 'expected a project key (a string)' })
  .regex(/^[A-Z][A-Z0-9_]{0,254}$/, { error: 'expected a Jira project key such as DEMO' });
const ruleSchema = z.enum(RULE_IDS, { error: `expected a rule id: ${RULE_IDS.join(', ')}` });
const modeSchema = z.enum(['flag', 'block'], { error: 'expected "flag" or "block"' });
const outcomeSchema = z.enum(['flagged', 'refused', 'reverted', 'revert-skipped', 'unjudgeable'], {
  error: 'expected flagged, refused, reverted, revert-skipped or unjudgeable',
});
const statusSchema = z.enum(['open', 'acknowledged'], { error: 'expected "open" or "acknowledged"' });
const roleSchema = z.enum(ROLE_KEYS, { error: `expected a role: ${ROLE_KEYS.join(', ')}` });
const valueText = z.string({ error: 'expected a string or null' }).max(MAX_VALUE_TEXT, { error: `expected at most ${MAX_VALUE_TEXT} characters` }).nullable();
const shortId = (what: string) =>
  z.string({ error: `expected ${what} (a string) or null` }).regex(/^[0-9]{1,32}$/, { error: `expected ${what} (digits)` }).nullable();

export const violationIdSchema = z
  .string({ error: 'expected a violation id (a string)' })
  .min(1, { error: 'expected a non-empty violation id' })
  .max(200, { error: 'expected a violation id of at most 200 characters' });

export const violationRecordSchema = z.strictObject({
  id: violationIdSchema,
  occurredAt: isoInstant,
  projectKey: projectKeySchema,
  issueKey: z.string().regex(/^[A-Z][A-Z0-9_]{0,254}-\d{1,18}$/, { error: 'expected a work item key such as DEMO-12, or null' }).nullable(),
  issueId: shortId('a work item id'),
  // Empty when Jira named nobody (the engine still logs what it saw); never reported as personal data.
  actor: z.union([accountIdSchema, z.literal('')], { error: 'expected an Atlassian account id, or "" when the event named nobody' }),
  actorRoles: z.array(roleSchema, { error: 'expected a list of roles' }).max(ROLE_KEYS.length),
  rule: ruleSchema,
  mode: modeSchema,
  outcome: outcomeSchema,
  fromValue: valueText,
  toValue: valueText,
  fromText: valueText,
  toText: valueText,
  sprintId: shortId('a sprint id'),
  status: statusSchema,
  ackNote: z.string().max(MAX_NOTE_LENGTH, { error: `expected a note of at most ${MAX_NOTE_LENGTH} characters` }).nullable(),
  ackBy: accountIdSchema.nullable(),
  ackAt: isoInstant.nullable(),
}) satisfies z.ZodType<ViolationRecord>;

export const violationFilterSchema = z.strictObject({
  projectKey: projectKeySchema,
  rules: z.array(ruleSchema).max(100).optional(),
  actors: z.array(accountIdSchema).max(100).optional(),
  roles: z.array(z.union([roleSchema, z.literal('none')], { error: `expected a role: ${ROLE_KEYS.join(', ')} or none` })).max(10).optional(),
  modes: z.array(modeSchema).max(2).optional(),
  statuses: z.array(statusSchema).max(2).optional(),
  issueKey: z.string().max(300).optional(),
  from: isoInstant.optional(),
  to: isoInstant.optional(),
}) satisfies z.ZodType<ViolationFilter>;

export const SORT_KEYS = ['occurredAt', 'rule', 'actor', 'issueKey', 'status'] as const;

export const pageRequestSchema = z.strictObject({
  filter: violationFilterSchema,
  sort: z.strictObject({
    by: z.enum(SORT_KEYS, { error: `expected one of ${SORT_KEYS.join(', ')}` }),
    direction: z.enum(['asc', 'desc'], { error: 'expected "asc" or "desc"' }),
  }),
  limit: z.number().int({ error: 'expected a whole number' }).min(1, { error: 'expected at least 1' }).max(MAX_PAGE_LIMIT, { error: `expected at most ${MAX_PAGE_LIMIT}` }),
  cursor: z.string().max(4000).nullable(),
}) satisfies z.ZodType<ViolationPageRequest>;

// ---------------------------------------------------------------------------------------------
// Roles as a bit set: one integer column the role filter tests with `&`, on TiDB and SQLite alike.

const ROLE_BITS: Readonly<Record<RoleKey, number>> = { productOwner: 1, scrumMaster: 2, developers: 4, stakeholders: 8 };

export function rolesToMask(roles: readonly RoleKey[]): number {
  return roles.reduce((mask, role) => mask | ROLE_BITS[role], 0);
}

/** The roles of a mask, in the catalogue's order (the order a record was written in is not kept). */
export function maskToRoles(mask: number): RoleKey[] {
  return ROLE_KEYS.filter((role) => (mask & ROLE_BITS[role]) !== 0);
}

export function roleBit(role: RoleKey): number {
  return ROLE_BITS[role];
}

// ---------------------------------------------------------------------------------------------
// Rows as the database returns them. Numbers may come back as strings from some drivers.

const dbNumber = z.union([z.number(), z.string().regex(/^-?\d+$/)]).transform(Number);
const dbText = z.string().nullable();

export const violationRowSchema = z.object({
  id: z.string(),
  project_key: z.string(),
  occurred_at: dbNumber,
  issue_key: dbText,
  issue_id: dbText,
  actor: z.string(),
  actor_roles: dbNumber,
  rule_id: ruleSchema,
  enforcement_mode: modeSchema,
  outcome: outcomeSchema,
  from_value: dbText,
  to_value: dbText,
  from_string: dbText,
  to_string: dbText,
  sprint_id: dbText,
  status: statusSchema,
  ack_note: dbText,
  ack_by: dbText,
  ack_at: dbNumber.nullable(),
});
export type ViolationRow = z.infer<typeof violationRowSchema>;

export const ROW_COLUMNS = Object.keys(violationRowSchema.shape) as (keyof ViolationRow)[];

export function rowToRecord(row: ViolationRow): ViolationRecord {
  return {
    id: row.id,
    occurredAt: new Date(row.occurred_at).toISOString(),
    projectKey: row.project_key,
    issueKey: row.issue_key,
    issueId: row.issue_id,
    actor: row.actor,
    actorRoles: maskToRoles(row.actor_roles),
    rule: row.rule_id,
    mode: row.enforcement_mode,
    outcome: row.outcome,
    fromValue: row.from_value,
    toValue: row.to_value,
    fromText: row.from_string,
    toText: row.to_string,
    sprintId: row.sprint_id,
    status: row.status,
    ackNote: row.ack_note,
    ackBy: row.ack_by,
    ackAt: row.ack_at === null ? null : new Date(row.ack_at).toISOString(),
  };
}

export function recordToParams(record: ViolationRecord): (string | number | null)[] {
  return [
    record.id,
    record.projectKey,
    Date.parse(record.occurredAt),
    record.issueKey,
    record.issueId,
    record.actor,
    rolesToMask(record.actorRoles),
    record.rule,
    record.mode,
    record.outcome,
    record.fromValue,
    record.toValue,
    record.fromText,
    record.toText,
    record.sprintId,
    record.status,
    record.ackNote,
    record.ackBy,
    record.ackAt === null ? null : Date.parse(record.ackAt),
  ];
}
