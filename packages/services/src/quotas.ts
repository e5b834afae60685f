import type { Deps } from './deps.ts';
import { rateLimited } from './errors.ts';

/**
 * Spends one unit of a user's hourly budget for an expensive operation (an export, an import,
 * a sync, a new key or invite); throws 429 with Retry-After and the wait in words when spent.
 */
export async function spendHourlyQuota(
  deps: Pick<Deps, 'platform'>,
  { name, userId, perHour, what }: { name: string; userId: string; perHour: number; what: string },
): Promise<void> {
  const quota = await deps.platform.rateLimiter.consume(`quota:${name}:${userId}`, perHour, 3_600_000);
  if (!quota.allowed) {
    const retryAfterS = Math.max(1, Math.ceil(quota.retryAfterMs / 1000));
    throw rateLimited(`At most ${perHour} ${what} per hour`, quota.retryAfterMs, { retryAfterS });
  }
}
