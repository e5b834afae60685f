import { wsIngestAckSchema } from '@athlete/contracts';
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

  private onMessage(msg: unknown): void {
    const m = msg as {
      type?: string;
      code?: string;
      message?: string;
      error?: { message?: string };
      details?: { seqFrom?: unknown; seqTo?: unknown; retryAfterMs?: unknown };
    };
    const ack = wsIngestAckSchema.safeParse(msg);
    if (ack.success) {
      this.queue.ack(ack.data.ranges);
      this.error = null;
    } else if (m.type === 'error' && m.code === 'BACKPRESSURE') {
      // The server is full: those samples are not stored; offer them again after its wait.
      const d = m.details ?? {};
      const wait = typeof d.retryAfterMs === 'number' ? Math.max(250, d.retryAfterMs) : 1_000;
      setTimeout(() => {
        if (typeof d.seqFrom === 'number' && typeof d.seqTo === 'number')
          this.queue.refused(d.seqFrom, d.seqTo);
        else this.queue.connectionReset();
        this.flush();
      }, wait);
      this.error = 'The server is busy; samples are kept and sent again.';
    } else if (m.type === 'error') {
      this.error = m.message ?? m.error?.message ?? 'The server rejected a sample.';
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
