import type { Unsubscribe } from '@athlete/platform';
import {
  ACCESS_CHANGED_CHANNEL,
  type AccessChanged,
  canViewAthlete,
  ingestableAthletes,
  type Principal,
  viewableAthleteIdsForTeam,
} from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { counter, gauge, histogram } from '../metrics.ts';
import { invalidateAthleteCaches } from '../sessions/range.ts';
import { hidingUnknownAcknowledgers } from './acknowledger-visibility.ts';
import { LiveAlerts } from './alerts.ts';
import { LiveHandoff } from './handoff.ts';
import { LiveHub, type LiveSocket, type Viewer } from './hub.ts';
import { principalStillValid } from './principal-valid.ts';
import { loadLiveProfile, subscribeProfileChanged } from './profile.ts';
import { quarantineSamples } from './quarantine.ts';
import { LiveSessions } from './sessions.ts';
import { WriteBehind } from './write-behind.ts';

/** Close code for a live socket whose access was withdrawn. */
export const CLOSE_ACCESS_REVOKED = 4403;

export interface LiveServiceOptions {
  /** Fan-out tick (ms): one frame per viewer group per tick. */
  tickMs?: number;
  /** Per-socket unsent bytes above which a viewer gets coalesced frames. */
  maxBufferedBytes?: number;
  /** How often idle sessions are looked for (ms). */
  sweepEveryMs?: number;
}

/** A long-lived ingest connection, re-checked when access changes. */
export interface IngestConnection {
  principal: Principal;
  close(code: number, reason: string): void;
}

export type LiveViewer = Viewer<Principal>;

/** Whether this process's live pipeline can take samples (part of `/readyz`). */
export type LiveReadiness = { ready: true } | { ready: false; reason: string };

/** Write attempts failing in a row before readiness reports the writer as failing. */
const FAILURES_NOT_READY = 5;

// Revocations clear this cache at once (access.changed); the TTL only bounds staleness otherwise.
const ALLOWED_TTL_MS = 300_000;

/**
 * The live pipeline of one process: ingest bookkeeping, write-behind persistence, session
 * lifecycle, alerts and fan-out, plus the timers that drive them. Built once per process
 * (`createLiveService`), started after boot and closed before the database.
 */
export class LiveService {
  readonly deps: Deps;
  readonly hub: LiveHub<Principal>;
  readonly writer: WriteBehind;
  readonly sessions: LiveSessions;
  readonly alerts: LiveAlerts;
  readonly handoff: LiveHandoff;
  readonly ingestConnections = new Set<IngestConnection>();
  readonly metrics: {
    ingested: ReturnType<typeof counter<'transport' | 'outcome'>>;
    backpressure: ReturnType<typeof counter>;
    flushSeconds: ReturnType<typeof histogram>;
  };
  /** Ingest verdicts per credential, then per athlete. */
  readonly #allowed = new Map<string, Map<string, { ok: boolean; at: number }>>();
  #allowedCount = 0;
  /** Checks under way per credential, then per athlete (a second message waits for the first). */
  readonly #checking = new Map<string, Map<string, Promise<boolean>>>();
  /** Bumped on every access change: a check that ran across a change is not cached. */
  #accessGeneration = 0;
  /** Athletes whose cached reads are dropped once the current synchronous run ends. */
  readonly #toInvalidate = new Set<string>();
  readonly #opts: Required<LiveServiceOptions>;
  #timers: NodeJS.Timeout[] = [];
  #accessSub: Unsubscribe | null = null;
  #profileSub: Unsubscribe | null = null;
  /** Latest profile re-read asked for per athlete: an older read finishing later is dropped. */
  readonly #profileReads = new Map<string, number>();
  #profileReadSeq = 0;
  #started = false;
  #recheck: Promise<void> = Promise.resolve();
  readonly #refreshGauges: () => void;

