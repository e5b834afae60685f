/** One sample as sent to the ingest API (`{type:'samples', samples:[...]}` on /ws/ingest). */
export interface OutgoingSample {
  /** epoch ms */
  ts: number;
  seq: number;
  hr?: number;
  /** RR intervals in ms */
  rr?: number[];
  speed?: number;
  cadence?: number;
  power?: number;
  distance?: number;
  lat?: number;
  lon?: number;
  alt?: number;
}

export type NewSample = Omit<OutgoingSample, 'seq'>;

export interface ResendQueueOptions {
  /** Most unacknowledged samples held; beyond it the oldest are dropped (and counted). */
  capacity?: number;
  /** First sequence number. Starting from the clock keeps numbers rising across page reloads. */
  firstSeq?: number;
}

/**
 * Samples waiting for the server's `{type:'ack', upTo}`. Every sample gets a rising sequence
 * number; an ack removes everything up to it. After a reconnect everything still held is sent
 * again: the server de-duplicates, so nothing is lost or doubled.
 */
export class ResendQueue {
  private readonly capacity: number;
  private items: OutgoingSample[] = [];
  private nextSeq: number;
  /** Highest seq already written to the current connection. */
  private sentUpTo = Number.NEGATIVE_INFINITY;
  private acked = Number.NEGATIVE_INFINITY;
  dropped = 0;

  constructor(options: ResendQueueOptions = {}) {
    this.capacity = options.capacity ?? 3600;
    this.nextSeq = options.firstSeq ?? 1;
  }

  get pending(): number {
    return this.items.length;
  }

  get lastAcked(): number | null {
    return Number.isFinite(this.acked) ? this.acked : null;
  }

  enqueue(sample: NewSample): OutgoingSample {
    const withSeq: OutgoingSample = { ...sample, seq: this.nextSeq++ };
    this.items.push(withSeq);
    if (this.items.length > this.capacity) {
      const over = this.items.length - this.capacity;
      this.items.splice(0, over);
      this.dropped += over;
    }
    return withSeq;
  }

  /** Removes every sample with seq ≤ upTo; returns how many were removed. Stale acks are ignored. */
  ack(upTo: number): number {
    if (!Number.isFinite(upTo) || upTo <= this.acked) return 0;
    this.acked = upTo;
    let n = 0;
    while (n < this.items.length && this.items[n]!.seq <= upTo) n++;
    if (n > 0) this.items.splice(0, n);
    return n;
  }

  /** Samples not yet written to the current connection, oldest first, at most `max`. */
  unsent(max = 500): OutgoingSample[] {
    const out: OutgoingSample[] = [];
    for (const s of this.items) {
      if (s.seq <= this.sentUpTo) continue;
      out.push(s);
      if (out.length >= max) break;
    }
    return out;
  }

  markSent(batch: readonly OutgoingSample[]): void {
    const last = batch[batch.length - 1];
    if (last && last.seq > this.sentUpTo) this.sentUpTo = last.seq;
  }

  /** A new connection knows nothing of what the old one was sent: resend all unacknowledged. */
  connectionReset(): void {
    this.sentUpTo = Number.NEGATIVE_INFINITY;
  }
}
