/**
 * The payload schemas of the resolver functions (zod), named by the contract in `resolver-api.ts`,
 * which gives each function its schema. The backend validates every call with them; the UI bundles
 * use only their types (`import type`), so zod never reaches a page.
 *
 * The project and the work item never come from a payload: they come from the Forge context of the
 * surface that invoked the resolver. Payloads carry only what the person chose.
 */
import { z } from 'zod';
import { ACCOUNTABILITIES, HEALTH_BUCKETS } from '../core/accountability';
import { ROLE_KEYS, RULE_IDS } from '../core/catalogue';
import { objectError } from '../core/issues';
import { LIMITS } from './limits';

/** For the functions that take nothing: what they answer depends only on where and who asks. */
export const noPayload = z.strictObject({}, { error: objectError('expected an empty payload {}', []) });

/**
 * The config document itself is validated by the core (`parseConfig`), which reports every bad path;
 * here it only has to be an object.
 */
const configDocument = z.record(z.string(), z.unknown(), { error: 'expected the config document as an object' });

const revision = z
  .number({ error: 'expected the revision the edit started from (a whole number), or null when nothing was saved yet' })
  .int({ error: 'expected a whole number' })
  .min(1, { error: 'expected a revision of 1 or more' })
  .nullable();

const query = z
  .string({ error: 'expected the search text as a string' })
  .trim()
  .min(1, { error: 'expected at least one character to search for' })
  .max(LIMITS.searchQueryMaxLength, { error: `expected at most ${LIMITS.searchQueryMaxLength} characters` });

const note = z
  .string({ error: 'expected a note (a string)' })
  .trim()
  .min(1, { error: 'expected a short note saying what was agreed' })
  .max(LIMITS.noteMaxLength, { error: `expected a note of at most ${LIMITS.noteMaxLength} characters` });

const violationId = z
  .string({ error: 'expected a violation id (a string)' })
  .min(1, { error: 'expected a non-empty violation id' })
  .max(300, { error: 'expected a violation id of at most 300 characters' });

const accountId = z
  .string({ error: 'expected an account id (a string)' })
  .regex(/^[A-Za-z0-9:_-]{1,128}$/, { error: 'expected an Atlassian account id' });

const isoDate = z.iso.datetime({ offset: true, error: 'expected a date and time such as 2026-03-01T00:00:00Z' });

const auditId = z
  .string({ error: 'expected the audit id startAudit answered' })
  .regex(/^[A-Za-z0-9-]{8,64}$/, { error: 'expected the audit id startAudit answered' });

// ---------------------------------------------------------------------------------------------
// Settings page (jira:projectSettingsPage) and admin page (jira:adminPage)

export const previewRolesPayload = z.strictObject(
  { document: configDocument },
  { error: objectError('expected { document }', ['document']) },
);

export const saveSettingsPayload = z.strictObject(
  { document: configDocument, expectedRevision: revision },
  { error: objectError('expected { document, expectedRevision }', ['document', 'expectedRevision']) },
);

export const searchPayload = z.strictObject({ query }, { error: objectError('expected { query }', ['query']) });

export const startAuditPayload = z.strictObject(
  {
    document: configDocument,
    days: z
      .number({ error: 'expected the number of days to replay' })
      .int({ error: 'expected a whole number of days' })
      .min(1, { error: 'expected at least 1 day' })
      .max(LIMITS.auditMaxDays, { error: `expected at most ${LIMITS.auditMaxDays} days` })
      .default(LIMITS.auditDefaultDays),
  },
  { error: objectError('expected { document, days }', ['document', 'days']) },
);

export const suggestRolesPayload = z.strictObject(
  {
    days: z
      .number({ error: 'expected the number of days of history to look at' })
      .int({ error: 'expected a whole number of days' })
      .min(LIMITS.suggestMinDays, { error: `expected at least ${LIMITS.suggestMinDays} days` })
      .max(LIMITS.suggestMaxDays, { error: `expected at most ${LIMITS.suggestMaxDays} days` })
      .default(LIMITS.suggestDefaultDays),
  },
  { error: objectError('expected { days }', ['days']) },
);

export const auditProgressPayload = z.strictObject({ auditId }, { error: objectError('expected { auditId }', ['auditId']) });

// ---------------------------------------------------------------------------------------------
// Issue panel (jira:issueContext)

export const acknowledgePayload = z.strictObject(
  {
    ids: z
      .array(violationId, { error: 'expected a list of violation ids' })
      .min(1, { error: 'expected at least one violation id' })
      .max(LIMITS.acknowledgeMaxIds, { error: `expected at most ${LIMITS.acknowledgeMaxIds} violation ids` }),
    note,
  },
  { error: objectError('expected { ids, note }', ['ids', 'note']) },
);

