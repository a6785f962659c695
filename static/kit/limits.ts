/**
 * The limits the resolvers enforce, repeated here because their home (src/shared/resolver-schemas.ts)
 * imports zod at run time, which the bundles leave out; test/ui/logic.test.ts fails when they drift.
 */
export const LIMITS = { noteMaxLength: 500, auditMaxDays: 90, auditDefaultDays: 14, pageMaxLimit: 200, acknowledgeMaxIds: 200, csvMaxRows: 5000 } as const;