  constructor(deps: Deps, opts: LiveServiceOptions = {}) {
    this.deps = deps;
    const idleMs = deps.config.LIVE_SESSION_IDLE_SECONDS * 1000;
    this.#opts = {
      // Ticks at most every 25 ms (≤ 40 frames/s per viewer), at once after a quiet spell: a
      // sample waits 0–25 ms before it is sent, keeping ingest → viewer well under 100 ms.
      tickMs: 25,
      maxBufferedBytes: 256 * 1024,
      sweepEveryMs: Math.max(200, Math.min(5_000, Math.floor(idleMs / 4))),
      ...opts,
    };
    // Names and labels are the contract in docs/METRICS.md (dashboard and alert rules use them).
    const m = deps.metrics;
    const frames = counter(m, 'ap_live_frames_sent_total', 'Live frames sent to viewers');
    const coalesced = gauge(
      m,
      'ap_live_viewers_coalesced',
      'Live viewers currently receiving coalesced frames',
    );
    this.metrics = {
      ingested: counter(m, 'ap_ingest_samples_total', 'Samples received, by transport and outcome', [
        'transport',
        'outcome',
      ]),
      backpressure: counter(
        m,
        'ap_ingest_backpressure_total',
        'Ingest batches refused because the write-behind buffer was full',
      ),
      flushSeconds: histogram(
        m,
        'ap_writebehind_flush_seconds',
        'Write-behind batch insert duration',
        [],
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      ),
    };
    const fanout = histogram(
      m,
      'ap_fanout_latency_seconds',
      'From a sample arriving at ingest to its frame being sent to viewers (incl. the Redis hop)',
      [],
      [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    );
    const buffered = gauge(m, 'ap_writebehind_buffer_samples', 'Samples waiting in the write-behind buffer');
    const lag = gauge(m, 'ap_writebehind_lag_seconds', 'Age of the oldest sample not yet committed');
    const viewers = gauge(m, 'ap_live_viewers', 'Open live viewer sockets on this node');
    const athletes = gauge(m, 'ap_live_athletes', 'Athletes with an open live session on this node');
    const flushErrors = counter(m, 'ap_writebehind_errors_total', 'Failed write-behind batch inserts');
    const quarantined = counter(
      m,
      'ap_writebehind_quarantined_total',
      'Live samples the database refused, kept in sample_quarantine instead of being retried',
    );
    // Set on every tick and, since ticks run only while data moves, once a second as well (a
    // node whose viewers left or whose database is down must not report frozen values).
    this.#refreshGauges = () => {
      viewers.set(this.hub.viewerCount);
      athletes.set(this.sessions.openCount);
      buffered.set(this.writer.buffered);
      lag.set(this.writer.oldestAgeMs() / 1000);
    };

