import type { Deps } from '../deps.ts';

/** A stored sample row as read back for one session. */
export interface SessionSampleRow {
  ts: Date;
  hr: number | null;
  speed: number | null;
  cadence: number | null;
  power: number | null;
  distance: number | null;
  lat: number | null;
  lon: number | null;
  alt: number | null;
}

/** Every stored sample of a session, in time order. */
export function readSessionSampleRows(
  deps: Pick<Deps, 'db'>,
  session: { athleteId: string; id: string },
): Promise<SessionSampleRow[]> {
  return deps.db.query<SessionSampleRow>(
    `SELECT ts, hr, speed, cadence, power, distance, lat, lon, alt FROM samples
      WHERE athlete_id = $1::uuid AND session_id = $2::uuid ORDER BY ts`,
    [session.athleteId, session.id],
  );
}
