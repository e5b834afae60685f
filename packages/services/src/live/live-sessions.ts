import type { WsSessionEvent } from '@athlete/contracts';
import { localDay, type SessionSample, type SessionSummary, summariseSession } from '@athlete/core';
import type { SampleRow, TrainingSession } from '@athlete/db';
import type { Deps } from '../deps.ts';
import { toSessionOut } from '../sessions/serialize.ts';
import { type LiveProfile, loadLiveProfile, loadLiveProfiles } from './profile.ts';

export type LiveSource = 'live' | 'simulator';

/** A live session this process is feeding. */
export interface OpenSession {
  id: string;
  athleteId: string;
  source: LiveSource;
  startedAt: number;
  /** Arrival clock (ms) of the last sample: the idle timer. */
  lastArrivalMs: number;
  /** Newest sample time seen. */
  lastTs: number;
  /** last_sample_at as last written to the row (written at most every few seconds). */
  persistedLastTs: number;
  /** Newest sample time sent to live viewers and the alert engine (older resends are only stored). */
  liveTs: number;
  profile: LiveProfile;
}

export interface LiveSessionsOptions {
  deps: Deps;
  /** Makes sure every queued sample is committed (closing summarises from the database). */
  flushSamples(): Promise<void>;
  /** Session started or stopped: tell the athlete's viewers. */
  announce(athleteId: string, message: WsSessionEvent): void;
  /** The session ended: stop alerting on this athlete. */
  onClosed(athleteId: string, nowMs: number): Promise<void> | void;
  /**
   * This process starts feeding these sessions (`adopted`: the rows already existed, opened by
   * another process or before a restart). Awaited before any of their samples is processed.
   */
  onAcquired?(acquired: OpenSession[], adopted: OpenSession[]): Promise<void> | void;
  /** This process stopped feeding an athlete's session without closing it (another one took it over). */
  onReleased?(athleteId: string): void;
}

/** How often (ms of sample time) a session's last_sample_at is written while it streams. */
const LAST_SAMPLE_WRITE_EVERY_MS = 10_000;
/** Orphans (open rows no process feeds, e.g. after a crash) are closed after idle + this. */
const ORPHAN_GRACE_MS = 60_000;

/** training_sessions columns under the names of Prisma's TrainingSession (raw SQL on the hot path). */
const SESSION_COLUMNS = `id, athlete_id AS "athleteId", source, external_id AS "externalId", sport, status,
  started_at AS "startedAt", ended_at AS "endedAt", last_sample_at AS "lastSampleAt",
  duration_s AS "durationS", distance_m AS "distanceM", avg_hr AS "avgHr", max_hr AS "maxHr",
  avg_speed AS "avgSpeed", max_speed AS "maxSpeed", time_in_zones_s AS "timeInZonesS", trimp,
  calories, summary, created_at AS "createdAt", updated_at AS "updatedAt", team_session_id AS "teamSessionId"`;

/**
 * Session lifecycle: opened on the first sample (or explicitly), closed explicitly or after
 * LIVE_SESSION_IDLE_SECONDS without samples. Closing summarises the stored samples with core's
 * summariseSession, writes the summary on the row and adds its TRIMP to the athlete's daily
 * 'live' load, once: only the update that moves the row from open to closed does so.
 */
export class LiveSessions {
  readonly #opts: LiveSessionsOptions;
  readonly #open = new Map<string, OpenSession>();
  readonly #opening = new Map<string, Promise<OpenSession>>();
  readonly #closing = new Map<string, Promise<TrainingSession | null>>();

  constructor(opts: LiveSessionsOptions) {
    this.#opts = opts;
  }

  get openCount(): number {
    return this.#open.size;
  }

  /** The session this process feeds for the athlete, if any (no I/O). */
  current(athleteId: string): OpenSession | undefined {
    return this.#open.get(athleteId);
  }

