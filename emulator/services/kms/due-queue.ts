/**
 * Every secret's next rotation in one min-heap, behind ONE clock task: seeding 100,000 secrets
 * must not put 100,000 tasks on the clock. Entries are invalidated lazily by a per-name token.
 */
import type { SimClock } from '../../types';

interface Entry {
  at: number;
  name: string;
  token: number;
}

export class DueQueue {
  private heap: Entry[] = [];
  private readonly tokens = new Map<string, number>();
  private nextToken = 1;
  private handle: number | undefined;
  private handleAt = Infinity;

  constructor(
    private readonly clock: SimClock,
    private readonly onDue: (name: string) => Promise<void>,
  ) {}

  /** (Re)schedules `name` at `at`; replaces any earlier entry for it. */
  set(name: string, at: number): void {
    const token = this.nextToken++;
    this.tokens.set(name, token);
    this.push({ at, name, token });
    this.arm();
  }

  remove(name: string): void {
    this.tokens.delete(name);
  }

  size(): number {
    return this.tokens.size;
  }

  private arm(): void {
    const top = this.peekValid();
    if (!top) return;
    if (this.handle !== undefined && this.handleAt <= top.at) return;
    if (this.handle !== undefined) this.clock.cancel(this.handle);
    this.handleAt = top.at;
    this.handle = this.clock.schedule(top.at, () => this.fire(), 'kms:rotation-due');
  }

  private async fire(): Promise<void> {
    this.handle = undefined;
    this.handleAt = Infinity;
    const now = this.clock.now();
    for (;;) {
      const top = this.peekValid();
      if (!top || top.at > now) break;
      this.pop();
      this.tokens.delete(top.name);
      try {
        await this.onDue(top.name);
      } catch {
        // A rotation's own failure is recorded on the secret; one secret never stops the others.
      }
    }
    this.arm();
  }

  private peekValid(): Entry | undefined {
    while (this.heap.length > 0) {
      const top = this.heap[0] as Entry;
      if (this.tokens.get(top.name) === top.token) return top;
      this.pop();
    }
    return undefined;
  }

  private push(entry: Entry): void {
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (less(h[p] as Entry, h[i] as Entry)) break;
      [h[p], h[i]] = [h[i] as Entry, h[p] as Entry];
      i = p;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop() as Entry;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && less(h[l] as Entry, h[m] as Entry)) m = l;
      if (r < h.length && less(h[r] as Entry, h[m] as Entry)) m = r;
      if (m === i) break;
      [h[m], h[i]] = [h[i] as Entry, h[m] as Entry];
      i = m;
    }
  }
}

function less(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.token < b.token);
}
