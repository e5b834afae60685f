import { wsBackpressureDetailsSchema, wsIngestServerMessageSchema } from '@athlete/contracts';
import { type NewSample, ResendQueue } from './resend-queue.ts';
import type { SampleOutbox } from './sample-outbox.ts';
import { ReconnectingSocket, type SocketState } from './socket.ts';

export interface IngestStatus {
  socket: SocketState;
  pending: number;
  lastAcked: number | null;
  sent: number;
  dropped: number;
  /** Samples of an earlier page (reload, closed tab) found on this device and sent again. */
  restored: number;
  /** Whether unacknowledged samples are kept on this device (IndexedDB), not only in memory. */
  persistent: boolean;
  error: string | null;
}

export interface IngestStreamOptions {
  path?: string;
  /** Where unacknowledged samples survive a reload; without it they live in memory only. */
  outbox?: SampleOutbox | null;
}

/**
 * Streams samples to /ws/ingest: each is queued with a sequence number, sent at once when the
 * socket is open, and held until the server acknowledges its seq (`{type:'ack', ranges}`). A
 * batch refused with BACKPRESSURE is sent again after the wait the server names; after a
 * reconnect everything unacknowledged is sent again. With an outbox, every sample is also kept
 * on the device until acknowledged, and what an earlier page left there is sent first.
 */
export class IngestStream {
  private readonly queue: ResendQueue;
  private readonly socket: ReconnectingSocket;
  private sent = 0;
  private error: string | null = null;
  private socketState: SocketState = 'connecting';
  private readonly outbox: SampleOutbox | null;
  private restored = 0;
  /** Samples measured before the outbox was read back, queued after the restored ones. */
  private early: NewSample[] | null = [];

  constructor(
    private readonly onStatus: (s: IngestStatus) => void,
    { path = '/ws/ingest', outbox = null }: IngestStreamOptions = {},
  ) {
    this.outbox = outbox;
    this.queue = new ResendQueue({
      firstSeq: Date.now(),
      onForget: (seqs) => void this.outbox?.remove(seqs),
    });
    void (outbox ? outbox.load() : Promise.resolve([])).then((saved) => {
      this.queue.restore(saved);
      this.restored = saved.length;
      const early = this.early ?? [];
      this.early = null;
      for (const s of early) this.enqueue(s);
      this.flush();
    });
    this.socket = new ReconnectingSocket({
      path,
      onOpen: () => {
        this.queue.connectionReset();
        this.flush();
      },
      onState: (state, detail) => {
        this.socketState = state;
        if (detail) this.error = detail;
        this.emit();
      },
      onMessage: (msg) => this.onMessage(msg),
    });
  }

  private onMessage(raw: unknown): void {
    const parsed = wsIngestServerMessageSchema.safeParse(raw);
    if (!parsed.success) return;
    const msg = parsed.data;
    if (msg.type === 'ack') {
      this.queue.ack(msg.ranges);
      this.error = null;
    } else if (msg.type === 'error' && msg.code === 'BACKPRESSURE') {
      // The server is full: those samples are not stored; offer them again after its wait.
      const d = wsBackpressureDetailsSchema.safeParse(msg.details);
      const wait = d.success ? Math.max(250, d.data.retryAfterMs) : 1_000;
      setTimeout(() => {
        if (d.success && d.data.seqFrom !== undefined && d.data.seqTo !== undefined)
          this.queue.refused(d.data.seqFrom, d.data.seqTo);
        else this.queue.connectionReset();
        this.flush();
      }, wait);
      this.error = 'The server is busy; samples are kept and sent again.';
    } else if (msg.type === 'error') {
      this.error = msg.message;
    } else if (msg.type === 'rejected') {
      this.error = `The server refused ${msg.items.length} sample(s): ${msg.items[0]?.reason ?? ''}`;
    }
    this.emit();
  }

  push(sample: NewSample): void {
    if (this.early) {
      this.early.push(sample);
      return;
    }
    this.enqueue(sample);
    this.flush();
  }

  private enqueue(sample: NewSample): void {
    const queued = this.queue.enqueue(sample);
    void this.outbox?.put(queued);
  }

  private flush(): void {
    while (this.socket.isOpen) {
      const batch = this.queue.unsent(200);
      if (batch.length === 0) break;
      if (!this.socket.send({ type: 'samples', samples: batch })) break;
      this.queue.markSent(batch);
      this.sent += batch.length;
    }
    this.emit();
  }

  private emit(): void {
    this.onStatus({
      socket: this.socketState,
      pending: this.queue.pending,
      lastAcked: this.queue.lastAcked,
      sent: this.sent,
      dropped: this.queue.dropped,
      restored: this.restored,
      persistent: this.outbox !== null && this.outbox.error === null,
      error: this.error,
    });
  }

  close(): void {
    this.socket.close();
  }
}
