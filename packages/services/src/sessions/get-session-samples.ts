import type { SamplesResponse, StoredSample } from '@athlete/contracts';
import { downsampleRows } from '@athlete/core';
import type { Principal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { findViewableSession } from './get-session.ts';
import { athleteCacheKey, READ_CACHE_TTL_MS } from './range.ts';
import { readSessionSampleRows } from './read-sample-rows.ts';

/**
 * A session's stored samples, downsampled with LTTB (on HR, whole rows kept) to at most
 * `maxPoints` when there are more. Closed sessions are cached per maxPoints.
 */
export async function getSessionSamples({
  deps,
  principal,
  sessionId,
  maxPoints,
}: {
  deps: Deps;
  principal: Principal | null;
  sessionId: string;
  maxPoints: number;
}): Promise<SamplesResponse> {
  const session = await findViewableSession({ deps, principal, sessionId });
  const load = async (): Promise<SamplesResponse> => {
    const rows = await readSessionSampleRows(deps, session);
    const kept = downsampleRows(
      rows,
      maxPoints,
      (r) => r.ts.getTime(),
      (r) => r.hr,
    );
    return {
      sessionId: session.id,
      total: rows.length,
      downsampled: kept.length < rows.length,
      samples: kept.map(
        (r): StoredSample => ({
          ts: r.ts.getTime(),
          hr: r.hr,
          speed: r.speed,
          cadence: r.cadence,
          power: r.power,
          distance: r.distance,
          lat: r.lat,
          lon: r.lon,
          alt: r.alt,
        }),
      ),
    };
  };
  if (session.status === 'open') return load();
  return deps.platform.cache.wrap(
    await athleteCacheKey(deps, session.athleteId, `samples:${session.id}:${maxPoints}`),
    READ_CACHE_TTL_MS,
    load,
  );
}
