/**
 * Ports: the infrastructure the product needs, each with two adapters (Redis/S3 for services
 * mode, in-process/filesystem for the embedded default). Everything above this package codes
 * against these interfaces only. One contract suite per port proves both adapters.
 */

import type { Readable } from 'node:stream';

export interface Cache {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  /** Sets many keys with one TTL in one round trip (undefined values are skipped, as by set). */
  setMany(entries: Iterable<readonly [key: string, value: unknown]>, ttlMs: number): Promise<void>;
  /** Returns the cached value, or computes, stores and returns it (single flight per process). */
  wrap<T>(key: string, ttlMs: number, compute: () => Promise<T>): Promise<T>;
  delete(...keys: string[]): Promise<void>;
  /** Deletes every key starting with prefix (e.g. `athlete:{id}:`). */
  deletePrefix(prefix: string): Promise<number>;
  close(): Promise<void>;
}

export interface Lock {
  readonly key: string;
  readonly token: string;
  /** Extends the TTL if this owner still holds it; false if it was lost. */
  extend(ttlMs: number): Promise<boolean>;
  /** Releases only if this owner still holds it; false otherwise. */
  release(): Promise<boolean>;
}

export interface Locks {
  /** Acquire or return null at once when someone else holds it. */
  tryAcquire(key: string, ttlMs: number): Promise<Lock | null>;
  /** Acquire, retrying until waitMs elapses; null on timeout. */
  acquire(key: string, ttlMs: number, waitMs: number): Promise<Lock | null>;
  /**
   * Runs fn while holding the lock, extending it every ttl/3 while fn runs. Returns
   * { acquired: false } without running fn when the lock is held elsewhere.
   */
  withLock<T>(
    key: string,
    ttlMs: number,
    fn: (lock: Lock) => Promise<T>,
  ): Promise<{ acquired: true; value: T } | { acquired: false }>;
  close(): Promise<void>;
}

export interface RateLimitResult {
  allowed: boolean;
  remaining: number;
  /** Milliseconds until a unit of budget becomes available again (0 when allowed). */
  retryAfterMs: number;
  limit: number;
}

export interface RateLimiter {
  /** Sliding-window limit: consume `cost` from `key`'s budget of `limit` per `windowMs`. */
  consume(key: string, limit: number, windowMs: number, cost?: number): Promise<RateLimitResult>;
  /** Look without consuming. */
  peek(key: string, limit: number, windowMs: number): Promise<RateLimitResult>;
  /** Block the key until `untilMs` (epoch ms), e.g. after a provider 429 with Retry-After. */
  blockUntil(key: string, untilMs: number): Promise<void>;
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}

export interface JobOptions {
  /** Lower number runs first (BullMQ semantics, 1 is highest). */
  priority?: number;
  delayMs?: number;
  attempts?: number;
  /** Exponential backoff base in ms. */
  backoffMs?: number;
  /** De-duplicates: a job with the same id that is waiting/active is not added again. */
  jobId?: string;
}

export interface JobInfo {
  id: string;
  name: string;
  data: unknown;
  state: 'waiting' | 'delayed' | 'active' | 'completed' | 'failed' | 'unknown';
  attemptsMade: number;
  failedReason?: string;
  timestamp: number;
  finishedOn?: number;
  progress?: unknown;
}

export interface JobContext {
  id: string;
  name: string;
  attempt: number;
  updateProgress(progress: unknown): Promise<void>;
}

export type JobHandler = (data: unknown, ctx: JobContext) => Promise<unknown>;

export interface QueueCounts {
  waiting: number;
  delayed: number;
  active: number;
  completed: number;
  failed: number;
}

export interface JobQueue {
  add(name: string, data: unknown, opts?: JobOptions): Promise<string>;
  /** Repeating job (cron pattern in tz, or every N ms) keyed by schedulerId; upserted. */
  schedule(
    schedulerId: string,
    repeat: { cron: string; tz?: string } | { everyMs: number },
    job: { name: string; data: unknown; opts?: JobOptions },
  ): Promise<void>;
  unschedule(schedulerId: string): Promise<void>;
  /** Start consuming: one handler per job name. Jobs with no handler fail. */
  process(handlers: Record<string, JobHandler>, opts?: { concurrency?: number }): Promise<void>;
  getJob(id: string): Promise<JobInfo | undefined>;
  listFailed(limit?: number): Promise<JobInfo[]>;
  retry(id: string): Promise<void>;
  counts(): Promise<QueueCounts>;
  /** Listen to outcomes (for metrics and tests). */
  onOutcome(
    listener: (e: {
      name: string;
      id: string;
      outcome: 'completed' | 'failed';
      error?: string;
      final: boolean;
    }) => void,
  ): void;
  /** Resolves when nothing is waiting, delayed-due or active (tests, graceful drain). */
  drain(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export type Unsubscribe = () => Promise<void>;

export interface PubSub {
  publish(channel: string, message: string | Buffer): Promise<void>;
  subscribe(channel: string, handler: (message: Buffer, channel: string) => void): Promise<Unsubscribe>;
  close(): Promise<void>;
}

export interface ObjectInfo {
  key: string;
  size: number;
  lastModified?: Date;
  contentType?: string;
}

/** Bytes `start` (inclusive) to `end` (exclusive) of an object. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface ObjectStore {
  /**
   * Stores an object, replacing any under that key only once the whole body is written (a reader
   * sees the old object or the new one, never a part). A Readable body is streamed, so memory
   * stays bounded by a chunk (S3: a few upload parts); if it fails, the old object is kept.
   */
  put(
    key: string,
    body: Buffer | Uint8Array | string | Readable,
    opts?: { contentType?: string },
  ): Promise<void>;
  /** The whole object in memory: for small objects. Large ones are read with getStream. */
  get(key: string): Promise<Buffer | undefined>;
  /**
   * The object as a stream, or undefined when missing. Consume it to the end or destroy it: an
   * abandoned stream holds a file descriptor or an HTTP connection. With `range`, only the bytes
   * from `start` up to (not including) `end`, which must lie within the object.
   */
  getStream(key: string, range?: ByteRange): Promise<Readable | undefined>;
  head(key: string): Promise<ObjectInfo | undefined>;
  delete(key: string): Promise<void>;
  /** Deletes every object under prefix; returns how many. */
  deletePrefix(prefix: string): Promise<number>;
  list(prefix: string): AsyncIterable<ObjectInfo>;
  /** True when the store answers (readiness). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface Platform {
  mode: 'services' | 'embedded';
  cache: Cache;
  locks: Locks;
  rateLimiter: RateLimiter;
  queue: JobQueue;
  pubsub: PubSub;
  objects: ObjectStore;
  /** Each configured dependency and whether it answers. */
  health(): Promise<Record<string, boolean>>;
  close(): Promise<void>;
}
