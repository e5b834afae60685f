import { seqAcked, wsBackpressureDetailsSchema, wsIngestServerMessageSchema } from '@athlete/contracts';
import { WebSocket } from 'ws';

/** A sample as sent to /ws/ingest. */
export interface OutSample {
  athleteId?: string;
  ts: number;
  seq: number;
  hr?: number;
  rr?: number[];
  speed?: number;
  cadence?: number;
  distance?: number;
  lat?: number;
  lon?: number;
  alt?: number;
}

export interface StreamStats {
  sent: number;
  acked: number;
  resent: number;
  rejected: number;
  backpressure: number;
  reconnects: number;
}

/**
 * One `/ws/ingest` connection that never loses a sample: every sample gets a sequence number
 * and stays queued until the server acknowledges that seq (`{type:'ack', ranges}` after commit;
 * only the seqs named, so a sample refused with BACKPRESSURE stays queued whatever comes later). On a
 * reconnect, or when the server signals BACKPRESSURE, everything unacknowledged is sent again;
 * the server de-duplicates by (athlete, ts), so resends never double a row.
 */
export class IngestStream {
  readonly stats: StreamStats = { sent: 0, acked: 0, resent: 0, rejected: 0, backpressure: 0, reconnects: 0 };
  /** Unacknowledged samples in seq order. */
  #unacked: OutSample[] = [];
  #seq = 0;
  #ws: WebSocket | null = null;
  #open = false;
  #closed = false;
  #retryMs = 250;
  #everOpened = false;
  #resendTimer: NodeJS.Timeout | null = null;
  #onAck: Array<() => void> = [];

  constructor(
    readonly url: string,
    readonly credential: string,
    readonly options: {
      source?: 'live' | 'simulator';
      batchMax?: number;
      onError?(message: string): void;
    } = {},
  ) {}

  get pending(): number {
    return this.#unacked.length;
  }

  connect(): void {
    if (this.#closed) return;
    const ws = new WebSocket(this.url, { headers: { authorization: `Bearer ${this.credential}` } });
    this.#ws = ws;
    ws.on('open', () => {
      this.#open = true;
      this.#retryMs = 250;
      if (this.#everOpened) this.#resendAll();
      else this.#send(this.#unacked); // queued before the first connection: a first send
      this.#everOpened = true;
    });
    ws.on('message', (data) => this.#onMessage(data.toString()));
    ws.on('close', () => {
      this.#open = false;
      if (this.#closed) return;
      this.stats.reconnects++;
      setTimeout(() => this.connect(), this.#retryMs).unref?.();
      this.#retryMs = Math.min(this.#retryMs * 2, 5_000);
    });
    ws.on('error', (err) => this.options.onError?.(`connection error: ${err.message}`));
  }

  /** Queues samples (seq assigned here) and sends them when connected. */
  push(samples: Omit<OutSample, 'seq'>[]): void {
    if (samples.length === 0) return;
    const batch = samples.map((s) => ({ ...s, seq: ++this.#seq }));
    this.#unacked.push(...batch);
    if (this.#open && !this.#resendTimer) this.#send(batch);
  }

  /** Resolves when everything pushed so far is acknowledged (or the timeout passes). */
  async drain(timeoutMs = 30_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.#unacked.length > 0) {
      if (Date.now() > deadline) return false;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 200);
        this.#onAck.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return true;
  }

  close(): void {
    this.#closed = true;
    if (this.#resendTimer) clearTimeout(this.#resendTimer);
    this.#ws?.close();
  }

  #send(samples: OutSample[]): void {
    const max = this.options.batchMax ?? 500;
    for (let i = 0; i < samples.length; i += max) {
      const part = samples.slice(i, i + max);
      this.#ws?.send(
        JSON.stringify({ type: 'samples', source: this.options.source ?? 'live', samples: part }),
      );
      this.stats.sent += part.length;
    }
  }

  #resendAll(): void {
    if (this.#unacked.length === 0) return;
    this.stats.resent += this.#unacked.length;
    this.stats.sent -= this.#unacked.length; // counted again by #send
    this.#send(this.#unacked);
  }

  #onMessage(text: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return;
    }
    const parsed = wsIngestServerMessageSchema.safeParse(raw);
    if (!parsed.success) {
      this.options.onError?.('the server sent a message outside the contract');
      return;
    }
    const msg = parsed.data;
    if (msg.type === 'ack') {
      const before = this.#unacked.length;
      this.#unacked = this.#unacked.filter((s) => !seqAcked(msg.ranges, s.seq));
      const n = before - this.#unacked.length;
      if (n > 0) {
        this.stats.acked += n;
        for (const w of this.#onAck.splice(0)) w();
      }
    } else if (msg.type === 'rejected') {
      this.stats.rejected += msg.items.length;
    } else if (msg.type === 'error') {
      if (msg.code === 'BACKPRESSURE') {
        this.stats.backpressure++;
        const d = wsBackpressureDetailsSchema.safeParse(msg.details);
        if (d.success && d.data.seqFrom !== undefined && d.data.seqTo !== undefined) {
          // Only that batch was refused: send it again once the server has room.
          const { seqFrom, seqTo, retryAfterMs } = d.data;
          setTimeout(
            () => {
              const again = this.#unacked.filter((s) => s.seq >= seqFrom && s.seq <= seqTo);
              if (this.#open && again.length > 0) {
                this.stats.resent += again.length;
                this.stats.sent -= again.length;
                this.#send(again);
              }
            },
            Math.max(250, retryAfterMs),
          ).unref?.();
        } else if (!this.#resendTimer) {
          // No detail: pause, then send everything unacked again.
          this.#resendTimer = setTimeout(() => {
            this.#resendTimer = null;
            if (this.#open) this.#resendAll();
          }, 1_000);
        }
      } else this.options.onError?.(`${msg.code}: ${msg.message}`);
    }
  }
}
