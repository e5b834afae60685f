import { randomUUID } from 'node:crypto';
import type { Unsubscribe } from '@athlete/platform';
import type { Deps } from '../deps.ts';

/**
 * Pub/sub channel on which an API process claims the athletes whose samples it started to
 * receive (a gateway or phone reconnected through the load balancer), so the process that fed
 * them before lets go of their session and alert state; and on which a process that closed an
 * athlete's session tells the others to let go of it.
 */
export const LIVE_CLAIM_CHANNEL = 'live.claim';

/** A claim not seen back on the channel within this long is taken as lost (a pub/sub outage). */
const CLAIM_ECHO_TIMEOUT_MS = 30_000;

export interface LiveHandoffOptions {
  deps: Pick<Deps, 'log' | 'platform'>;
  /** Another process claimed the athlete: drop its state here, closing and clearing nothing. */
  release(athleteId: string): void;
}

/**
 * One owner per athlete's live state across API processes: the newest one to receive their
 * samples. Claims are ordered by the channel itself (every subscriber sees messages in the
 * order Redis took them), not by clocks: a process lets go of an athlete on another's claim
 * unless a claim of its own for that athlete is still on its way, which makes its own the
 * later one. With one process (embedded mode) there is nobody to tell: a no-op.
 */
export class LiveHandoff {
  readonly #opts: LiveHandoffOptions;
  readonly #node = randomUUID();
  /** Athletes claimed by this process whose claim has not come back yet: count, last sent. */
  readonly #inFlight = new Map<string, { count: number; at: number }>();
  #sub: Unsubscribe | null = null;

  constructor(opts: LiveHandoffOptions) {
    this.#opts = opts;
  }

  get #enabled(): boolean {
    return this.#opts.deps.platform.mode === 'services';
  }

  async start(): Promise<void> {
    if (!this.#enabled || this.#sub) return;
    try {
      this.#sub = await this.#opts.deps.platform.pubsub.subscribe(LIVE_CLAIM_CHANNEL, (message) =>
        this.#received(message),
      );
    } catch (err) {
      this.#opts.deps.log.error({ err }, `live: could not subscribe to ${LIVE_CLAIM_CHANNEL}`);
    }
  }

  async stop(): Promise<void> {
    await this.#sub?.().catch(() => {});
    this.#sub = null;
  }

  /** This process starts feeding these athletes: others let go of them. One message per call. */
  claim(athleteIds: readonly string[]): void {
    if (!this.#enabled || athleteIds.length === 0) return;
    const now = Date.now();
    for (const id of athleteIds) {
      const pending = this.#inFlight.get(id);
      if (pending && now - pending.at < CLAIM_ECHO_TIMEOUT_MS) {
        pending.count++;
        pending.at = now;
      } else this.#inFlight.set(id, { count: 1, at: now });
    }
    this.#publish(athleteIds, () => {
      for (const id of athleteIds) this.#settle(id);
    });
  }

  /**
   * This process closed these athletes' sessions (an explicit stop, an orphan sweep): a process
   * still feeding one lets go of it too, so its next sample opens a new session instead of
   * landing in the closed one.
   */
  letGo(athleteIds: readonly string[]): void {
    if (!this.#enabled || athleteIds.length === 0) return;
    this.#publish(athleteIds, () => {});
  }

  #publish(athleteIds: readonly string[], onFailure: () => void): void {
    const message = JSON.stringify({ node: this.#node, athleteIds });
    this.#opts.deps.platform.pubsub.publish(LIVE_CLAIM_CHANNEL, message).catch((err: unknown) => {
      onFailure();
      this.#opts.deps.log.warn({ err, athletes: athleteIds.length }, 'live: could not publish a claim');
    });
  }

  #received(raw: Buffer): void {
    let node: unknown;
    let athleteIds: unknown;
    try {
      ({ node, athleteIds } = JSON.parse(raw.toString()) as { node?: unknown; athleteIds?: unknown });
    } catch {
      return;
    }
    if (typeof node !== 'string' || !Array.isArray(athleteIds)) return;
    const now = Date.now();
    for (const id of athleteIds) {
      if (typeof id !== 'string') continue;
      if (node === this.#node) {
        this.#settle(id);
        continue;
      }
      const pending = this.#inFlight.get(id);
      if (pending) {
        if (now - pending.at < CLAIM_ECHO_TIMEOUT_MS) continue; // ours comes later on the channel
        this.#inFlight.delete(id);
      }
      this.#opts.release(id);
    }
  }

  #settle(athleteId: string): void {
    const pending = this.#inFlight.get(athleteId);
    if (!pending) return;
    if (--pending.count <= 0) this.#inFlight.delete(athleteId);
  }
}
