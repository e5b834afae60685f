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
  /** Told the seqs that left the queue (acknowledged, or dropped beyond capacity). */
  onForget?: (seqs: number[]) => void;
}

/**
 * Samples waiting for the server's `{type:'ack', ranges}`. Every sample gets a rising sequence
 * number; an ack removes exactly the seqs it names (never everything below: a sample refused
 * with BACKPRESSURE keeps a lower seq and is still unstored). After a reconnect, or once a
 * refused range is due again, what is still held is sent again: the server keeps one sample
 * per athlete and instant (a resend is a no-op), so nothing is lost or doubled.
 */
export class ResendQueue {
  private readonly capacity: number;
  private readonly onForget: (seqs: number[]) => void;
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
    this.onForget = options.onForget ?? (() => {});
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
    this.trim();
    return withSeq;
  }

  /**
   * Takes back samples kept from an earlier page (not acknowledged then), in seq order before
   * anything newer; later seqs continue above them. They are sent on the next flush.
   */
  restore(samples: readonly OutgoingSample[]): void {
    if (samples.length === 0) return;
    const known = new Set(this.items.map((s) => s.seq));
    const fresh = samples.filter((s) => !known.has(s.seq));
    // Below what this connection was sent already, yet never sent on it: mark them due.
    for (const s of fresh) this.again.add(s.seq);
    const merged = [...fresh, ...this.items];
    merged.sort((a, b) => a.seq - b.seq);
    this.items = merged;
    const top = merged[merged.length - 1]!.seq;
    if (top >= this.nextSeq) this.nextSeq = top + 1;
    this.trim();
  }

  private trim(): void {
    if (this.items.length <= this.capacity) return;
    const over = this.items.length - this.capacity;
    const gone = this.items.splice(0, over);
    this.dropped += over;
    this.onForget(gone.map((s) => s.seq));
  }

  /** Removes the samples whose seq lies in one of the ranges; returns how many were removed. */
  ack(ranges: ReadonlyArray<readonly [number, number]>): number {
    const kept: OutgoingSample[] = [];
    const gone: number[] = [];
    for (const s of this.items) {
      if (seqAcked(ranges, s.seq)) gone.push(s.seq);
      else kept.push(s);
    }
    this.items = kept;
    for (const [, to] of ranges) if (to > this.acked) this.acked = to;
    if (gone.length) this.onForget(gone);
    return gone.length;
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
