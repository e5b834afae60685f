import type { Prisma } from '@athlete/db';

/**
 * What a Garmin run keeps in `sync_runs.progress` while it waits for its data: the requested
 * window, the athlete-local dates that received data, when the wait began and when data last
 * arrived. `done` of `total` is days with data of days requested (a day the watch was not worn
 * never gets any, so the run ends on quiet or on the wait limit, not on done = total).
 */
export interface GarminWaitProgress {
  phase: string;
  done: number;
  total: number;
  unit: 'days';
  items: number;
  /** Dates (YYYY-MM-DD) data is counted for: the window widened by a day for time zones. */
  from: string;
  to: string;
  dates: string[];
  waitingSince: string;
  lastDataAt: string | null;
  quietS: number;
  maxWaitS: number;
  /** Set when the wait ends: `quiet` (data stopped arriving) or `timeout` (the wait limit). */
  endedBecause?: 'quiet' | 'timeout';
}

export const WAITING_PHASE = 'waiting for Garmin to send the data';

/** Reads a run's progress as a wait record, or null when it is not one. */
export function waitProgressOf(value: Prisma.JsonValue | null): GarminWaitProgress | null {
  const p = value as Partial<GarminWaitProgress> | null;
  return p && typeof p.waitingSince === 'string' && Array.isArray(p.dates) ? (p as GarminWaitProgress) : null;
}
