import { toEpochMs } from '@athlete/contracts';
import type { Deps } from '../deps.ts';

const DAY_MS = 86_400_000;
const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);

/**
 * `?from&to` as instants: a bare date in `from` starts that UTC day, a bare date in `to`
 * includes that whole day (up to the next midnight, exclusive).
 */
export function rangeBounds(range: { from?: string; to?: string }): { gte?: Date; lt?: Date } {
  const out: { gte?: Date; lt?: Date } = {};
  if (range.from) out.gte = new Date(toEpochMs(range.from));
  if (range.to) out.lt = new Date(toEpochMs(range.to) + (isDate(range.to) ? DAY_MS : 1));
  return out;
}

/** Cache key fragment for a range. */
export const rangeKey = (range: { from?: string; to?: string }) => `${range.from ?? ''}~${range.to ?? ''}`;

/** How long read results stay cached; writes invalidate `athlete:{id}:` sooner. */
export const READ_CACHE_TTL_MS = 60_000;

/** How long an athlete's cache generation is remembered (longer than any cached read). */
const GENERATION_TTL_MS = 24 * 3_600_000;
const generationKey = (athleteId: string) => `athlete:${athleteId}:gen`;

/**
 * Cache key of an athlete's read, in the athlete's current cache generation. New data bumps
 * the generation (one SET) instead of scanning for keys to delete, which matters on the
 * ingest path where thousands of sessions open at once.
 */
export async function athleteCacheKey(
  deps: Pick<Deps, 'platform'>,
  athleteId: string,
  suffix: string,
): Promise<string> {
  const gen = (await deps.platform.cache.get<number>(generationKey(athleteId)).catch(() => undefined)) ?? 0;
  return `athlete:${athleteId}:g${gen}:${suffix}`;
}

/** Drops every cached read of an athlete by moving to a new generation. */
export async function invalidateAthleteCache(deps: Pick<Deps, 'platform'>, athleteId: string): Promise<void> {
  await invalidateAthleteCaches(deps, [athleteId]);
}

/** `invalidateAthleteCache` for many athletes in one round trip (sessions opening together). */
export async function invalidateAthleteCaches(
  deps: Pick<Deps, 'platform'>,
  athleteIds: Iterable<string>,
): Promise<void> {
  const now = Date.now();
  const entries: Array<[string, number]> = [];
  for (const id of athleteIds) entries.push([generationKey(id), now]);
  await deps.platform.cache.setMany(entries, GENERATION_TTL_MS);
}
