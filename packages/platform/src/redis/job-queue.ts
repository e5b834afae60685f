import { setTimeout as sleep } from 'node:timers/promises';
import { type Job, type JobsOptions, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  DrainTimeoutError,
  errorMessage,
  KEEP_COMPLETED,
  KEEP_FAILED,
  NoHandlerError,
  type OutcomeListener,
  validateJobId,
} from '../job-helpers.ts';
import type { JobInfo, JobOptions, JobQueue, QueueCounts } from '../ports.ts';
import { connectRedis, DEFAULT_PREFIX, quitRedis, REDIS_DB, type RedisAdapterOptions } from './connection.ts';

export interface RedisJobQueueOptions extends RedisAdapterOptions {
  /** BullMQ queue name (no ':'); keys live under `${prefix}:bull:${name}:`. */
  name?: string;
}

const JOB_STATES = new Set(['waiting', 'delayed', 'active', 'completed', 'failed']);

function toJobsOptions(opts: JobOptions = {}): JobsOptions {
  if (opts.jobId !== undefined) validateJobId(opts.jobId);
  return {
    priority: opts.priority,
    delay: opts.delayMs,
    attempts: opts.attempts,
    backoff: opts.backoffMs ? { type: 'exponential', delay: opts.backoffMs } : undefined,
    jobId: opts.jobId,
  };
}

async function toJobInfo(job: Job, state?: string): Promise<JobInfo> {
  const raw = state ?? (await job.getState());
  const mapped = raw === 'prioritized' || raw === 'waiting-children' ? 'waiting' : raw;
  return {
    id: job.id!,
    name: job.name,
    data: job.data,
    state: (JOB_STATES.has(mapped) ? mapped : 'unknown') as JobInfo['state'],
    attemptsMade: job.attemptsMade,
    failedReason: job.failedReason || undefined,
    timestamp: job.timestamp,
    finishedOn: job.finishedOn,
    progress: job.progress,
  };
}

/**
 * Job queue on BullMQ (Redis DB 1). The Queue uses one connection; process() adds a Worker on a
 * second one (maxRetriesPerRequest: null). Both are quit on close (BullMQ does not quit
 * connections it was given). onOutcome reports jobs processed by this instance's Worker.
 */
export function createRedisJobQueue(opts: RedisJobQueueOptions): JobQueue {
  const db = opts.db ?? REDIS_DB.queue;
  const name = opts.name ?? 'jobs';
  const prefix = `${opts.prefix ?? DEFAULT_PREFIX}:bull`;
  const queueConnection = connectRedis(opts.url, db);
  const queue = new Queue(name, {
    connection: queueConnection,
    prefix,
    defaultJobOptions: { removeOnComplete: { count: KEEP_COMPLETED }, removeOnFail: { count: KEEP_FAILED } },
  });
  const listeners = new Set<OutcomeListener>();
  let worker: Worker | undefined;
  let workerConnection: Redis | undefined;

  const emit = (event: Parameters<OutcomeListener>[0]) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // Listeners are observers; they cannot fail a job.
      }
    }
  };

  return {
    async add(jobName, data, jobOpts) {
      const options = toJobsOptions(jobOpts);
      if (options.jobId) {
        // BullMQ keeps ignoring an id while a finished job holds it; the port de-duplicates only
        // against pending work, so a finished namesake is replaced.
        const existing = await queue.getJob(options.jobId);
        const state = existing && (await existing.getState());
        if (state === 'completed' || state === 'failed') await existing!.remove();
      }
      const job = await queue.add(jobName, data, options);
      return job.id!;
    },

    async schedule(schedulerId, repeat, job) {
      const { jobId: _ignored, ...template } = toJobsOptions(job.opts);
      await queue.upsertJobScheduler(
        schedulerId,
        'cron' in repeat ? { pattern: repeat.cron, tz: repeat.tz } : { every: repeat.everyMs },
        { name: job.name, data: job.data, opts: template },
      );
    },

    async unschedule(schedulerId) {
      await queue.removeJobScheduler(schedulerId);
    },

    async process(handlers, processOpts) {
      if (worker) throw new Error('process() was already called on this queue');
      workerConnection = connectRedis(opts.url, db, { maxRetriesPerRequest: null });
      worker = new Worker(
        name,
        async (job) => {
          const handler = handlers[job.name];
          if (!handler) throw new UnrecoverableError(new NoHandlerError(job.name).message);
          return handler(job.data, {
            id: job.id!,
            name: job.name,
            attempt: job.attemptsMade + 1,
            updateProgress: (progress) => job.updateProgress(progress as number | object),
          });
        },
        { connection: workerConnection, prefix, concurrency: processOpts?.concurrency ?? 1 },
      );
      worker.on('completed', (job) => {
        emit({ name: job.name, id: job.id!, outcome: 'completed', final: true });
      });
      worker.on('failed', (job, err) => {
        if (!job) return;
        const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
        emit({ name: job.name, id: job.id!, outcome: 'failed', error: errorMessage(err), final });
      });
      worker.on('error', () => {
        // Connection hiccups are retried by BullMQ; without a listener Node would throw.
      });
      await worker.waitUntilReady();
    },

    async getJob(id) {
      const job = await queue.getJob(id);
      return job ? toJobInfo(job) : undefined;
    },

    async listFailed(limit = 100) {
      const jobs = await queue.getFailed(0, Math.max(0, limit - 1));
      return Promise.all(jobs.filter(Boolean).map((job) => toJobInfo(job as Job, 'failed')));
    },

    async retry(id) {
      const job = await queue.getJob(id);
      if (!job) throw new Error(`Job ${id} not found`);
      await job.retry('failed', { resetAttemptsMade: true });
    },

    async counts(): Promise<QueueCounts> {
      const c = await queue.getJobCounts(
        'waiting',
        'prioritized',
        'delayed',
        'active',
        'completed',
        'failed',
      );
      return {
        waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
        delayed: c.delayed ?? 0,
        active: c.active ?? 0,
        completed: c.completed ?? 0,
        failed: c.failed ?? 0,
      };
    },

    onOutcome(listener) {
      listeners.add(listener);
    },

    async drain(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const c = await queue.getJobCounts('waiting', 'prioritized', 'active');
        if (!c.waiting && !c.prioritized && !c.active) {
          const delayed = await queue.getJobs(['delayed'], 0, 999, true);
          const now = Date.now();
          const pending = delayed.some(
            (job) => job && (job.attemptsMade > 0 || job.timestamp + (job.delay ?? 0) <= now),
          );
          if (!pending) return;
        }
        if (Date.now() >= deadline) throw new DrainTimeoutError(timeoutMs);
        await sleep(25);
      }
    },

    async close() {
      listeners.clear();
      await worker?.close();
      await queue.close();
      await Promise.all([quitRedis(queueConnection), workerConnection && quitRedis(workerConnection)]);
    },
  };
}
