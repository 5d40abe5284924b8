/**
 * One reconcile per secret at a time in a warm instance, and one re-read per burst (issue 15). With
 * instanceConcurrency above 1 (s.yaml) the events of a burst for one secret reach one instance in
 * parallel invocations. Each must be decided on a description read after it arrived: a describe
 * that began earlier may predate what the event reports (a rotation failure corroborated against
 * the secret as it was before the failure). So an event that finds its secret's reconcile running
 * does not start a second read beside it, and does not take the running one's answer either: it
 * joins the one follow-up that starts when the running one ends, with every other event that
 * arrives meanwhile. N events for one secret during one reconcile cost two reads, not N.
 *
 * Every waiter gets the follow-up's outcome, success or failure, so an invocation fails exactly when
 * the read that decided its events failed (and FC retries it). The follow-up runs with the deps of
 * the invocation that opened it, which waits for it like every other joiner.
 *
 * A redelivered event whose first copy is in a reconcile that started after that copy arrived (the
 * same content, read fresh) shares that reconcile's outcome instead of joining the next (inFlight).
 */

interface Deferred<R> {
  promise: Promise<R>;
  resolve(value: R | Promise<R>): void;
}

function deferred<R>(): Deferred<R> {
  let resolve!: (value: R | Promise<R>) => void;
  const promise = new Promise<R>((r) => (resolve = r));
  return { promise, resolve };
}

/** The reconcile that waits for the running one of its secret. */
interface FollowUp<W, R> {
  works: W[];
  keys: string[];
  run: (works: W[]) => Promise<R>;
  outcome: Deferred<R>;
}

interface Slot<W, R> {
  next?: FollowUp<W, R>;
}

export class SecretReconciles<W, R> {
  /** Secrets with a reconcile running; the slot holds the follow-up waiting for it. */
  private readonly running = new Map<string, Slot<W, R>>();
  /** Event keys in a running or waiting reconcile, with its outcome. */
  private readonly keys = new Map<string, Promise<R>>();

  /** The outcome of the reconcile that already carries this event (running or waiting), if any. */
  inFlight(key: string): Promise<R> | undefined {
    return this.keys.get(key);
  }

  /** Whether a reconcile of this secret is running (new work for it waits for the follow-up). */
  isRunning(secretName: string): boolean {
    return this.running.has(secretName);
  }

  /**
   * Reconciles `secretName` with this work: now if nothing runs for it, else in the one follow-up
   * that starts after the running reconcile ends. `run` receives every work that joined.
   */
  submit(secretName: string, keys: readonly string[], work: W, run: (works: W[]) => Promise<R>): Promise<R> {
    const slot = this.running.get(secretName);
    if (!slot) {
      const fresh: Slot<W, R> = {};
      this.running.set(secretName, fresh);
      return this.start(secretName, fresh, [work], [...keys], run);
    }
    slot.next ??= { works: [], keys: [], run, outcome: deferred<R>() };
    slot.next.works.push(work);
    slot.next.keys.push(...keys);
    for (const key of keys) this.keys.set(key, slot.next.outcome.promise);
    return slot.next.outcome.promise;
  }

  private start(
    secretName: string,
    slot: Slot<W, R>,
    works: W[],
    keys: string[],
    run: (works: W[]) => Promise<R>,
  ): Promise<R> {
    const outcome = (async () => run(works))();
    for (const key of keys) this.keys.set(key, outcome);
    // Settled either way, the follow-up (if any) starts: its read is fresh for all who joined it.
    void outcome.then(
      () => this.finish(secretName, slot, keys),
      () => this.finish(secretName, slot, keys),
    );
    return outcome;
  }

  private finish(secretName: string, slot: Slot<W, R>, keys: string[]): void {
    for (const key of keys) this.keys.delete(key);
    const next = slot.next;
    if (!next) {
      this.running.delete(secretName);
      return;
    }
    // Taken out before it starts: whatever arrives from now on waits for the reconcile after it.
    slot.next = undefined;
    next.outcome.resolve(this.start(secretName, slot, next.works, next.keys, next.run));
  }
}
