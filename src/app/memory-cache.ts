/**
 * A bounded in-memory map with expiry: the warm path of every cache the app keeps. Each one belongs to
 * a dependency built once per warm container (src/entry/container.ts), never to a module.
 */
import type { Clock } from './ports';

interface MemoryEntry<T> {
  readonly value: T;
  readonly expires: number;
}

export class MemoryCache<T> {
  private readonly entries = new Map<string, MemoryEntry<T>>();

  constructor(
    private readonly clock: Clock,
    private readonly maxEntries = 5000,
  ) {}

  get(key: string): T | undefined {
    const found = this.entries.get(key);
    if (!found) return undefined;
    if (found.expires <= this.clock.now().getTime()) {
      this.entries.delete(key);
      return undefined;
    }
    return found.value;
  }

  set(key: string, value: T, ttlSeconds: number): void {
    if (this.entries.size >= this.maxEntries) {
      // Oldest first: Map keeps insertion order.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { value, expires: this.clock.now().getTime() + ttlSeconds * 1000 });
  }

  clear(): void {
    this.entries.clear();
  }
}
