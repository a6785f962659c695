/** The clock port on the system time. */
import type { Clock } from '../app/ports';

export const systemClock: Clock = { now: () => new Date() };
