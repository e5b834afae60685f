import type { JobContext, JobOptions } from '@athlete/platform';
import type { z } from 'zod';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';

/** Priorities (BullMQ: lower runs first): people waiting before schedules before backfill. */
export const JobPriority = { user: 1, webhook: 2, scheduled: 5, backfill: 10 } as const;

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  payload: S;
  /** Defaults for every enqueue of this job (retries, backoff). */
  defaults?: JobOptions;
  handler(deps: Deps, data: z.infer<S>, ctx: JobContext): Promise<unknown>;
}

export function defineJob<S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> {
  return def;
}

/** Validates the payload and adds the job. Call only after the DB write it refers to commits. */
export async function enqueue<S extends z.ZodType>(
  deps: Pick<Deps, 'platform'>,
  job: JobDefinition<S>,
  data: z.input<S>,
  opts?: JobOptions,
): Promise<string> {
  const parsed = job.payload.safeParse(data);
  if (!parsed.success) {
    throw new AppError('INTERNAL', `invalid payload for job ${job.name}`, parsed.error.issues);
  }
  return deps.platform.queue.add(job.name, parsed.data, {
    attempts: 5,
    backoffMs: 2_000,
    ...job.defaults,
    ...opts,
  });
}
