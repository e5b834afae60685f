import type { InsertReport, SampleKey, SampleRow } from '@athlete/db';

/** Raised when the bounded buffer is full: the caller must not treat the samples as accepted. */
export class BackpressureError extends Error {
  override readonly name = 'BackpressureError';
  constructor(
    readonly buffered: number,
    readonly capacity: number,
    readonly retryAfterMs: number,
  ) {
    super(`live buffer full (${buffered}/${capacity} samples waiting for the database)`);
  }
}

export interface FlushOutcome {
  /** Rows of this ticket that were new in the database (the rest were already stored). */
  inserted: number;
  /** Rows of this ticket that were already stored (same athlete and instant). */
  duplicates: number;
  /**
   * Rows of this ticket dropped before they were written because their athlete's account was
   * deleted ({@link WriteBehind.discard}): erased by request, not lost, so the sender is acked.
   */
  erased?: number;
  /**
   * Rows of this ticket the database refused (a value it cannot store, a broken constraint):
   * kept in the quarantine table with the reason instead of being retried forever.
   */
  quarantined?: number;
}

/** A row the database refused, with the reason it gave (for the quarantine table). */
export interface RefusedRow {
  row: SampleRow;
  reason: string;
  code: string | null;
}

interface Ticket {
  rows: SampleRow[];
  /** When the rows were queued (epoch ms), for the write-behind lag. */
  queuedAt: number;
  /** Rows dropped by discard(). */
  erased: number;
  /** Rows already committed or quarantined by an attempt that then failed part-way. */
  inserted: number;
  duplicates: number;
  quarantined: number;
  /** Athletes discarded while this ticket's batch was being written: left out if it is retried. */
  eraseOnRetry?: Set<string>;
  resolve(outcome: FlushOutcome): void;
  reject(err: Error): void;
}

export interface WriteBehindOptions {
  /**
   * Writes rows, skipping stored ones; answers the keys that were new (db.insertSamples) or a
   * count report (db.insertSamplesReport, `newKeys: null` when every row was new).
   */
  insert(rows: SampleRow[]): Promise<SampleKey[] | InsertReport>;
  flushIntervalMs: number;
  /** Rows held in memory (waiting + being written) before back-pressure. */
  capacity: number;
  /** Rows per database round trip. */
  maxBatch?: number;
  /**
   * Batches written at once (default 1). With a connection pool, 2 lets one batch's round trip
   * and commit overlap the next one's; order between batches does not matter because the
   * primary key (athlete, ts) de-duplicates. While the database fails, one batch probes.
   */
  maxInFlight?: number;
  /** Longest wait between retries while the database is down. */
  maxBackoffMs?: number;
  /**
   * Stores rows the database refused, with the reason (the quarantine table). Called only with
   * rows refused one by one; a failure here is treated like a failed write (retried).
   */
  quarantine(refused: RefusedRow[]): Promise<void>;
  /**
   * Whether an insert error means the database refused the data (so splitting the batch finds
   * the culprit) rather than a fault worth retrying. Default: SQLSTATE class 22 or 23.
   */
  isRefusal?(err: unknown): boolean;
  /** After each committed batch (e.g. to advance sessions' last-sample time). */
  afterCommit?(rows: SampleRow[]): void;
  onFlush?(info: { rows: number; inserted: number; ms: number }): void;
  onError?(err: unknown, attempt: number, buffered: number): void;
  onQuarantine?(refused: RefusedRow[]): void;
}

/**
 * SQLSTATE class 22 (data exception: a value out of range for its column) or 23 (integrity
 * constraint): the same rows would be refused again however often they are retried.
 */
export function isDataRefusal(err: unknown): boolean {
  const code = sqlState(err);
  return code !== null && (code.startsWith('22') || code.startsWith('23'));
}

function sqlState(err: unknown): string | null {
  for (let e = err as { code?: unknown; cause?: unknown } | null, i = 0; e && i < 3; i++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
    e = e.cause as typeof e;
  }
  return null;
}

const keyOf = (athleteId: string, ts: Date) => `${athleteId}|${ts.getTime()}`;

/**
 * Write-behind buffer for live samples: rows are queued in memory and written in batches at
 * most `flushIntervalMs` later. Each `write()` resolves only once its rows are committed, which
 * is what acknowledgements wait for. When the database fails, batches stay queued in order and
 * are retried with exponential backoff; nothing accepted is dropped, except the rows of an
 * athlete whose account was deleted ({@link WriteBehind.discard}: erased by request). Once `capacity` rows are
 * waiting, `write()` throws {@link BackpressureError} instead of growing without bound.
 * A batch the database refuses (see `isRefusal`) is split in halves until every good row is
 * committed and each refused row stands alone; those go to `quarantine` with their reason.
 */