    this.hub = new LiveHub<Principal>({
      pubsub: deps.platform.pubsub,
      log: deps.log,
      tickMs: this.#opts.tickMs,
      maxBufferedBytes: this.#opts.maxBufferedBytes,
      crossProcess: deps.platform.mode === 'services',
      onTick: (s) => {
        if (s.frames > 0) frames.inc(s.frames);
        coalesced.set(s.coalescedViewers);
        this.#refreshGauges();
      },
      onFanout: (ms) => fanout.observe(ms / 1000),
    });
    this.writer = new WriteBehind({
      insert: (rows) => deps.db.insertSamplesReport(rows),
      flushIntervalMs: deps.config.LIVE_FLUSH_INTERVAL_MS,
      capacity: deps.config.LIVE_BUFFER_MAX_SAMPLES,
      // Two batches overlap: one in its round trip while the next is built and sent (on PGlite,
      // queued in its thread so it does not idle while this event loop is busy).
      maxInFlight: 2,
      // PGlite runs in its own thread (packages/db/src/embedded.ts), so a statement no longer
      // blocks fan-out; but every other query waits behind it (PGlite runs one at a time), so
      // batches stay moderate (~2,000 rows, 4× while catching up a backlog); Postgres takes
      // large ones.
      maxBatch: deps.db.kind === 'pglite' ? 2_000 : 10_000,
      afterCommit: (rows) => this.sessions.recordCommitted(rows),
      quarantine: (refused) => quarantineSamples({ deps, refused }),
      onQuarantine: (refused) => {
        quarantined.inc(refused.length);
        for (const { row, reason, code } of refused) {
          deps.log.error(
            { athleteId: row.athleteId, ts: row.ts, code, reason },
            'live: the database refused a sample; kept in sample_quarantine',
          );
        }
      },
      onFlush: ({ ms }) => this.metrics.flushSeconds.observe(ms / 1000),
      onError: (err, attempt, count) => {
        flushErrors.inc();
        const log = attempt === 1 || attempt % 10 === 0 ? deps.log.warn : deps.log.debug;
        log.call(deps.log, { err, attempt, buffered: count }, 'live: writing samples failed; will retry');
      },
    });
    this.alerts = new LiveAlerts({
      deps,
      hub: this.hub as LiveHub<unknown>,
      onChange: (athleteId) => this.invalidate(athleteId),
    });
    this.sessions = new LiveSessions({
      deps,
      flushSamples: () => this.writer.flush(),
      announce: (athleteId, message) => {
        this.invalidate(athleteId);
        this.hub.publishEvent(athleteId, message);
      },
      onClosed: (athleteId, nowMs) => {
        this.hub.forgetLatest(athleteId);
        this.handoff.letGo([athleteId]);
        return this.alerts.forget(athleteId, nowMs);
      },
      onAcquired: (acquired, adopted) => {
        this.handoff.claim(acquired.map((s) => s.athleteId));
        return this.alerts.resume(
          adopted.map((s) => ({ athleteId: s.athleteId, sessionId: s.id, profile: s.profile })),
        );
      },
      onReleased: (athleteId) => this.alerts.release(athleteId),
    });
    this.handoff = new LiveHandoff({ deps, release: (athleteId) => this.sessions.release(athleteId) });
  }

  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    this.hub.start();
    const every = (ms: number, fn: () => unknown) => {
      const t = setInterval(() => {
        try {
          const r = fn();
          if (r instanceof Promise)
            r.catch((err) => this.deps.log.warn({ err }, 'live: periodic task failed'));
        } catch (err) {
          this.deps.log.warn({ err }, 'live: periodic task failed');
        }
      }, ms);
      t.unref?.();
      this.#timers.push(t);
    };
    every(1_000, () => this.alerts.tick(Date.now()));
    every(1_000, () => this.#refreshGauges());
    every(this.#opts.sweepEveryMs, () => this.sessions.sweepIdle(Date.now()));
    every(Math.max(this.#opts.sweepEveryMs, 30_000), () =>
      this.deps.platform.locks.withLock('live:orphan-sweep', 60_000, () =>
        this.sessions.sweepOrphans(Date.now()),
      ),
    );
    this.#accessSub = await this.#subscribeAccessChanged();
    await this.handoff.start();
    this.#profileSub = await subscribeProfileChanged(this.deps, (athleteId) => {
      this.reloadProfile(athleteId).catch((err) =>
        this.deps.log.warn({ err, athleteId }, 'live: could not re-read a changed profile'),
      );
    }).catch((err: unknown) => {
      this.deps.log.error({ err }, 'live: could not subscribe to live.profile-changed');
      return null;
    });
  }

  /**
   * Not ready while the write-behind is stuck: its oldest uncommitted sample is older than
   * LIVE_WRITER_STALL_SECONDS, or its last writes all failed. The reason is for `/readyz`.
   */
  readiness(now = Date.now()): LiveReadiness {
    const limitS = this.deps.config.LIVE_WRITER_STALL_SECONDS;
    const ageS = this.writer.oldestAgeMs(now) / 1000;
    const failures = this.writer.consecutiveFailures;
    const last = this.writer.lastError;
    const error = last ? `; last error: ${last instanceof Error ? last.message : String(last)}` : '';
    if (ageS > limitS) {
      return {
        ready: false,
        reason: `live samples are not being stored: the oldest of ${this.writer.buffered} waiting is ${Math.round(ageS)} s old (limit ${limitS} s)${error}`,
      };
    }
    if (failures >= FAILURES_NOT_READY) {
      return { ready: false, reason: `storing live samples failed ${failures} times in a row${error}` };
    }
    return { ready: true };
  }

  /** Stops timers, writes what is buffered (bounded wait) and releases subscriptions. */
  async close(): Promise<void> {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    await this.#accessSub?.().catch(() => {});
    this.#accessSub = null;
    await this.#profileSub?.().catch(() => {});
    this.#profileSub = null;
    await this.handoff.stop();
    this.hub.flushTick();
    await this.hub.stop();
    await this.writer.close(5_000);
    await this.alerts.settled();
  }

  /**
   * Drops cached reads of an athlete (sessions, daily, alerts) after new data. Athletes
   * invalidated in the same synchronous run go in one round trip (a gateway message opens 50
   * sessions at once; 10,000 athletes starting made 10,000 separate SETs).
   */
  invalidate(athleteId: string): void {
    this.#toInvalidate.add(athleteId);
    if (this.#toInvalidate.size > 1) return;
    queueMicrotask(() => {
      const ids = [...this.#toInvalidate];
      this.#toInvalidate.clear();
      invalidateAthleteCaches(this.deps, ids).catch((err) =>
        this.deps.log.debug({ err }, 'live: could not invalidate cached reads'),
      );
    });
  }

  /**
   * An athlete's profile changed (live.profile-changed): the live session this process feeds
   * for them, if any, takes the new HR max, zones and alert thresholds from its next sample.
   * One read per change and process holding the athlete; samples never read the profile.
   */
  async reloadProfile(athleteId: string): Promise<void> {
    if (!this.sessions.current(athleteId)) return;
    const ticket = ++this.#profileReadSeq;
    this.#profileReads.set(athleteId, ticket);
    try {
      const profile = await loadLiveProfile({ deps: this.deps, athleteId });
      if (this.#profileReads.get(athleteId) !== ticket) return;
      const session = this.sessions.current(athleteId);
      if (session) session.profile = profile;
    } finally {
      if (this.#profileReads.get(athleteId) === ticket) this.#profileReads.delete(athleteId);
    }
  }

  /** The ingest rule (`ingestableAthletes`) for one athlete, through the same cache. */
  async mayIngestFor(principal: Principal, athleteId: string): Promise<boolean> {
    const forbidden = this.forbiddenAthletes(principal, [athleteId]);
    return !(forbidden instanceof Promise ? await forbidden : forbidden).has(athleteId);
  }

  /**
   * The athletes of `athleteIds` the principal may not write for. Answers from the cache
   * without waiting when every athlete is known (the steady state: a gateway sending the same
   * athletes every second). Unknown ones are checked together in one query (a gateway's 50
   * athletes starting at once); an athlete whose check is already under way waits for it.
   */
  forbiddenAthletes(principal: Principal, athleteIds: Iterable<string>): Set<string> | Promise<Set<string>> {
    const now = Date.now();
    const credential = credentialKey(principal);
    const verdicts = this.#allowed.get(credential);
    const pending = this.#checking.get(credential);
    const forbidden = new Set<string>();
    const unknown: string[] = [];
    const waits: Array<Promise<void>> = [];
    for (const id of athleteIds) {
      const hit = verdicts?.get(id);
      if (hit && now - hit.at < ALLOWED_TTL_MS) {
        if (!hit.ok) forbidden.add(id);
        continue;
      }
      const inFlight = pending?.get(id);
      if (!inFlight) unknown.push(id);
      else {
        waits.push(
          inFlight.then((ok) => {
            if (!ok) forbidden.add(id);
          }),
        );
      }
    }
    if (unknown.length > 0) {
      waits.push(
        this.#checkIngest(principal, credential, unknown).then((allowed) => {
          for (const id of unknown) if (!allowed.has(id)) forbidden.add(id);
        }),
      );
    }
    if (waits.length === 0) return forbidden;
    return Promise.all(waits).then(() => forbidden);
  }

  /** One batched check; verdicts are cached unless access changed while it ran. */
  #checkIngest(principal: Principal, credential: string, athleteIds: string[]): Promise<Set<string>> {
    const generation = this.#accessGeneration;
    const at = Date.now();
    const check = ingestableAthletes({ deps: this.deps, principal, athleteIds });
    const pending = this.#checking.get(credential) ?? new Map<string, Promise<boolean>>();
    this.#checking.set(credential, pending);
    const mine = new Map<string, Promise<boolean>>();
    for (const id of athleteIds) {
      const one = check.then((allowed) => allowed.has(id));
      one.catch(() => {}); // whoever waits on it sees the failure; nobody waiting is fine
      mine.set(id, one);
      pending.set(id, one);
    }
    const settle = () => {
      const current = this.#checking.get(credential);
      if (!current) return;
      for (const [id, one] of mine) if (current.get(id) === one) current.delete(id);
      if (current.size === 0) this.#checking.delete(credential);
    };
    return check.then(
      (allowed) => {
        settle();
        if (generation !== this.#accessGeneration) return allowed;
        if (this.#allowedCount > 100_000) {
          this.#allowed.clear();
          this.#allowedCount = 0;
        }
        const verdicts = this.#allowed.get(credential) ?? new Map<string, { ok: boolean; at: number }>();
        this.#allowed.set(credential, verdicts);
        for (const id of athleteIds) {
          if (!verdicts.has(id)) this.#allowedCount++;
          verdicts.set(id, { ok: allowed.has(id), at });
        }
        return allowed;
      },
      (err: unknown) => {
        settle();
        throw err;
      },
    );
  }

  /**
   * Subscribes a viewer socket. The caller has already checked access for `athleteIds`. An
   * athlete's socket leaves out acknowledgers who are not their coaches.
   */
  addViewer(opts: {
    socket: LiveSocket;
    principal: Principal;
    target: LiveViewer['target'];
    athleteIds: string[];
  }): LiveViewer {
    return this.hub.addViewer({
      ...opts,
      socket: hidingUnknownAcknowledgers(this.deps, opts.principal, opts.socket),
    });
  }

  /** Resolves once every re-check triggered so far has finished (tests). */
  accessRechecked(): Promise<void> {
    return this.#recheck;
  }

  /** Re-checks open sockets after a loss of access; closes those no longer allowed. */
  onAccessChanged(change: AccessChanged): Promise<void> {
    this.#accessGeneration++;
    this.#allowed.clear();
    this.#allowedCount = 0;
    this.#checking.clear();
    // At once, not behind earlier re-checks: the write-behind writes within about a second.
    const discarded = this.#discardDeletedAthletes(change).catch((err) => {
      this.deps.log.error({ err }, 'live: could not look for deleted accounts in the write buffer');
    });
    const rechecked = this.#recheck
      .then(() => this.#recheckAll(change))
      .catch((err) => {
        this.deps.log.error({ err }, 'live: access re-check failed');
      });
    this.#recheck = Promise.all([rechecked, discarded]).then(() => {});
    return this.#recheck;
  }

  /**
   * An account deletion announces itself on access.changed: the samples this process still
   * buffers for an athlete whose user row is gone are dropped (and their senders acked), so
   * none is written after the erasure. One query per notice, only for athletes buffered here.
   */
  async #discardDeletedAthletes(change: AccessChanged): Promise<void> {
    const held = this.writer.heldAthletes();
    if (held.size === 0) return;
    const everything = !change.athleteId && !change.teamId && !change.userId;
    const named = [change.userId, change.athleteId].filter((id): id is string => !!id && held.has(id));
    const candidates = everything ? [...held] : [...new Set(named)];
    if (candidates.length === 0) return;
    const gone = await this.deps.db.query<{ id: string }>(
      `SELECT c.id::text AS id FROM unnest($1::uuid[]) AS c(id)
        WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = c.id)`,
      [candidates],
    );
    if (gone.length === 0) return;
    const dropped = this.writer.discard(new Set(gone.map((g) => g.id)));
    this.deps.log.info(
      { athleteIds: gone.map((g) => g.id), dropped },
      'live: buffered samples of deleted accounts dropped',
    );
  }

  async #subscribeAccessChanged(): Promise<Unsubscribe | null> {
    try {
      return await this.deps.platform.pubsub.subscribe(ACCESS_CHANGED_CHANNEL, (message) => {
        let change: AccessChanged = {};
        try {
          const parsed = JSON.parse(message.toString()) as unknown;
          if (typeof parsed === 'object' && parsed !== null) change = parsed as AccessChanged;
        } catch {
          // An unreadable notice still means "something changed": re-check everything.
        }
        void this.onAccessChanged(change);
      });
    } catch (err) {
      this.deps.log.error({ err }, 'live: could not subscribe to access.changed');
      return null;
    }
  }

  async #recheckAll(change: AccessChanged): Promise<void> {
    const { deps } = this;
    const everything = !change.athleteId && !change.teamId && !change.userId;
    const viewers = this.hub.allViewers().filter((v) => {
      if (everything) return true;
      const p = v.principal;
      if (change.userId && p.kind === 'user' && p.userId === change.userId) return true;
      if (change.athleteId && (v.athleteIds.has(change.athleteId) || v.target.id === change.athleteId))
        return true;
      // A team change can end a coach's access to an athlete they watch through that team.
      if (change.teamId) return v.target.kind === 'athlete' || v.target.id === change.teamId;
      return false;
    });
    await inBatches(viewers, 16, async (v) => {
      if (v.closed) return;
      if (!(await principalStillValid({ deps, principal: v.principal }))) {
        this.hub.closeViewer(v, CLOSE_ACCESS_REVOKED, 'access revoked');
        return;
      }
      if (v.target.kind === 'athlete') {
        const ok = await canViewAthlete({
          deps,
          principal: v.principal,
          athleteId: v.target.id,
          scope: 'live',
        });
        if (!ok) this.hub.closeViewer(v, CLOSE_ACCESS_REVOKED, 'access revoked');
        return;
      }
      const ids = await viewableAthleteIdsForTeam({
        deps,
        principal: v.principal,
        teamId: v.target.id,
        scope: 'live',
      });
      const member = await isTeamMember(deps, v.principal, v.target.id);
      if (!member) this.hub.closeViewer(v, CLOSE_ACCESS_REVOKED, 'access revoked');
      else this.hub.setViewerAthletes(v, ids);
    });
    await inBatches([...this.ingestConnections], 16, async (c) => {
      if (!(await principalStillValid({ deps, principal: c.principal }))) {
        this.ingestConnections.delete(c);
        c.close(CLOSE_ACCESS_REVOKED, 'credential revoked');
      }
    });
  }
}

/** Whether the principal may watch the team at all (a member of it, or an admin). */
export async function isTeamMember(
  deps: Pick<Deps, 'db'>,
  principal: Principal,
  teamId: string,
): Promise<boolean> {
  if (principal.kind !== 'user') return false;
  if (principal.role === 'admin') {
    const team = await deps.db.query('SELECT 1 FROM teams WHERE id = $1::uuid', [teamId]);
    return team.length > 0;
  }
  const rows = await deps.db.query(
    'SELECT 1 FROM team_members WHERE team_id = $1::uuid AND user_id = $2::uuid',
    [teamId, principal.userId],
  );
  return rows.length > 0;
}

function credentialKey(principal: Principal): string {
  return principal.kind === 'user' ? `u:${principal.sessionId}` : `d:${principal.deviceId}`;
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) {
    await Promise.allSettled(items.slice(i, i + size).map(fn));
  }
}

export function createLiveService(deps: Deps, opts?: LiveServiceOptions): LiveService {
  return new LiveService(deps, opts);
}