  /**
   * The open session for an athlete, opening one when needed (reusing an open row another
   * process or an earlier run left, unless it has gone idle).
   */
  ensure(athleteId: string, source: LiveSource, firstTs: number): OpenSession | Promise<OpenSession> {
    const open = this.#open.get(athleteId);
    if (open && !this.#closing.has(open.id)) return open;
    let opening = this.#opening.get(athleteId);
    if (!opening) {
      opening = this.#openMany([athleteId], source, new Map([[athleteId, firstTs]]))
        .then((m) => m.get(athleteId)!)
        .finally(() => this.#opening.delete(athleteId));
      this.#opening.set(athleteId, opening);
    }
    return opening;
  }

  /**
   * The open sessions of many athletes at once (one gateway message): athletes without one are
   * opened together (one profile query, one lookup, one insert) so thousands of athletes
   * starting at once do not queue thousands of round trips ahead of sample writes.
   */
  ensureMany(
    firstTs: Map<string, number>,
    source: LiveSource,
  ): Map<string, OpenSession> | Promise<Map<string, OpenSession>> {
    const out = new Map<string, OpenSession>();
    const waiting: Array<Promise<void>> = [];
    const missing: string[] = [];
    for (const athleteId of firstTs.keys()) {
      const open = this.#open.get(athleteId);
      if (open && !this.#closing.has(open.id)) out.set(athleteId, open);
      else if (this.#opening.has(athleteId)) {
        waiting.push(this.#opening.get(athleteId)!.then((s) => void out.set(athleteId, s)));
      } else missing.push(athleteId);
    }
    if (missing.length > 0) {
      const batch = this.#openMany(missing, source, firstTs);
      for (const id of missing) {
        const one = batch.then((m) => m.get(id)!).finally(() => this.#opening.delete(id));
        this.#opening.set(id, one);
        waiting.push(one.then((s) => void out.set(id, s)));
      }
    }
    // Every athlete already open (the steady state): answer without a promise.
    if (waiting.length === 0) return out;
    return Promise.all(waiting).then(() => out);
  }

  /**
   * Opens (or adopts) the sessions of athletes this process holds none for. Across processes
   * the database decides: at most one open live/simulator row per athlete (a partial unique
   * index), so every process inserts with ON CONFLICT DO NOTHING and then reads the rows that
   * exist; two processes receiving the same athlete end up feeding the same row. An open row
   * that has gone idle is closed (summarised) first and a new one opened.
   */
  async #openMany(
    athleteIds: string[],
    source: LiveSource,
    firstTs: Map<string, number>,
  ): Promise<Map<string, OpenSession>> {
    const { deps } = this.#opts;
    const idleMs = deps.config.LIVE_SESSION_IDLE_SECONDS * 1000;
    const [profiles, existing] = await Promise.all([
      loadLiveProfiles({ deps, athleteIds }),
      this.#openRows(athleteIds),
    ]);
    const now = Date.now();
    // Keyed by athlete id as Postgres prints it (lower case), whatever the caller's spelling.
    const rows = new Map<string, TrainingSession>();
    const firstTsOf = new Map([...firstTs].map(([id, ts]) => [id.toLowerCase(), ts]));
    const stale: TrainingSession[] = [];
    for (const row of existing) {
      const last = (row.lastSampleAt ?? row.startedAt).getTime();
      const idle =
        Math.max(now, firstTsOf.get(row.athleteId) ?? now) - last > idleMs + LAST_SAMPLE_WRITE_EVERY_MS;
      // A row this process is closing right now is as good as closed.
      if (idle || this.#closing.has(row.id)) stale.push(row);
      else rows.set(row.athleteId, row);
    }
    if (stale.length > 0) await Promise.all(stale.map((row) => this.close(row.id, row.athleteId)));

    const created: TrainingSession[] = [];
    // Another process may insert (or, rarely, close) an athlete's row between our insert and
    // our read; a few rounds settle it.
    for (let round = 0; round < 3; round++) {
      const missing = athleteIds.filter((id) => !rows.has(id.toLowerCase()));
      if (missing.length === 0) break;
      for (const row of await this.#insertOpen(missing, source, firstTs)) {
        created.push(row);
        rows.set(row.athleteId, row);
      }
      const taken = missing.filter((id) => !rows.has(id.toLowerCase()));
      if (taken.length === 0) break;
      for (const row of await this.#openRows(taken)) rows.set(row.athleteId, row);
    }
    const out = new Map<string, OpenSession>();
    for (const id of athleteIds) {
      const row = rows.get(id.toLowerCase());
      if (!row) throw new Error(`live: could not open a session for athlete ${id}`);
      out.set(id, toOpenSession(row, profiles.get(id)!, now));
    }
    // Before the sessions become visible, so no sample of theirs is handled ahead of the hook
    // (further messages for these athletes wait on #opening meanwhile).
    await this.#acquired([...out.values()], new Set(created.map((row) => row.id)));
    for (const session of out.values()) this.#open.set(session.athleteId, session);
    for (const row of created) {
      this.#opts.announce(row.athleteId, {
        type: 'session',
        event: 'started',
        athleteId: row.athleteId,
        sessionId: row.id,
        session: toSessionOut(row),
      });
    }
    return out;
  }

  /** The open live/simulator rows of these athletes (at most one each). */
  #openRows(athleteIds: string[]): Promise<TrainingSession[]> {
    return this.#opts.deps.db.query<TrainingSession>(
      `SELECT ${SESSION_COLUMNS} FROM training_sessions
        WHERE athlete_id = ANY($1::uuid[]) AND status = 'open' AND source IN ('live', 'simulator')`,
      [athleteIds],
    );
  }

  /** Inserts open rows for athletes that have none; answers only the rows it inserted. */
  #insertOpen(
    athleteIds: string[],
    source: LiveSource,
    firstTs: Map<string, number>,
  ): Promise<TrainingSession[]> {
    return this.#opts.deps.db.query<TrainingSession>(
      // Grouped under the newest open team session of a team the athlete shares live data with
      // (#15.5), in the same statement: no extra round trip when thousands start at once.
      `INSERT INTO training_sessions (athlete_id, source, status, started_at, last_sample_at, team_session_id)
       SELECT u.athlete_id, $2::"SessionSource", 'open', u.ts, u.ts,
              (SELECT ts.id FROM team_sessions ts
                 JOIN team_members m ON m.team_id = ts.team_id AND m.user_id = u.athlete_id
                                    AND m.role = 'athlete' AND m.consent_live
                WHERE ts.ended_at IS NULL ORDER BY ts.started_at DESC LIMIT 1)
         FROM unnest($1::uuid[], $3::timestamptz[]) AS u(athlete_id, ts)
       ON CONFLICT (athlete_id) WHERE status = 'open' AND source IN ('live', 'simulator') DO NOTHING
       RETURNING ${SESSION_COLUMNS}`,
      [athleteIds, source, athleteIds.map((id) => new Date(firstTs.get(id)!).toISOString())],
    );
  }

