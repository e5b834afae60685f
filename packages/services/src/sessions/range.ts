import { toEpochMs } from '@athlete/contracts';

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
