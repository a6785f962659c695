/**
 * Every function the manifest names, in one module, so `manifest.yml` and the code cannot drift apart
 * unnoticed (test/manifest.test.ts holds them together).
 */
export { onIssueEvent, onSprintEvent } from './entry/triggers';
export { onQueuedEvent } from './entry/consumer';
export { validateStatusTransition } from './entry/validator';
export { retentionJob, personalDataJob } from './entry/scheduled';
export { settingsResolver, adminResolver, issuePanelResolver, violationLogResolver, auditConsumer } from './resolvers';
