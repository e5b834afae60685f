import { setTimeout as sleep } from 'node:timers/promises';
import { CronExpressionParser } from 'cron-parser';
import {
  backoffDelay,
  DrainTimeoutError,
  errorMessage,
  KEEP_COMPLETED,
  KEEP_FAILED,
  NoHandlerError,
  type OutcomeListener,
  validateJobId,
} from '../job-helpers.ts';
import type { JobHandler, JobInfo, JobOptions, JobQueue, QueueCounts } from '../ports.ts';

interface MemoryJob {
  id: string;
  name: string;
  data: unknown;
  opts: JobOptions;
  state: 'waiting' | 'delayed' | 'active' | 'completed' | 'failed';
  attemptsMade: number;
  failedReason?: string;
  timestamp: number;
  finishedOn?: number;
  progress?: unknown;
  /** Insertion order, so equal priorities run first in, first out. */
  seq: number;
  timer?: NodeJS.Timeout;
}

/**
 * In-process job queue with the BullMQ adapter's semantics: lower priority number first (no
 * priority = 0), delays, retries with exponential backoff, cron/every schedulers, failed jobs kept
 * and retriable. Timers are unref'd, so pending delayed jobs never keep the process alive.
 */
export function createMemoryJobQueue(): JobQueue {
  const jobs = new Map<string, MemoryJob>();
  const finished: { completed: string[]; failed: string[] } = { completed: [], failed: [] };
  const schedulers = new Map<string, NodeJS.Timeout>();
  const listeners = new Set<OutcomeListener>();
  const running = new Set<Promise<void>>();
  let handlers: Record<string, JobHandler> | undefined;
  let concurrency = 1;
  let closed = false;
  let seq = 0;
  let autoId = 0;

  const emit = (event: Parameters<OutcomeListener>[0]) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // Listeners are observers; they cannot fail a job.
      }
    }
  };

  const toInfo = (job: MemoryJob): JobInfo => ({
    id: job.id,
    name: job.name,
    data: structuredClone(job.data),
    state: job.state,
    attemptsMade: job.attemptsMade,
    failedReason: job.failedReason,
    timestamp: job.timestamp,
    finishedOn: job.finishedOn,
    progress: job.progress,
  });

  const keepFinished = (job: MemoryJob, state: 'completed' | 'failed') => {
    const list = finished[state];
    list.push(job.id);
    const limit = state === 'completed' ? KEEP_COMPLETED : KEEP_FAILED;
    while (list.length > limit) {
      const evicted = list.shift()!;
      if (jobs.get(evicted)?.state === state) jobs.delete(evicted);
    }
  };

  const forget = (job: MemoryJob) => {
    clearTimeout(job.timer);
    jobs.delete(job.id);
    for (const list of Object.values(finished)) {
      const at = list.indexOf(job.id);
      if (at >= 0) list.splice(at, 1);
    }
  };

  const enqueue = (job: MemoryJob, delayMs: number) => {
    if (delayMs > 0) {
      job.state = 'delayed';
      job.timer = setTimeout(() => {
        job.timer = undefined;
        job.state = 'waiting';
        pump();
      }, delayMs);
      job.timer.unref();
    } else {
      job.state = 'waiting';
      queueMicrotask(pump);
    }
  };

  const nextWaiting = () => {
    let best: MemoryJob | undefined;
    for (const job of jobs.values()) {
      if (job.state !== 'waiting') continue;
      const p = job.opts.priority ?? 0;
      const bestP = best?.opts.priority ?? 0;
      if (!best || p < bestP || (p === bestP && job.seq < best.seq)) best = job;
    }
    return best;
  };

  const activeCount = () => {
    let n = 0;
    for (const job of jobs.values()) if (job.state === 'active') n++;
    return n;
  };

  const execute = async (job: MemoryJob) => {
    const handler = handlers?.[job.name];
    try {
      if (!handler) throw new NoHandlerError(job.name);
      await handler(structuredClone(job.data), {
        id: job.id,
        name: job.name,
        attempt: job.attemptsMade + 1,
        updateProgress: async (progress) => {
          job.progress = progress;
        },
      });
      job.attemptsMade++;
      job.state = 'completed';
      job.finishedOn = Date.now();
      keepFinished(job, 'completed');
      emit({ name: job.name, id: job.id, outcome: 'completed', final: true });
    } catch (err) {
      job.attemptsMade++;
      job.failedReason = errorMessage(err);
      const final = err instanceof NoHandlerError || job.attemptsMade >= (job.opts.attempts ?? 1);
      if (final) {
        job.state = 'failed';
        job.finishedOn = Date.now();
        keepFinished(job, 'failed');
      } else {
        enqueue(job, backoffDelay(job.opts, job.attemptsMade));
      }
      emit({ name: job.name, id: job.id, outcome: 'failed', error: job.failedReason, final });
    }
  };

  function pump() {
    if (!handlers || closed) return;
    let active = activeCount();
    while (active < concurrency) {
      const job = nextWaiting();
      if (!job) return;
      job.state = 'active';
      active++;
      const run: Promise<void> = execute(job).finally(() => {
        running.delete(run);
        pump();
      });
      running.add(run);
    }
  }

  const add = async (name: string, data: unknown, opts: JobOptions = {}) => {
    if (closed) throw new Error('Queue is closed');
    if (opts.jobId !== undefined) {
      validateJobId(opts.jobId);
      const existing = jobs.get(opts.jobId);
      if (existing && existing.state !== 'completed' && existing.state !== 'failed') return existing.id;
      if (existing) forget(existing);
    }
    const job: MemoryJob = {
      id: opts.jobId ?? String(++autoId),
      name,
      data: structuredClone(data),
      opts: { ...opts },
      state: 'waiting',
      attemptsMade: 0,
      timestamp: Date.now(),
      seq: ++seq,
    };
    jobs.set(job.id, job);
    enqueue(job, opts.delayMs ?? 0);
    return job.id;
  };

  return {
    add,

    async schedule(schedulerId, repeat, job) {
      clearTimeout(schedulers.get(schedulerId));
      const { jobId: _ignored, ...opts } = job.opts ?? {};
      const nextAt = (from: number) =>
        'cron' in repeat
          ? CronExpressionParser.parse(repeat.cron, { tz: repeat.tz, currentDate: new Date(from) })
              .next()
              .getTime()
          : from + repeat.everyMs;
      const fire = (at: number) => {
        const timer = setTimeout(
          () => {
            if (closed) return;
            add(job.name, job.data, opts).catch(() => {});
            fire(nextAt(Math.max(at, Date.now())));
          },
          Math.max(0, at - Date.now()),
        );
        timer.unref();
        schedulers.set(schedulerId, timer);
      };
      // `every` fires at once and then every N ms; cron fires at the next match (as BullMQ).
      fire('cron' in repeat ? nextAt(Date.now()) : Date.now());
    },

    async unschedule(schedulerId) {
      clearTimeout(schedulers.get(schedulerId));
      schedulers.delete(schedulerId);
    },

    async process(jobHandlers, processOpts) {
      if (handlers) throw new Error('process() was already called on this queue');
      handlers = jobHandlers;
      concurrency = Math.max(1, processOpts?.concurrency ?? 1);
      queueMicrotask(pump);
    },

    async getJob(id) {
      const job = jobs.get(id);
      return job && toInfo(job);
    },

    async listFailed(limit = 100) {
      return finished.failed
        .slice(-limit)
        .reverse()
        .map((id) => jobs.get(id))
        .filter((job): job is MemoryJob => job?.state === 'failed')
        .map(toInfo);
    },

    async retry(id) {
      const job = jobs.get(id);
      if (!job) throw new Error(`Job ${id} not found`);
      if (job.state !== 'failed') throw new Error(`Job ${id} is ${job.state}, not failed`);
      finished.failed.splice(finished.failed.indexOf(id), 1);
      job.attemptsMade = 0;
      job.failedReason = undefined;
      job.finishedOn = undefined;
      enqueue(job, 0);
    },

    async counts(): Promise<QueueCounts> {
      const counts: QueueCounts = { waiting: 0, delayed: 0, active: 0, completed: 0, failed: 0 };
      for (const job of jobs.values()) counts[job.state]++;
      return counts;
    },

    onOutcome(listener) {
      listeners.add(listener);
    },

    async drain(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      const busy = (job: MemoryJob) =>
        job.state === 'waiting' ||
        job.state === 'active' ||
        (job.state === 'delayed' && job.attemptsMade > 0);
      while ([...jobs.values()].some(busy)) {
        if (Date.now() >= deadline) throw new DrainTimeoutError(timeoutMs);
        await sleep(10);
      }
    },

    async close() {
      closed = true;
      for (const timer of schedulers.values()) clearTimeout(timer);
      schedulers.clear();
      for (const job of jobs.values()) clearTimeout(job.timer);
      await Promise.allSettled([...running]);
      listeners.clear();
    },
  };
}
