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
 * socket is open, and held until the server acknowledges it (`{type:'ack', upTo}`). After a
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
    const m = msg as { type?: string; upTo?: unknown; message?: string; error?: { message?: string } };
    if (m.type === 'ack' && typeof m.upTo === 'number') {
      this.queue.ack(m.upTo);
      this.error = null;
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