  async #acquired(acquired: OpenSession[], created: Set<string>): Promise<void> {
    if (!this.#opts.onAcquired) return;
    try {
      await this.#opts.onAcquired(
        acquired,
        acquired.filter((s) => !created.has(s.id)),
      );
    } catch (err) {
      // Samples must keep flowing: at worst an ongoing alert is raised again.
      this.#opts.deps.log.warn({ err }, 'live: taking over sessions failed');
    }
  }

  /** Explicit start: returns the open session (an existing one is kept). */
  async start(athleteId: string, source: LiveSource): Promise<OpenSession> {
    return this.ensure(athleteId, source, Date.now());
  }

  /** Records that samples arrived (idle timer) and advances the newest sample time. */
  touch(session: OpenSession, lastTs: number, nowMs: number): void {
    session.lastArrivalMs = nowMs;
    if (lastTs > session.lastTs) session.lastTs = lastTs;
  }

  /** After a committed batch: advance last_sample_at of sessions that moved on (batched). */
  recordCommitted(rows: SampleRow[]): void {
    // Newest committed sample per session of this batch (not a walk over every open session:
    // batches are small and frequent, open sessions many).
    const latest = new Map<string, { athleteId: string; t: number }>();
    for (const r of rows) {
      if (!r.sessionId) continue;
      const t = r.ts.getTime();
      const known = latest.get(r.sessionId);
      if (!known) latest.set(r.sessionId, { athleteId: r.athleteId, t });
      else if (t > known.t) known.t = t;
    }
    const ids: string[] = [];
    const times: string[] = [];
    for (const [sessionId, { athleteId, t }] of latest) {
      const s = this.#open.get(athleteId);
      if (!s || s.id !== sessionId || t - s.persistedLastTs < LAST_SAMPLE_WRITE_EVERY_MS) continue;
      s.persistedLastTs = t;
      ids.push(s.id);
      times.push(new Date(t).toISOString());
    }
    if (ids.length === 0) return;
    this.#opts.deps.db
      .query(
        `UPDATE training_sessions t SET last_sample_at = GREATEST(COALESCE(t.last_sample_at, u.ts), u.ts)
           FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, ts) WHERE t.id = u.id`,
        [ids, times],
      )
      .catch((err) => this.#opts.deps.log.debug({ err }, 'live: could not advance last_sample_at'));
  }

  /** Closes the athlete's open session (explicit stop). Null when none was open. */
  async stopAthlete(athleteId: string): Promise<TrainingSession | null> {
    const opening = this.#opening.get(athleteId);
    if (opening) await opening.catch(() => {});
    const open = this.#open.get(athleteId);
    if (open) return this.close(open.id, athleteId);
    const row = await this.#opts.deps.db.prisma.trainingSession.findFirst({
      where: { athleteId, status: 'open', source: { in: ['live', 'simulator'] } },
      orderBy: { startedAt: 'desc' },
    });
    return row ? this.close(row.id, athleteId) : null;
  }

  /** Closes a session by id (whichever process fed it); returns the closed row. */
  close(sessionId: string, athleteId: string): Promise<TrainingSession | null> {
    let closing = this.#closing.get(sessionId);
    if (!closing) {
      closing = this.#close(sessionId, athleteId).finally(() => this.#closing.delete(sessionId));
      this.#closing.set(sessionId, closing);
    }
    return closing;
  }

  /** Another process closed a session we may be holding: forget it so the next sample reopens. */
  forgetClosed(athleteId: string, sessionId: string): void {
    if (this.#open.get(athleteId)?.id === sessionId) this.#open.delete(athleteId);
  }

  /**
   * Another process took the athlete over: stop feeding the session here without closing it
   * (the row stays open for the new owner). False when this process held no session for them.
   */
  release(athleteId: string): boolean {
    const open = this.#open.get(athleteId);
    if (!open || this.#closing.has(open.id)) return false;
    this.#open.delete(athleteId);
    this.#opts.onReleased?.(athleteId);
    return true;
  }

  /**
   * Closes this process's sessions idle for LIVE_SESSION_IDLE_SECONDS; answers how many. A
   * session whose row holds a newer last_sample_at than any sample this process saw is being
   * fed by another process (a handoff notice that never arrived): it is released, not closed.
   */
  async sweepIdle(nowMs: number): Promise<number> {
    const idleMs = this.#opts.deps.config.LIVE_SESSION_IDLE_SECONDS * 1000;
    const idle = [...this.#open.values()].filter((s) => nowMs - s.lastArrivalMs >= idleMs);
    if (idle.length === 0) return 0;
    const rows = await this.#opts.deps.db.query<{ id: string; lastSampleAt: Date | null }>(
      `SELECT id, last_sample_at AS "lastSampleAt" FROM training_sessions WHERE id = ANY($1::uuid[])`,
      [idle.map((s) => s.id)],
    );
    const lastSampleAt = new Map(rows.map((r) => [r.id, r.lastSampleAt?.getTime() ?? null]));
    const closing: OpenSession[] = [];
    for (const s of idle) {
      const last = lastSampleAt.get(s.id);
      if (last != null && last > s.lastTs) this.release(s.athleteId);
      else closing.push(s);
    }
    await Promise.allSettled(closing.map((s) => this.close(s.id, s.athleteId)));
    return closing.length;
  }

  /**
   * Closes open live rows nobody feeds any more (their process stopped). Run under a lock so
   * only one process sweeps at a time.
   */
  async sweepOrphans(nowMs: number): Promise<number> {
    const { deps } = this.#opts;
    const cutoff = new Date(nowMs - deps.config.LIVE_SESSION_IDLE_SECONDS * 1000 - ORPHAN_GRACE_MS);
    const rows = await deps.db.prisma.trainingSession.findMany({
      where: {
        status: 'open',
        source: { in: ['live', 'simulator'] },
        OR: [{ lastSampleAt: { lt: cutoff } }, { lastSampleAt: null, startedAt: { lt: cutoff } }],
      },
      select: { id: true, athleteId: true },
      take: 500,
    });
    const mine = new Set([...this.#open.values()].map((s) => s.id));
    const orphans = rows.filter((r) => !mine.has(r.id));
    await Promise.allSettled(orphans.map((r) => this.close(r.id, r.athleteId)));
    return orphans.length;
  }

  async #close(sessionId: string, athleteId: string): Promise<TrainingSession | null> {
    const { deps } = this.#opts;
    const nowMs = Date.now();
    await this.#opts.flushSamples();
    const row = await deps.db.prisma.trainingSession.findUnique({ where: { id: sessionId } });
    if (!row) {
      this.forgetClosed(athleteId, sessionId);
      return null;
    }
    if (row.status === 'closed') {
      this.forgetClosed(athleteId, sessionId);
      return row;
    }
    const profile = this.#open.get(athleteId)?.profile ?? (await loadLiveProfile({ deps, athleteId }));
    const summary = await summariseStoredSession(deps, athleteId, sessionId, profile);
    const endedAt = summary.endTs !== null ? new Date(summary.endTs) : (row.lastSampleAt ?? row.startedAt);
    const closed = await deps.db.transaction(async (tx) => {
      const updated = await writeSessionSummary(tx.query, sessionId, summary, { endedAt, close: true });
      if (!updated) return false;
      if (summary.trimp !== null && summary.sampleCount > 0) {
        await addDailyLoad(
          tx.query,
          athleteId,
          summary.startTs ?? row.startedAt.getTime(),
          summary.trimp,
          profile.timeZone,
        );
      }
      return true;
    });
    this.forgetClosed(athleteId, sessionId);
    await this.#opts.onClosed(athleteId, nowMs);
    const final = await deps.db.prisma.trainingSession.findUnique({ where: { id: sessionId } });
    if (closed && final) {
      this.#opts.announce(athleteId, {
        type: 'session',
        event: 'stopped',
        athleteId,
        sessionId,
        summary,
        session: toSessionOut(final),
      });
    }
    return final;
  }
}

