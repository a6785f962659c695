/**
 * The queues on @forge/events: triggers hand bursts to the enforcement consumer, the audit its steps.
 * Forge takes at most 50 events and 200 KB a push, and 500 events a minute per installation; past those, `push` throws
 * RateLimitError (nothing taken) or PartialSuccessError (naming the events not taken). The adapter
 * pushes in chunks within the per-push limits and reports exactly what was not taken, so the caller can
 * ask Forge for a retry that pushes only that. A project's events share a concurrency key so that the
 * snapshot of the order is not written by many consumers at once.
 */
import { PartialSuccessError, PayloadTooBigError, Queue, RateLimitError } from '@forge/events';
import { QueueFullError, type EventQueue } from '../app/ports';

export const ENFORCEMENT_QUEUE = 'srg-enforcement';
export const MAX_EVENTS_PER_PUSH = 50;
/** 200 KB a push, less room for the envelope each event gets (its concurrency key). */
export const MAX_BYTES_PER_PUSH = 200 * 1024 - 2 * 1024;
/** Forge's advice on a rate limit: push again after a minute. */
export const RATE_LIMIT_RETRY_SECONDS = 60;

type PushEvent = { body: Record<string, unknown>; concurrency?: { key: string; limit: number } };

/** Consecutive chunks of at most 50 events and MAX_BYTES_PER_PUSH each; a single larger event goes alone. */
export function chunksWithinLimits<T>(events: readonly T[], bytesOf: (event: T) => number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 2;
  for (const event of events) {
    const size = bytesOf(event) + 1;
    if (current.length > 0 && (current.length >= MAX_EVENTS_PER_PUSH || bytes + size > MAX_BYTES_PER_PUSH)) {
      chunks.push(current);
      current = [];
      bytes = 2;
    }
    current.push(event);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export class ForgeEventQueue implements EventQueue {
  private readonly queue: Queue;

  /** `key`: the queue's key in manifest.yml (the enforcement queue, or the audit's). */
  constructor(key: string = ENFORCEMENT_QUEUE) {
    this.queue = new Queue({ key });
  }

  async push(bodies: readonly Record<string, unknown>[], concurrencyKey?: string): Promise<void> {
    const events: PushEvent[] = bodies.map((body) => ({ body, ...(concurrencyKey ? { concurrency: { key: concurrencyKey, limit: 1 } } : {}) }));
    const chunks = chunksWithinLimits(events, (e) => Buffer.byteLength(JSON.stringify(e), 'utf8'));
    for (let index = 0; index < chunks.length; index++) {
      const chunk = chunks[index]!;
      const later = chunks.slice(index + 1).flat().map((e) => e.body);
      try {
        await this.queue.push(chunk);
      } catch (error) {
        if (error instanceof RateLimitError) {
          throw new QueueFullError([...chunk.map((e) => e.body), ...later], RATE_LIMIT_RETRY_SECONDS, 'rate-limited');
        }
        if (error instanceof PartialSuccessError) {
          // The typings name the failed event `event`; @forge/events 3 fills in `payload`: either is read.
          const failed = new Set<unknown>(error.failedEvents.map((f) => (f as { event?: unknown; payload?: unknown }).payload ?? f.event));
          // Without the list of failed events nothing can be told apart: the whole chunk is pushed again
          // (each event is judged by its changelog id, so one taken twice is still judged once).
          const notTaken = failed.size > 0 ? chunk.filter((e) => failed.has(e)) : chunk;
          throw new QueueFullError([...notTaken.map((e) => e.body), ...later], RATE_LIMIT_RETRY_SECONDS, 'partly-taken');
        }
        if (error instanceof PayloadTooBigError) throw new QueueFullError([...chunk.map((e) => e.body), ...later], 0, 'too-big');
        throw error;
      }
    }
  }
}
