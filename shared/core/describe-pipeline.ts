/**
 * The sweep's describe pipeline: a steady `concurrency` describes in flight across page
 * boundaries. Waiting for a whole page before the next one starts leaves the read quota idle at
 * every page's tail (the slowest describe of each page); here the next page is listed ahead and its
 * secrets join the queue before the current page drains, so workers never wait on a page boundary.
 * At most about two pages are queued, so a stop wastes little listing.
 *
 * Stops keep the sweep's cursor semantics: a throttled describe or list, or the deadline (checked
 * between pages, so the first page is always done), ends the pass with the lowest page that was not
 * fully assessed; pages below it are done, later work that finished is kept (every step is
 * idempotent, so the continuation may repeat it harmlessly).
 */
import { CloudError, isThrottling } from '../errors';
import type { ListSecretsPage, SecretSummary } from '../ports/kms';

export type DescribeOutcome = 'ok' | 'throttled' | 'skipped';
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface PipelineOptions {
  firstPage: number;
  listPage(page: number): Promise<Settled<ListSecretsPage>>;
  describe(secret: SecretSummary): Promise<DescribeOutcome>;
  concurrency: number;
  /** True once the sweep must not start another page. */
  pastDeadline(): boolean;
}

export interface PipelineResult {
  pages: number;
  secrets: number;
  throttled: number;
  skipped: number;
  stop?: { page: number; reason: 'throttled' | 'time-budget' };
}

interface Queued {
  secret: SecretSummary;
  page: number;
}

export async function describeAcrossPages(options: PipelineOptions): Promise<PipelineResult> {
  const result: PipelineResult = { pages: 0, secrets: 0, throttled: 0, skipped: 0 };
  const queue: Queued[] = [];
  let head = 0;
  let listingDone = false;
  let halted = false;
  let listError: { error: unknown } | undefined;
  const stops: Array<{ page: number; reason: 'throttled' | 'time-budget' }> = [];

  // One signal for every waiter (workers wanting items, the lister wanting room): each re-checks.
  let waiters: Array<() => void> = [];
  const wait = () => new Promise<void>((resolve) => waiters.push(resolve));
  const notify = () => {
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  };

  const lister = async () => {
    let page = options.firstPage;
    let next = options.listPage(page);
    let pageSize = 0;
    try {
      for (;;) {
        const listed = await next;
        if (halted) return;
        if (!listed.ok) {
          if (!(listed.error instanceof CloudError && isThrottling(listed.error.code))) {
            listError = { error: listed.error };
            halted = true;
            return;
          }
          result.throttled += 1;
          stops.push({ page, reason: 'throttled' });
          return;
        }
        result.pages += 1;
        const { secrets, totalCount } = listed.value;
        pageSize = Math.max(pageSize, listed.value.pageSize, secrets.length);
        const more = secrets.length > 0 && page * listed.value.pageSize < totalCount;
        // Listed ahead: the next page (list quota 40/s) arrives while this one is described (read quota 450/s).
        if (more) next = options.listPage(page + 1);
        result.secrets += secrets.length;
        for (const secret of secrets) queue.push({ secret, page });
        notify();
        if (!more) return;
        page += 1;
        // Room for the next page once at most one page is waiting: the queue never runs dry, never grows.
        while (!halted && queue.length - head > pageSize) await wait();
        if (halted) return;
        if (options.pastDeadline()) {
          stops.push({ page, reason: 'time-budget' });
          return;
        }
      }
    } finally {
      listingDone = true;
      notify();
    }
  };

  const worker = async () => {
    for (;;) {
      if (halted) return;
      if (head < queue.length) {
        const item = queue[head]!;
        queue[head++] = undefined as unknown as Queued; // let the summary be collected
        notify();
        const outcome = await options.describe(item.secret);
        if (outcome !== 'ok') result.skipped += 1;
        if (outcome === 'throttled') {
          result.throttled += 1;
          stops.push({ page: item.page, reason: 'throttled' });
          halted = true;
          notify();
        }
        continue;
      }
      if (listingDone) return;
      await wait();
    }
  };

  await Promise.all([lister(), ...Array.from({ length: Math.max(1, options.concurrency) }, worker)]);
  if (listError) throw listError.error;
  // Secrets never taken (after a halt) are assessed by the continuation from their page.
  const untaken = queue.slice(head).find((q) => q !== undefined);
  if (untaken) stops.push({ page: untaken.page, reason: 'throttled' });
  const lowest = stops.reduce<PipelineResult['stop']>((low, s) => (!low || s.page < low.page ? s : low), undefined);
  if (lowest) result.stop = lowest;
  return result;
}
