import type { Sample } from '@athlete/contracts';
import type { Deps } from '../deps.ts';
import {
  addDailyLoad,
  type LiveSource,
  summariseStoredSession,
  writeSessionSummary,
} from './live-sessions.ts';
import { loadLiveProfile } from './profile.ts';

/**
 * Samples far older than an athlete's open live session (a recorder that was offline for a day,
 * a gateway's backlog) belong to a session of their own time, not to today's (#12.8): appended
 * to the open one they made a 6.9-day session of a one-hour run. The rule, in sample time: a
 * gap of more than LIVE_SESSION_IDLE_SECONDS ends a session, as it does live.
 */

/** Splits samples (sorted by ts) wherever two neighbours are more than `gapMs` apart. */
export function splitAtGaps(samples: readonly Sample[], gapMs: number): Sample[][] {
  const runs: Sample[][] = [];
  for (const s of samples) {
    const run = runs.at(-1);
    if (run && s.ts - run.at(-1)!.ts <= gapMs) run.push(s);
    else runs.push([s]);
  }
  return runs;
}

/**
 * The closed live session a run of late samples belongs to: the athlete's live or simulator
 * session within one gap of the run, or a new closed one covering it.
 */
export async function historicalSessionFor(
  deps: Deps,
  athleteId: string,
  source: LiveSource,
  run: readonly Sample[],
): Promise<string> {
  const gapMs = deps.config.LIVE_SESSION_IDLE_SECONDS * 1000;
  const from = new Date(run[0]!.ts - gapMs);
  const to = new Date(run.at(-1)!.ts + gapMs);
  // One lookup-or-create at a time per athlete (any process): two batches of one late run
  // arriving together would otherwise each create a session for it.
  return deps.db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`late-session:${athleteId}`]);
    const [near] = await tx.query<{ id: string }>(
      `SELECT id FROM training_sessions
        WHERE athlete_id = $1::uuid AND source IN ('live', 'simulator') AND status = 'closed'
          AND started_at <= $3 AND COALESCE(ended_at, last_sample_at, started_at) >= $2
        ORDER BY started_at LIMIT 1`,
      [athleteId, from.toISOString(), to.toISOString()],
    );
    if (near) return near.id;
    const [created] = await tx.query<{ id: string }>(
      `INSERT INTO training_sessions (athlete_id, source, status, started_at, ended_at, last_sample_at)
       VALUES ($1::uuid, $2::"SessionSource", 'closed', $3, $4, $4) RETURNING id`,
      [athleteId, source, new Date(run[0]!.ts).toISOString(), new Date(run.at(-1)!.ts).toISOString()],
    );
    return created!.id;
  });
}

/**
 * Once a late run's samples are committed: summarise its session from everything it now holds
 * (bounds, totals, zones, TRIMP) and move the daily load by the change in TRIMP.
 */
export async function resummariseHistorical(deps: Deps, athleteId: string, sessionId: string): Promise<void> {
  const profile = await loadLiveProfile({ deps, athleteId });
  const summary = await summariseStoredSession(deps, athleteId, sessionId, profile);
  if (summary.startTs === null || summary.endTs === null) return;
  await deps.db.transaction(async (tx) => {
    const [before] = await tx.query<{ trimp: number | null }>(
      'SELECT trimp FROM training_sessions WHERE id = $1::uuid FOR UPDATE',
      [sessionId],
    );
    await writeSessionSummary(tx.query, sessionId, summary, {
      startedAt: new Date(summary.startTs!),
      endedAt: new Date(summary.endTs!),
    });
    const delta = (summary.trimp ?? 0) - (before?.trimp ?? 0);
    if (delta !== 0) await addDailyLoad(tx.query, athleteId, summary.startTs!, delta, profile.timeZone);
  });
}
