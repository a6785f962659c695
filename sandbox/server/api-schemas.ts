/** What scripts may send to /sandbox/api: checked here, so a bad request gets an error naming the field. */
import { z } from 'zod';

/** The acting person; the action itself is checked by the local Jira (sandbox/jira/act.ts). */
export const actEnvelopeSchema = z.looseObject({
  as: z.string({ error: 'expected "as": a name from /sandbox/api/users or an account id' }).min(1).max(128),
  action: z.string({ error: 'expected "action": rank, transition, edit, create, start-sprint or complete-sprint' }),
  /** Wait until the app has done what it does about the change, and say what that was (`appDid`). */
  settle: z.boolean({ error: 'expected true or false' }).optional(),
});

export const chaosSchema = z.strictObject({
  duplicate: z.boolean({ error: 'expected true or false' }).default(false),
  shuffle: z.boolean({ error: 'expected true or false' }).default(false),
  delayMs: z.tuple([z.number().int().min(0).max(600_000), z.number().int().min(0).max(600_000)], { error: 'expected [min, max] in milliseconds' }).optional(),
});
