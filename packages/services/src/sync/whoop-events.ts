import { normaliseWhoopWorkout, ProviderRequestError } from '@athlete/providers';
import { whoopSession } from '../connections/provider-session.ts';
import { storeRawResponse } from '../connections/store-raw.ts';
import type { Deps } from '../deps.ts';
import { refreshAthleteCache } from './after-sync.ts';
import { upsertSession } from './provider-sessions.ts';
import { type SyncConnection, syncWhoopRange } from './whoop-sync.ts';

const DAY_MS = 86_400_000;
/** Without a locatable record (deleted, or an id of unknown kind), re-read this far back. */
const RECENT_MS = 3 * DAY_MS;

export interface WhoopEvent {
  type: string;
  id: string | number;
}

const isNotFound = (err: unknown) => err instanceof ProviderRequestError && err.status === 404;

/**
 * Handles one WHOOP webhook idempotently by re-fetching (payloads carry no data, deliveries are
 * at least once): a workout is fetched and upserted (or deleted); sleep and recovery events
 * re-read cycles, recoveries and sleeps around the record, so a deletion or a re-score replaces
 * the day as a whole. Recovery ids may be a cycle id or a sleep UUID: both are handled.
 */
export async function handleWhoopEvent({
  deps,
  connection,
  event,
}: {
  deps: Deps;
  connection: SyncConnection;
  event: WhoopEvent;
}): Promise<{ action: string; items: number }> {
  const api = whoopSession(deps, connection.id);
  const id = String(event.id);

  if (event.type === 'workout.deleted') {
    const removed = await deps.db.prisma.trainingSession.deleteMany({
      where: { athleteId: connection.userId, source: 'whoop', externalId: id },
    });
    if (removed.count > 0) await refreshAthleteCache(deps, connection.userId);
    return { action: 'workout-deleted', items: removed.count };
  }
  if (event.type === 'workout.updated') {
    try {
      const workout = await api.call((c) => c.getWorkout(id));
      await storeRawResponse({
        deps,
        userId: connection.userId,
        source: 'whoop',
        kind: 'workout',
        body: workout,
        externalId: id,
      });
      await upsertSession({ deps, athleteId: connection.userId, session: normaliseWhoopWorkout(workout) });
      await refreshAthleteCache(deps, connection.userId);
      return { action: 'workout-upserted', items: 1 };
    } catch (err) {
      if (isNotFound(err)) return { action: 'workout-gone', items: 0 };
      throw err;
    }
  }

  // sleep.* and recovery.*: find the record's time when it still exists, else re-read recent days.
  let around: number | undefined;
  if (event.type.endsWith('.updated')) {
    try {
      if (/^\d+$/.test(id)) around = Date.parse((await api.call((c) => c.getCycle(Number(id)))).start);
      else around = Date.parse((await api.call((c) => c.getSleep(id))).start);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  const now = Date.now();
  const start = new Date(around === undefined ? now - RECENT_MS : around - DAY_MS);
  const end = around === undefined ? undefined : new Date(Math.min(around + 2 * DAY_MS, now));
  const outcome = await syncWhoopRange({ deps, api, connection, start, end, collections: 'days' });
  await refreshAthleteCache(deps, connection.userId);
  return { action: `${event.type.split('.')[0]}-reread`, items: outcome.items };
}
