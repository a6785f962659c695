/**
 * The parts of Jira's REST answers `scrum-guard` relies on, as zod schemas: only the fields used
 * are required, anything else is left alone. The same shapes describe an export downloaded from
 * `GET /rest/api/3/search/jql?expand=changelog`.
 */
import { z } from 'zod';

const text = z.string().nullish();

export const changelogItemSchema = z.looseObject({
  field: z.string().optional(),
  fieldtype: z.string().optional(),
  fieldId: z.string().optional(),
  from: text,
  fromString: text,
  to: text,
  toString: text,
  tmpFromAccountId: text,
  tmpToAccountId: text,
});

export const historySchema = z.object({
  id: z.string({ error: 'expected the history id as a string' }),
  created: z.string({ error: 'expected when the change was made, as a date-time string' }),
  author: z.object({ accountId: z.string().optional(), key: z.string().optional(), name: z.string().optional(), accountType: z.string().optional(), displayName: z.string().optional() }).nullish(),
  items: z.array(changelogItemSchema, { error: 'expected the changed items as a list' }),
});
export type History = z.infer<typeof historySchema>;

export const searchedIssueSchema = z.object({
  id: z.string({ error: 'expected the work item id as a string' }),
  key: z.string({ error: 'expected the work item key as a string' }),
  fields: z.record(z.string(), z.unknown()).default({}),
  changelog: z
    .object({
      startAt: z.number().optional(),
      maxResults: z.number().optional(),
      total: z.number().optional(),
      histories: z.array(historySchema).default([]),
    })
    .optional(),
  /** `expand=schema`: each field's schema, whose `custom` names the field's type. */
  schema: z.record(z.string(), z.object({ custom: z.string().optional() }).loose()).optional(),
});
export type SearchedIssue = z.infer<typeof searchedIssueSchema>;

export const searchPageSchema = z.object({
  issues: z.array(searchedIssueSchema, { error: 'expected "issues": a list of work items' }),
  nextPageToken: z.string().nullish(),
  isLast: z.boolean().optional(),
});
export type SearchPage = z.infer<typeof searchPageSchema>;

export const changelogPageSchema = z.object({
  values: z.array(historySchema),
  isLast: z.boolean().optional(),
  total: z.number().optional(),
  startAt: z.number().optional(),
});

export const projectSchema = z.object({ id: z.string(), key: z.string(), name: z.string().optional() });

export const fieldListSchema = z.array(z.object({ id: z.string(), name: z.string().optional(), schema: z.object({ custom: z.string().optional() }).optional() }));

export const boardsSchema = z.object({ values: z.array(z.object({ id: z.number() })), isLast: z.boolean().optional() });

export const sprintSchema = z.object({
  id: z.number(),
  name: z.string().optional(),
  state: z.string(),
  startDate: z.string().nullish(),
  completeDate: z.string().nullish(),
});
export const sprintsSchema = z.object({ values: z.array(sprintSchema), isLast: z.boolean().optional() });

export const groupMembersSchema = z.object({
  values: z.array(z.object({ accountId: z.string(), active: z.boolean().optional() })),
  isLast: z.boolean().optional(),
});

export const roleActorsSchema = z.object({
  actors: z
    .array(
      z.object({
        actorUser: z.object({ accountId: z.string() }).optional(),
        actorGroup: z.object({ groupId: z.string().nullish() }).optional(),
      }),
    )
    .default([]),
});

/** The value of the project entity property `scrum-role-guard-config` the app publishes. */
export const publishedConfigSchema = z.object({
  key: z.string().optional(),
  value: z.object(
    { version: z.literal(1, { error: 'expected version 1' }), revision: z.number().optional(), config: z.unknown() },
    { error: 'expected { "version": 1, "revision": n, "config": {...} }' },
  ),
});

/** The custom field types of the three fields the rules need. */
export const AGILE_FIELD_TYPES = {
  rank: 'com.pyxis.greenhopper.jira:gh-lexo-rank',
  sprint: 'com.pyxis.greenhopper.jira:gh-sprint',
  estimate: 'com.pyxis.greenhopper.jira:jsw-story-points',
} as const;
