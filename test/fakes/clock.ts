/** A clock the test moves: the Clock and RunTime ports, with waits that take no real time. */
import type { Clock, RunTime } from '../../src/app/ports';

export class FakeClock implements Clock, RunTime {
  private ms: number;
  /** What the invocation has left, for RunTime (counts down as the test sleeps). */
  remaining = 55_000;
  readonly slept: number[] = [];

  constructor(start: string | number = '2026-11-10T10:00:00.000Z') {
    this.ms = typeof start === 'number' ? start : Date.parse(start);
  }

  now(): Date {
    return new Date(this.ms);
  }

  advance(ms: number): void {
    this.ms += ms;
  }

  remainingMs(): number {
    return this.remaining;
  }

  sleep(ms: number): Promise<void> {
    this.slept.push(ms);
    this.ms += ms;
    this.remaining -= ms;
    return Promise.resolve();
  }
}