export class WriteBehind {
  readonly #opts: Required<Pick<WriteBehindOptions, 'maxBatch' | 'maxBackoffMs' | 'maxInFlight'>> &
    WriteBehindOptions;
  #queue: Ticket[] = [];
  #queuedRows = 0;
  #inFlightRows = 0;
  /** Batches being written: their promise (resolves true when committed), oldest row's time, tickets. */
  readonly #inFlight = new Map<Promise<boolean>, { since: number; tickets: Ticket[] }>();
  #timer: NodeJS.Timeout | null = null;
  #failures = 0;
  #closed = false;
  #lastError: unknown = null;
  readonly #isRefusal: (err: unknown) => boolean;

  constructor(opts: WriteBehindOptions) {
    this.#opts = { maxBatch: 10_000, maxBackoffMs: 5_000, maxInFlight: 1, ...opts };
    this.#isRefusal = opts.isRefusal ?? isDataRefusal;
  }

  /** Rows held before back-pressure. */
  get capacity(): number {
    return this.#opts.capacity;
  }

  /** Rows waiting for or being written to the database. */
  get buffered(): number {
    return this.#queuedRows + this.#inFlightRows;
  }

  /** Age of the oldest row not yet committed, in ms (0 when nothing waits). */
  oldestAgeMs(now = Date.now()): number {
    let oldest = this.#queue[0]?.queuedAt;
    for (const { since } of this.#inFlight.values())
      if (oldest === undefined || since < oldest) oldest = since;
    return oldest === undefined ? 0 : Math.max(0, now - oldest);
  }

  /** True while the last write attempt failed (the database is unreachable). */
  get degraded(): boolean {
    return this.#failures > 0;
  }

  /** Write attempts that failed in a row (0 once one succeeds). */
  get consecutiveFailures(): number {
    return this.#failures;
  }

  get lastError(): unknown {
    return this.#lastError;
  }

  /** Throws {@link BackpressureError} when `count` more rows would not fit. */
  assertRoom(count: number): void {
    if (this.buffered + count > this.#opts.capacity) {
      throw new BackpressureError(this.buffered, this.#opts.capacity, this.#retryAfterMs());
    }
  }

  /** Queues rows; resolves once they are committed. Throws BackpressureError when full. */
  write(rows: SampleRow[]): Promise<FlushOutcome> {
    if (this.#closed) return Promise.reject(new Error('write-behind buffer is closed'));
    if (rows.length === 0) return Promise.resolve({ inserted: 0, duplicates: 0 });
    this.assertRoom(rows.length);
    return new Promise<FlushOutcome>((resolve, reject) => {
      this.#queue.push({
        rows,
        queuedAt: Date.now(),
        erased: 0,
        inserted: 0,
        duplicates: 0,
        quarantined: 0,
        resolve,
        reject,
      });
      this.#queuedRows += rows.length;
      if (this.#queuedRows >= this.#opts.maxBatch && this.#hasSlot() && this.#failures === 0) {
        this.#schedule(0);
      } else this.#schedule(this.#opts.flushIntervalMs);
    });
  }

  /** Athletes with rows waiting for or being written to the database. */
  heldAthletes(): Set<string> {
    const held = new Set<string>();
    const add = (tickets: Ticket[]) => {
      for (const t of tickets) for (const r of t.rows) held.add(r.athleteId);
    };
    add(this.#queue);
    for (const { tickets } of this.#inFlight.values()) add(tickets);
    return held;
  }

  /**
   * Drops the waiting rows of these athletes (their accounts were deleted): a ticket left empty
   * resolves at once, the others once their remaining rows are committed, each with `erased`
   * counting its dropped rows. Rows already sent to the database cannot be recalled (the
   * erasure's settle time covers them); if that batch fails they are left out of its retry.
   * Returns how many waiting rows were dropped.
   */
  discard(athleteIds: ReadonlySet<string>): number {
    if (athleteIds.size === 0) return 0;
    let dropped = 0;
    const kept: Ticket[] = [];
    for (const t of this.#queue) {
      dropped += eraseRows(t, athleteIds);
      if (t.rows.length > 0) kept.push(t);
      else t.resolve(outcomeOf(t));
    }
    this.#queue = kept;
    this.#queuedRows -= dropped;
    for (const { tickets } of this.#inFlight.values()) {
      for (const t of tickets) {
        t.eraseOnRetry ??= new Set();
        for (const id of athleteIds) t.eraseOnRetry.add(id);
      }
    }
    return dropped;
  }

  /** Writes everything queued now; resolves when the queue is empty or a write failed. */
  async flush(): Promise<void> {
    await this.#settled();
    while (this.#queue.length > 0) {
      const ok = await this.#flushOnce();
      if (!ok) return;
    }
  }

  /**
   * Stops the timer and keeps trying to write what is queued for up to `timeoutMs`; rejects
   * whatever could not be written by then (the database stayed down through shutdown).
   */
  async close(timeoutMs = 10_000): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const deadline = Date.now() + timeoutMs;
    await this.#settled();
    while (this.#queue.length > 0 && Date.now() < deadline) {
      const ok = await this.#flushOnce();
      if (!ok)
        await new Promise((r) =>
          setTimeout(r, Math.min(this.#backoffMs(), Math.max(0, deadline - Date.now()))),
        );
    }
    const left = this.#queue.splice(0);
    this.#queuedRows = 0;
    for (const t of left) t.reject(new Error('shut down before the samples could be stored'));
  }

  #retryAfterMs(): number {
    return this.#failures > 0 ? this.#backoffMs() : this.#opts.flushIntervalMs;
  }

  #backoffMs(): number {
    const base = Math.max(50, this.#opts.flushIntervalMs);
    return Math.min(this.#opts.maxBackoffMs, base * 2 ** Math.max(0, this.#failures - 1));
  }

  #schedule(delayMs: number): void {
    if (this.#closed) return;
    if (this.#timer) {
      if (delayMs > 0) return; // already due no later than this
      clearTimeout(this.#timer);
    }
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#run();
    }, delayMs);
    this.#timer.unref?.();
  }

  /** Room for another batch: below maxInFlight, or just one (a probe) while writes fail. */
  #hasSlot(): boolean {
    const limit = this.#failures > 0 ? 1 : this.#opts.maxInFlight;
    return this.#inFlight.size < limit;
  }

  /** Resolves once no batch is being written. */
  async #settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight.keys()]);
  }

  async #run(): Promise<void> {
    // A free slot now, or wait for the first in-flight batch to finish.
    while (!this.#hasSlot()) await Promise.race([...this.#inFlight.keys()]);
    const batch = this.#flushOnce();
    // More than a full batch waiting and another slot free: start it right away.
    if (this.#queuedRows >= this.#opts.maxBatch && this.#hasSlot()) this.#schedule(0);
    const ok = await batch;
    if (this.#queue.length === 0) return;
    if (!ok) this.#schedule(this.#backoffMs());
    else this.#schedule(this.#queuedRows >= this.#opts.maxBatch ? 0 : this.#opts.flushIntervalMs);
  }

  /** One batch from the head of the queue. Returns false when the write failed (batch re-queued). */
  #flushOnce(): Promise<boolean> {
    if (this.#queue.length === 0) return Promise.resolve(true);
    const tickets: Ticket[] = [];
    let count = 0;
    // Behind (a backlog of several batches): catch up with batches four times as large, so the
    // per-statement cost does not keep the backlog alive; otherwise keep to maxBatch.
    const limit = this.#queuedRows > 4 * this.#opts.maxBatch ? 4 * this.#opts.maxBatch : this.#opts.maxBatch;
    while (this.#queue.length > 0 && (count === 0 || count + this.#queue[0]!.rows.length <= limit)) {
      const t = this.#queue.shift()!;
      tickets.push(t);
      count += t.rows.length;
    }
    this.#queuedRows -= count;
    this.#inFlightRows += count;
    const started = performance.now();
    const attempt = (async (): Promise<boolean> => {
      const rows = tickets.length === 1 ? tickets[0]!.rows : tickets.flatMap((t) => t.rows);
      const owners = ownersOf(tickets, rows.length);
      const done = new Uint8Array(rows.length);
      let inserted = 0;
      try {
        inserted = await this.#write(rows, 0, rows.length, owners, done);
        this.#failures = 0;
        this.#lastError = null;
        this.#inFlightRows -= count;
        for (const t of tickets) t.resolve(outcomeOf(t));
        this.#opts.onFlush?.({ rows: rows.length, inserted, ms: performance.now() - started });
        return true;
      } catch (err) {
        this.#failures++;
        this.#lastError = err;
        // Back to the head of the queue, in order, to be retried: only rows not yet committed or
        // quarantined (a split batch may have stored part), without discarded athletes.
        this.#inFlightRows -= count;
        const retry: Ticket[] = [];
        let offset = 0;
        for (const t of tickets) {
          const from = offset;
          offset += t.rows.length;
          if (done.subarray(from, offset).includes(1)) t.rows = t.rows.filter((_, j) => done[from + j] === 0);
          if (t.eraseOnRetry) eraseRows(t, t.eraseOnRetry);
          t.eraseOnRetry = undefined;
          if (t.rows.length > 0) retry.push(t);
          else t.resolve(outcomeOf(t));
        }
        this.#queue.unshift(...retry);
        for (const t of retry) this.#queuedRows += t.rows.length;
        this.#opts.onError?.(err, this.#failures, this.buffered);
        return false;
      }
    })();
    this.#inFlight.set(attempt, { since: tickets[0]!.queuedAt, tickets });
    void attempt.finally(() => this.#inFlight.delete(attempt));
    return attempt;
  }

  /**
   * Writes rows[lo, hi); answers how many were new. When the database refuses the slice, its
   * halves are written on their own, down to single rows, which are quarantined: a poison row
   * costs about 2·log2(n) statements and never holds the others back. A fault that is not a
   * refusal is thrown, leaving `done` marking what is already stored.
   */
  async #write(
    rows: SampleRow[],
    lo: number,
    hi: number,
    owners: Ticket[],
    done: Uint8Array,
  ): Promise<number> {
    const slice = lo === 0 && hi === rows.length ? rows : rows.slice(lo, hi);
    let answer: SampleKey[] | InsertReport;
    try {
      answer = await this.#opts.insert(slice);
    } catch (err) {
      if (!this.#isRefusal(err)) throw err;
      if (hi - lo > 1) {
        const mid = lo + Math.floor((hi - lo) / 2);
        return (
          (await this.#write(rows, lo, mid, owners, done)) + (await this.#write(rows, mid, hi, owners, done))
        );
      }
      const refused: RefusedRow = { row: rows[lo]!, reason: messageOf(err), code: sqlState(err) };
      await this.#opts.quarantine([refused]);
      done[lo] = 1;
      owners[lo]!.quarantined++;
      this.#opts.onQuarantine?.([refused]);
      return 0;
    }
    const report: InsertReport = Array.isArray(answer)
      ? { inserted: answer.length, newKeys: answer }
      : answer;
    done.fill(1, lo, hi);
    this.#credit(rows, lo, hi, owners, report);
    try {
      this.#opts.afterCommit?.(slice);
    } catch {
      // Bookkeeping after the commit must not turn a stored batch into a failure.
    }
    return report.inserted;
  }

  /** Counts a committed slice's rows as inserted or duplicate on the tickets they came from. */
  #credit(rows: SampleRow[], lo: number, hi: number, owners: Ticket[], report: InsertReport): void {
    if (report.newKeys === null) {
      // Every row was new: nothing to match.
      for (let i = lo; i < hi; i++) owners[i]!.inserted++;
      return;
    }
    const fresh = new Set<string>();
    for (const k of report.newKeys) fresh.add(keyOf(k.athleteId, k.ts));
    for (let i = lo; i < hi; i++) {
      const r = rows[i]!;
      // First claimant of a new key counts it as inserted; a second copy is a duplicate.
      if (fresh.delete(keyOf(r.athleteId, r.ts))) owners[i]!.inserted++;
      else owners[i]!.duplicates++;
    }
  }
}

/** The ticket each row of the batch came from (index-aligned with the flattened rows). */
function ownersOf(tickets: Ticket[], count: number): Ticket[] {
  const owners = new Array<Ticket>(count);
  let i = 0;
  for (const t of tickets) for (let j = 0; j < t.rows.length; j++) owners[i++] = t;
  return owners;
}

function messageOf(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

/** Removes the rows of these athletes from the ticket (a new array: the caller's stays as it was). */
function eraseRows(ticket: Ticket, athleteIds: ReadonlySet<string>): number {
  const before = ticket.rows.length;
  const rows = ticket.rows.filter((r) => !athleteIds.has(r.athleteId));
  if (rows.length === before) return 0;
  ticket.rows = rows;
  ticket.erased += before - rows.length;
  return before - rows.length;
}

function outcomeOf(t: Ticket): FlushOutcome {
  const out: FlushOutcome = { inserted: t.inserted, duplicates: t.duplicates };
  if (t.erased > 0) out.erased = t.erased;
  if (t.quarantined > 0) out.quarantined = t.quarantined;
  return out;
}
