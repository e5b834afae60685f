import type { JobOptions, JobQueue } from './ports.ts';

export type OutcomeListener = Parameters<JobQueue['onOutcome']>[0];

/** How long finished jobs are kept (both adapters). */
export const KEEP_COMPLETED = 1_000;
export const KEEP_FAILED = 10_000;

/** Same rules as BullMQ, so a jobId valid in embedded mode is valid in services mode too. */
export function validateJobId(jobId: string): void {
  if (!jobId) throw new Error('jobId must not be empty');
  if (`${Number.parseInt(jobId, 10)}` === jobId) throw new Error(`jobId ${jobId} must not be an integer`);
  if (jobId.includes(':')) throw new Error(`jobId ${jobId} must not contain ':'`);
}

/** BullMQ's exponential backoff: base × 2^(attemptsMade − 1). */
export function backoffDelay(opts: JobOptions, attemptsMade: number): number {
  return opts.backoffMs ? opts.backoffMs * 2 ** Math.max(0, attemptsMade - 1) : 0;
}

export class NoHandlerError extends Error {
  constructor(name: string) {
    super(`No handler registered for job "${name}"`);
    this.name = 'NoHandlerError';
  }
}

export class DrainTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`Queue did not drain within ${timeoutMs} ms`);
    this.name = 'DrainTimeoutError';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