function toOpenSession(row: TrainingSession, profile: LiveProfile, now: number): OpenSession {
  const last = (row.lastSampleAt ?? row.startedAt).getTime();
  return {
    id: row.id,
    athleteId: row.athleteId,
    source: row.source === 'simulator' ? 'simulator' : 'live',
    startedAt: row.startedAt.getTime(),
    lastArrivalMs: now,
    lastTs: last,
    persistedLastTs: last,
    liveTs: Number.NEGATIVE_INFINITY,
    profile,
  };
}

/** Summarises a session from its stored samples (closing, and late samples' sessions). */
export async function summariseStoredSession(
  deps: Deps,
  athleteId: string,
  sessionId: string,
  profile: LiveProfile,
): Promise<SessionSummary> {
  const samples = await deps.db.query<{
    ts: Date;
    hr: number | null;
    speed: number | null;
    distance: number | null;
    cadence: number | null;
    power: number | null;
    alt: number | null;
  }>(
    `SELECT ts, hr, speed, distance, cadence, power, alt FROM samples
      WHERE athlete_id = $1::uuid AND session_id = $2::uuid ORDER BY ts`,
    [athleteId, sessionId],
  );
  return summariseSession(
    samples.map(
      (s): SessionSample => ({
        ts: s.ts.getTime(),
        hr: s.hr,
        speed: s.speed,
        distance: s.distance,
        cadence: s.cadence,
        power: s.power,
        alt: s.alt,
      }),
    ),
    { hrMax: profile.hrMax, hrRest: profile.hrRest, sex: profile.sex, zones: profile.zones },
  );
}

