/**
 * The leading edge of alert delivery. The first page of a storm window goes out from the invocation
 * that detects it; later ones wait for the window's flush and go out grouped by cause (alerts.ts).
 *
 * Concurrent FC instances agree on who is first without a database: the lock is the window's flush
 * task (`flush-<window start>`, scheduling.ts requestFlush). FC accepts one async task per id and
 * refuses every later submission with 409 (alibaba-cloud-apis.md §6.3, asyncTask on in s.yaml), so
 * exactly one requester in the window gets it accepted: that invocation sends its own alerts now
 * (through the same write-ahead path, pass.ts), every other one leaves them queued for the flush it
 * found scheduled. The flush is also the leader's safety net: if the leader dies before sending,
 * its alert is still queued on the tag and the flush sends it.
 *
 * When the coordination itself fails (FC unreachable, the flush function missing) nobody can be
 * sure a flush will come: alerts fail open and are sent at once, ungrouped (a page too many beats
 * a page lost).
 */
import type { Episode } from '../domain/episode';
import type { CoreDeps } from './deps';
import { requestFlush } from './scheduling';

/** What is paged at once: a problem opening or escalating. Reminders and recoveries can wait for the group. */
const LEADING_STAGES = new Set(['open', 'escalate']);

export function hasPendingAlert(episodes: Episode[]): boolean {
  return episodes.some((e) => e.alert && e.alert.delivery !== 'delivered');
}

function hasLeadingAlert(episodes: Episode[]): boolean {
  return episodes.some((e) => e.alert && e.alert.delivery !== 'delivered' && LEADING_STAGES.has(e.alert.stage));
}

/** One per invocation: the window is claimed at most once, and only one secret of a batch leads. */
export class LeadingEdge {
  private claim?: Promise<'first' | 'taken' | 'open'>;
  private led = false;

  constructor(private readonly deps: CoreDeps) {}

  /** A flush is scheduled for this window (by this invocation or another). */
  async flushScheduled(): Promise<boolean> {
    return this.claim !== undefined && (await this.claim) !== 'open';
  }

  /** Whether the pending alerts of a secret whose episodes are these go out now. */
  async sendNow(episodes: Episode[]): Promise<boolean> {
    if (!hasLeadingAlert(episodes)) return false;
    const claim = await this.claimWindow();
    if (claim === 'open') return true;
    if (claim === 'taken' || this.led) return false;
    this.led = true;
    return true;
  }

  /** Asks for the window's flush (once per invocation) when something waits for it. */
  async requestFlush(): Promise<void> {
    await this.claimWindow();
  }

  private claimWindow(): Promise<'first' | 'taken' | 'open'> {
    this.claim ??= requestFlush(this.deps).catch((error: unknown) => {
      this.deps.logger.error(
        'flush not scheduled: alerts go out at once, ungrouped; due remediations wait for the next sweep',
        {
          error,
        },
      );
      return 'open' as const;
    });
    return this.claim;
  }
}
