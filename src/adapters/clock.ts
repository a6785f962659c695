/** Time on Forge: the system clock, and the invocation's own time left (@forge/api's view of the invocation). */
import { getAppContext } from '@forge/api';
import type { Clock, RunTime } from '../app/ports';

export const systemClock: Clock = { now: () => new Date() };

export const invocationTime: RunTime = {
  remainingMs: () => getAppContext().invocationRemainingTimeInMillis(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