type Query = <T>(sql: string, params?: unknown[]) => Promise<T[]>;

/**
 * Writes a summary's columns onto its session (ending at `endedAt`, and starting at `startedAt`
 * when given). With `close`, also closes it, only if still open; false when no row was written.
 */
export async function writeSessionSummary(
  query: Query,
  sessionId: string,
  summary: SessionSummary,
  { endedAt, startedAt, close = false }: { endedAt: Date; startedAt?: Date; close?: boolean },
): Promise<boolean> {
  const updated = await query<{ id: string }>(
    `UPDATE training_sessions SET ${close ? "status = 'closed', " : ''}started_at = COALESCE($12::timestamptz, started_at),
            ended_at = $2, last_sample_at = $2,
            duration_s = $3, distance_m = $4, avg_hr = $5, max_hr = $6, avg_speed = $7, max_speed = $8,
            time_in_zones_s = $9::float8[], trimp = $10, summary = $11::jsonb, updated_at = now()
      WHERE id = $1::uuid${close ? " AND status = 'open'" : ''} RETURNING id`,
    [
      sessionId,
      endedAt.toISOString(),
      summary.durationS,
      summary.distanceM,
      summary.avgHr,
      summary.maxHr === null ? null : Math.round(summary.maxHr),
      summary.avgSpeed,
      summary.maxSpeed,
      summary.timeInZonesS,
      summary.trimp,
      JSON.stringify(summary),
      startedAt?.toISOString() ?? null,
    ],
  );
  return updated.length > 0;
}

/** Adds TRIMP (or a change of it) to the 'live' daily row of the athlete's day `startedAt` falls on. */
export async function addDailyLoad(
  query: Query,
  athleteId: string,
  startedAt: number,
  trimp: number | null,
  timeZone: string | null,
): Promise<void> {
  await query(
    `INSERT INTO daily_summaries (athlete_id, date, source, training_load, updated_at)
     VALUES ($1::uuid, $2::date, 'live', $3, now())
     ON CONFLICT (athlete_id, date, source)
     DO UPDATE SET training_load = COALESCE(daily_summaries.training_load, 0) + EXCLUDED.training_load,
                   updated_at = now()`,
    [athleteId, localDay(startedAt, timeZone), trimp],
  );
}
