import { wsBackpressureDetailsSchema, wsIngestServerMessageSchema } from '@athlete/contracts';
import { type NewSample, ResendQueue } from './resend-queue.ts';
import { ReconnectingSocket, type SocketState } from './socket.ts';

export interface IngestStatus {
  socket: SocketState;
  pending: number;
  lastAcked: number | null;
  sent: number;
  dropped: number;
  error: string | null;
}

/**
 * Streams samples to /ws/ingest: each is queued with a sequence number, sent at once when the
 * socket is open, and held until the server acknowledges its seq (`{type:'ack', ranges}`). A
 * batch refused with BACKPRESSURE is sent again after the wait the server names; after a
 * reconnect everything unacknowledged is sent again.
 */
export class IngestStream {
  private readonly queue: ResendQueue;
  private readonly socket: ReconnectingSocket;
  private sent = 0;
  private error: string | null = null;
  private socketState: SocketState = 'connecting';

  constructor(
    private readonly onStatus: (s: IngestStatus) => void,
    path = '/ws/ingest',
  ) {
    this.queue = new ResendQueue({ firstSeq: Date.now() });
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
    this.queue.enqueue(sample);
    this.flush();
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
      error: this.error,
    });
  }

  close(): void {
    this.socket.close();
  }
}
