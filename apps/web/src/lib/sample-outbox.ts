import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { OutgoingSample } from './resend-queue.ts';

/** IndexedDB database and store holding recorded samples the server has not acknowledged yet. */
export const OUTBOX_DB = 'athlete-recorder';
export const OUTBOX_STORE = 'unacked';

interface OutboxSchema extends DBSchema {
  /** Keyed by [userId, seq]: one account's samples are never sent as another's. */
  [OUTBOX_STORE]: { key: [string, number]; value: OutgoingSample };
}

/**
 * The recorder's samples on this device until the server acknowledges them, so a page reload,
 * a closed tab or a lost connection loses nothing: the next Record page of the same account
 * sends them again (the server keeps one sample per athlete and instant, so a resend of a
 * stored one is a no-op). Writes are queued in order and never throw; a failing store (private
 * mode, quota) leaves the in-memory queue working as before.
 */
export class SampleOutbox {
  private chain: Promise<unknown> = Promise.resolve();
  /** The last write error, if any (shown as a warning: samples are then kept in memory only). */
  error: string | null = null;

  private constructor(
    private readonly db: IDBPDatabase<OutboxSchema>,
    private readonly userId: string,
  ) {}

  /** The outbox of one account, or null where this browser has no usable IndexedDB. */
  static async open(userId: string): Promise<SampleOutbox | null> {
    if (typeof indexedDB === 'undefined') return null;
    try {
      const db = await openDB<OutboxSchema>(OUTBOX_DB, 1, {
        upgrade(d) {
          d.createObjectStore(OUTBOX_STORE);
        },
      });
      return new SampleOutbox(db, userId);
    } catch {
      return null;
    }
  }

  private range(): IDBKeyRange {
    return IDBKeyRange.bound([this.userId, 0], [this.userId, Number.MAX_SAFE_INTEGER]);
  }

  /** Everything this account left unacknowledged, oldest seq first. */
  async load(): Promise<OutgoingSample[]> {
    await this.chain;
    try {
      return await this.db.getAll(OUTBOX_STORE, this.range());
    } catch (err) {
      this.error = (err as Error).message;
      return [];
    }
  }

  put(sample: OutgoingSample): Promise<void> {
    return this.run(() => this.db.put(OUTBOX_STORE, sample, [this.userId, sample.seq]));
  }

  remove(seqs: readonly number[]): Promise<void> {
    if (seqs.length === 0) return Promise.resolve();
    return this.run(async () => {
      const tx = this.db.transaction(OUTBOX_STORE, 'readwrite');
      for (const seq of seqs) void tx.store.delete([this.userId, seq]);
      await tx.done;
    });
  }

  /** Resolves once every write asked for so far has finished. */
  settled(): Promise<void> {
    return this.chain.then(() => undefined);
  }

  private run(op: () => Promise<unknown>): Promise<void> {
    const next = this.chain.then(op).then(
      () => {
        this.error = null;
      },
      (err: unknown) => {
        this.error = (err as Error).message || 'could not write to this device';
      },
    );
    this.chain = next;
    return next;
  }

  close(): void {
    this.db.close();
  }
}
