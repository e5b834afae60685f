import { seqAcked } from '@athlete/contracts';

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
 * Samples waiting for the server's `{type:'ack', ranges}`. Every sample gets a rising sequence
 * number; an ack removes exactly the seqs it names (never everything below: a sample refused
 * with BACKPRESSURE keeps a lower seq and is still unstored). After a reconnect, or once a
 * refused range is due again, what is still held is sent again: the server de-duplicates, so
 * nothing is lost or doubled.
 */
export class ResendQueue {
  private readonly capacity: number;
  private items: OutgoingSample[] = [];
  private nextSeq: number;
  /** Highest seq already written to the current connection. */
  private sentUpTo = Number.NEGATIVE_INFINITY;
  private acked = Number.NEGATIVE_INFINITY;
  /** Seqs the server refused (BACKPRESSURE) that are due to be sent again on this connection. */
  private again = new Set<number>();
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

  /** Removes the samples whose seq lies in one of the ranges; returns how many were removed. */
  ack(ranges: ReadonlyArray<readonly [number, number]>): number {
    const before = this.items.length;
    this.items = this.items.filter((s) => !seqAcked(ranges, s.seq));
    for (const [, to] of ranges) if (to > this.acked) this.acked = to;
    return before - this.items.length;
  }

  /** The server refused seqs from..to (BACKPRESSURE): send those still held again. */
  refused(from: number, to: number): void {
    for (const s of this.items) if (s.seq >= from && s.seq <= to) this.again.add(s.seq);
  }

  /** Samples not yet written to the current connection, oldest first, at most `max`. */
  unsent(max = 500): OutgoingSample[] {
    const out: OutgoingSample[] = [];
    for (const s of this.items) {
      if (s.seq <= this.sentUpTo && !this.again.has(s.seq)) continue;
      out.push(s);
      if (out.length >= max) break;
    }
    return out;
  }

  markSent(batch: readonly OutgoingSample[]): void {
    for (const s of batch) {
      this.again.delete(s.seq);
      if (s.seq > this.sentUpTo) this.sentUpTo = s.seq;
    }
  }

  /** A new connection knows nothing of what the old one was sent: resend all unacknowledged. */
  connectionReset(): void {
    this.sentUpTo = Number.NEGATIVE_INFINITY;
    this.again.clear();
  }
}
