/**
 * Progress on stderr with an estimate of the time left: a bar redrawn in place on a terminal, plain
 * lines (at most one every few seconds, and the last) otherwise, so logs stay readable.
 */
export interface ProgressOptions {
  readonly stream: NodeJS.WritableStream;
  readonly isTTY: boolean;
  readonly now?: () => number;
  /** Plain mode: the least time between two lines. */
  readonly plainEveryMs?: number;
}

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export class Progress {
  private readonly started: number;
  private lastPlain = Number.NEGATIVE_INFINITY;
  private drawn = false;
  private lastDone = -1;
  private lastLine = '';
  private readonly now: () => number;

  constructor(
    private readonly options: ProgressOptions,
    private total: number,
    private readonly unit: string,
  ) {
    this.now = options.now ?? Date.now;
    this.started = this.now();
  }

  /** A line of its own (a wait for Jira's rate limit, say), above the bar on a terminal. */
  message(line: string): void {
    if (this.options.isTTY && this.drawn) {
      this.options.stream.write(`\r\x1b[2K${line}\n${this.lastLine}`);
      return;
    }
    this.options.stream.write(`${line}\n`);
  }

  update(done: number): void {
    // The total is an estimate taken before the replay: never show more done than there is.
    if (done > this.total) this.total = done;
    const elapsed = this.now() - this.started;
    const left = done > 0 ? (elapsed / done) * (this.total - done) : null;
    const estimate = left === null ? 'estimating the time left' : `about ${formatDuration(left)} left`;
    const count = `${done} of ${this.total} ${this.unit}`;
    if (this.options.isTTY) {
      const width = 24;
      const filled = this.total === 0 ? width : Math.round((done / this.total) * width);
      this.lastLine = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${count}, ${estimate}`;
      this.options.stream.write(`\r\x1b[2K${this.lastLine}`);
      this.drawn = true;
      return;
    }
    const at = this.now();
    if (done === this.lastDone || (done < this.total && at - this.lastPlain < (this.options.plainEveryMs ?? 2000))) return;
    this.lastPlain = at;
    this.lastDone = done;
    this.options.stream.write(`scrum-guard: ${count} replayed, ${done < this.total ? estimate : `done in ${formatDuration(elapsed)}`}\n`);
  }

  finish(done: number): void {
    this.total = done;
    this.update(done);
    if (this.options.isTTY && this.drawn) this.options.stream.write('\n');
  }
}
