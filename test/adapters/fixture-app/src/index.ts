/** The handlers the test bed's manifest names: the app's real scheduled jobs. */
export { retentionJob, personalDataJob } from '../../../../src/entry/scheduled';
