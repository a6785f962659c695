/**
 * The event queue on @forge/events: triggers hand bursts to a consumer through it. Each push carries at
 * most 50 events (Forge's limit per push); a project's events share a concurrency key so that the
 * snapshot of the order is not written by many consumers at once.
 */
import { Queue } from '@forge/events';
import type { EventQueue } from '../app/enforcement-ports';

export const ENFORCEMENT_QUEUE = 'srg-enforcement';
const MAX_EVENTS_PER_PUSH = 50;

export class ForgeEventQueue implements EventQueue {
  private readonly queue = new Queue({ key: ENFORCEMENT_QUEUE });

  async push(bodies: readonly Record<string, unknown>[], concurrencyKey?: string): Promise<void> {
    for (let start = 0; start < bodies.length; start += MAX_EVENTS_PER_PUSH) {
      await this.queue.push(
        bodies.slice(start, start + MAX_EVENTS_PER_PUSH).map((body) => ({ body, ...(concurrencyKey ? { concurrency: { key: concurrencyKey, limit: 1 } } : {}) })),
      );
    }
  }
}