// ---------------------------------------------------------------------------------------------
// Violation log (jira:projectPage)

function listOf<T extends z.ZodType>(item: T, what: string) {
  return z.array(item, { error: `expected a list of ${what}` }).max(100, { error: `expected at most 100 ${what}` }).optional();
}

export const violationFilterSchema = z
  .strictObject(
    {
      rules: listOf(z.enum(RULE_IDS, { error: `expected a rule id: ${RULE_IDS.join(', ')}` }), 'rule ids'),
      actors: listOf(accountId, 'account ids'),
      roles: listOf(z.enum([...ROLE_KEYS, 'none'], { error: `expected a role: ${ROLE_KEYS.join(', ')} or none` }), 'roles'),
      modes: listOf(z.enum(['flag', 'block'], { error: 'expected "flag" or "block"' }), 'modes'),
      statuses: listOf(z.enum(['open', 'acknowledged'], { error: 'expected "open" or "acknowledged"' }), 'statuses'),
      issueKey: z.string().regex(/^[A-Z][A-Z0-9_]{0,9}-\d{1,10}$/, { error: 'expected a work item key such as DEMO-12' }).optional(),
      from: isoDate.optional(),
      to: isoDate.optional(),
    },
    { error: objectError('expected a filter object', ['rules', 'actors', 'roles', 'modes', 'statuses', 'issueKey', 'from', 'to']) },
  )
  .refine((f) => f.from === undefined || f.to === undefined || Date.parse(f.from) <= Date.parse(f.to), {
    path: ['to'],
    error: 'expected the end of the date range to be after its start',
  })
  .default({});

export const violationSortSchema = z
  .strictObject(
    {
      by: z.enum(['occurredAt', 'rule', 'actor', 'issueKey', 'status'], { error: 'expected occurredAt, rule, actor, issueKey or status' }),
      direction: z.enum(['asc', 'desc'], { error: 'expected "asc" or "desc"' }),
    },
    { error: objectError('expected { by, direction }', ['by', 'direction']) },
  )
  .default({ by: 'occurredAt', direction: 'desc' });

export const listViolationsPayload = z.strictObject(
  {
    filter: violationFilterSchema,
    sort: violationSortSchema,
    limit: z
      .number({ error: 'expected the page size' })
      .int({ error: 'expected a whole number' })
      .min(1, { error: 'expected a page size of at least 1' })
      .max(LIMITS.pageMaxLimit, { error: `expected a page size of at most ${LIMITS.pageMaxLimit}` })
      .default(50),
    cursor: z.string({ error: 'expected the cursor of the previous answer, or null' }).max(2000).nullable().default(null),
  },
  { error: objectError('expected { filter, sort, limit, cursor }', ['filter', 'sort', 'limit', 'cursor']) },
);

export const violationChartsPayload = z.strictObject(
  {
    filter: violationFilterSchema,
    bucket: z.enum(['sprint', 'week'], { error: 'expected "sprint" or "week"' }).default('sprint'),
  },
  { error: objectError('expected { filter, bucket }', ['filter', 'bucket']) },
);

export const exportCsvPayload = z.strictObject(
  { filter: violationFilterSchema, sort: violationSortSchema },
  { error: objectError('expected { filter, sort }', ['filter', 'sort']) },
);

export const roleHealthPayload = z.strictObject(
  {
    sprints: z
      .number({ error: 'expected the number of sprints to show' })
      .int({ error: 'expected a whole number of sprints' })
      .min(1, { error: 'expected at least 1 sprint' })
      .max(LIMITS.healthMaxSprints, { error: `expected at most ${LIMITS.healthMaxSprints} sprints` })
      .default(LIMITS.healthDefaultSprints),
  },
  { error: objectError('expected { sprints }', ['sprints']) },
);

export const roleHealthChangesPayload = z.strictObject(
  {
    sprintId: z.string({ error: 'expected a sprint id (a string)' }).regex(/^\d{1,18}$/, { error: 'expected a sprint id such as "12"' }),
    accountability: z.enum(ACCOUNTABILITIES, { error: `expected an accountability: ${ACCOUNTABILITIES.join(', ')}` }),
    bucket: z.enum(HEALTH_BUCKETS, { error: `expected a bucket: ${HEALTH_BUCKETS.join(', ')}` }),
    cursor: z.string({ error: 'expected the cursor of the previous answer, or null' }).max(200).nullable().default(null),
  },
  { error: objectError('expected { sprintId, accountability, bucket, cursor }', ['sprintId', 'accountability', 'bucket', 'cursor']) },
);
