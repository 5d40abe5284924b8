/**
 * The emulator's one clock. Time moves only when told: `advance()` / `runUntil()` fire every
 * scheduled task in time order, awaiting each (and whatever it awaits), so a test that advances
 * sixty days sees the same sequence every run. `follow()` lets it track real time for
 * `kro emulator`.
 */
import type { SimClock } from './types';

interface Task {
  at: number;
  seq: number;
  handle: number;
  label: string;
  fn: () => void | Promise<void>;
}

export class ManualClock implements SimClock {
  private current: number;
  private tasks: Task[] = [];
  private seq = 0;
  private running: Promise<void> = Promise.resolve();
  /** Errors thrown by scheduled tasks; they never stop the clock. */
  readonly taskErrors: Array<{ label: string; error: unknown }> = [];

  constructor(start: number) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  schedule(at: number, fn: () => void | Promise<void>, label = 'task'): number {
    const handle = ++this.seq;
    const task: Task = { at: Math.max(at, this.current), seq: handle, handle, label, fn };
    // Keep tasks sorted by (at, seq): insertion after the last task not later than this one.
    let i = this.tasks.length;
    while (i > 0 && (this.tasks[i - 1] as Task).at > task.at) i--;
    this.tasks.splice(i, 0, task);
    return handle;
  }

  cancel(handle: number): void {
    this.tasks = this.tasks.filter((t) => t.handle !== handle);
  }

  pending(): number {
    return this.tasks.length;
  }

  nextAt(): number | undefined {
    return this.tasks[0]?.at;
  }

  /** Move time forward by `ms`, running everything due on the way. */
  advance(ms: number): Promise<void> {
    return this.runUntil(this.current + ms);
  }

  /** Run tasks due up to `target` in order; calls are serialized so concurrent callers queue. */
  runUntil(target: number): Promise<void> {
    const run = this.running.then(() => this.drain(target));
    this.running = run.catch(() => undefined);
    return run;
  }

  /** Run what is due now (tasks scheduled for the current instant), without moving time. */
  settle(): Promise<void> {
    return this.runUntil(this.current);
  }

  private async drain(target: number): Promise<void> {
    for (;;) {
      const next = this.tasks[0];
      if (!next || next.at > target) break;
      this.tasks.shift();
      if (next.at > this.current) this.current = next.at;
      try {
        await next.fn();
      } catch (error) {
        this.taskErrors.push({ label: next.label, error });
      }
    }
    if (target > this.current) this.current = target;
  }

  /** Follow real time at `speed` times its pace until the returned stop function is called. */
  follow(speed = 1, tickMs = 100): () => void {
    let last = Date.now();
    const timer = setInterval(() => {
      const real = Date.now();
      const delta = (real - last) * speed;
      last = real;
      void this.advance(delta);
    }, tickMs);
    timer.unref?.();
    return () => clearInterval(timer);
  }
}
