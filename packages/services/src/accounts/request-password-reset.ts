import type { Deps } from '../deps.ts';
import { rateLimited } from '../errors.ts';
import { enqueue, JobPriority } from '../jobs/define.ts';
import { passwordResetMailJob } from './account-jobs.ts';

/** Reset requests per client address and hour (refused with 429, which says nothing of accounts). */
export const RESET_REQUESTS_PER_IP = { limit: 20, windowMs: 3_600_000 };

/**
 * "Forgot password": does the same work for every address (one throttle check and one queued
 * job), so neither the answer nor its timing tells whether the address has an account.
 */
export async function requestPasswordReset({
  deps,
  email,
  ip,
}: {
  deps: Deps;
  email: string;
  ip: string;
}): Promise<void> {
  const r = await deps.platform.rateLimiter.consume(
    `password-reset:address:${ip}`,
    RESET_REQUESTS_PER_IP.limit,
    RESET_REQUESTS_PER_IP.windowMs,
  );
  if (!r.allowed) throw rateLimited('Too many password reset requests from this address', r.retryAfterMs);
  await enqueue(deps, passwordResetMailJob, { email }, { priority: JobPriority.user });
}
