import type {
  Alert,
  AthleteLiveState,
  Session,
  TeamSession,
  TeamSessionEndResponse,
} from '@athlete/contracts';
import type { AlertRule, AlertSeverity } from '@athlete/core';
import type { Unsubscribe } from '@athlete/platform';
import type { AccessChanged, Principal, UserPrincipal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { invalidateAthleteCaches } from '../sessions/range.ts';
import { AccessWatch } from './access-watch.ts';
import { acknowledgeAlert } from './acknowledge-alert.ts';
import { hidingUnknownAcknowledgers } from './acknowledger-visibility.ts';
import { LiveAlerts } from './alerts.ts';
import { startLiveSession, stopLiveSession } from './control-session.ts';
import { LiveHandoff } from './handoff.ts';
import { LiveHub, type LiveSocket, type ViewTarget } from './hub.ts';
import { type IngestOptions, type IngestOutcome, ingestSamples } from './ingest.ts';
import { IngestPermits } from './ingest-permits.ts';
import { type IngestSocketPeer, type IngestStream, openIngestStream } from './ingest-socket.ts';
import { createLiveInstruments } from './instruments.ts';
import { LiveSessions, type LiveSource } from './live-sessions.ts';
import type { IngestConnection, LiveParts } from './parts.ts';
import { type LiveProfile, loadLiveProfile, subscribeProfileChanged } from './profile.ts';
import { quarantineSamples } from './quarantine.ts';
import { liveSnapshot } from './snapshot.ts';
import { endTeamSession, startTeamSession } from './team-sessions.ts';
import { WriteBehind } from './write-behind.ts';

export interface LiveServiceOptions {
  /** Fan-out tick (ms): one frame per viewer group per tick. */
  tickMs?: number;
  /** Per-socket unsent bytes above which a viewer gets coalesced frames. */
  maxBufferedBytes?: number;
  /** How often idle sessions are looked for (ms). */
  sweepEveryMs?: number;
}

/** A viewer's subscription: stop it when the socket closes. */
export interface LiveWatch {
  stop(): void;
}

/** What a caller may know of an athlete's open live session on this process. */
export interface OpenLiveSession {
  readonly id: string;
  readonly profile: Readonly<LiveProfile>;
}

/** Counts for operators and tests (gauges publish the same). */
export interface LiveStatus {
  bufferedSamples: number;
  bufferCapacity: number;
  openSessions: number;
  viewers: number;
}

export type { IngestConnection, IngestOutcome, IngestSocketPeer, IngestStream };

/** Whether this process's live pipeline can take samples (part of `/readyz`). */
export type LiveReadiness = { ready: true } | { ready: false; reason: string };

/** Write attempts failing in a row before readiness reports the writer as failing. */
const FAILURES_NOT_READY = 5;

/**
 * The live pipeline of one process: ingest bookkeeping, write-behind persistence, session
 * lifecycle, alerts and fan-out, plus the timers that drive them. Built once per process
 * (`createLiveService`), started after boot and closed before the database. Its parts stay
 * private: callers use the operations below, the steps get `LiveParts`.
 */
export class LiveService {
  readonly deps: Deps;
  readonly #parts: LiveParts;
  readonly #handoff: LiveHandoff;
  readonly #access: AccessWatch;
  /** Athletes whose cached reads are dropped once the current synchronous run ends. */
  readonly #toInvalidate = new Set<string>();
  readonly #opts: Required<LiveServiceOptions>;
  #timers: NodeJS.Timeout[] = [];
  #profileSub: Unsubscribe | null = null;
  /** Latest profile re-read asked for per athlete: an older read finishing later is dropped. */
  readonly #profileReads = new Map<string, number>();
  #profileReadSeq = 0;
  #started = false;
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
    const metrics = createLiveInstruments(deps.metrics);
    // Set on every tick and, since ticks run only while data moves, once a second as well (a
    // node whose viewers left or whose database is down must not report frozen values).
    this.#refreshGauges = () => {
      metrics.viewers.set(hub.viewerCount);
      metrics.athletes.set(sessions.openCount);
      metrics.buffered.set(writer.buffered);
      metrics.lag.set(writer.oldestAgeMs() / 1000);
    };

    const hub = new LiveHub<Principal>({
      pubsub: deps.platform.pubsub,
      log: deps.log,
      tickMs: this.#opts.tickMs,
      maxBufferedBytes: this.#opts.maxBufferedBytes,
      crossProcess: deps.platform.mode === 'services',
      onTick: (s) => {
        if (s.frames > 0) metrics.frames.inc(s.frames);
        metrics.coalesced.set(s.coalescedViewers);
        this.#refreshGauges();
      },
      onFanout: (ms) => metrics.fanout.observe(ms / 1000),
    });
    const writer: WriteBehind = new WriteBehind({
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
      afterCommit: (rows) => sessions.recordCommitted(rows),
      quarantine: (refused) => quarantineSamples({ deps, refused }),
      onQuarantine: (refused) => {
        metrics.quarantined.inc(refused.length);
        for (const { row, reason, code } of refused) {
          deps.log.error(
            { athleteId: row.athleteId, ts: row.ts, code, reason },
            'live: the database refused a sample; kept in sample_quarantine',
          );
        }
      },
      onFlush: ({ ms }) => metrics.flushSeconds.observe(ms / 1000),
      onError: (err, attempt, count) => {
        metrics.flushErrors.inc();
        const log = attempt === 1 || attempt % 10 === 0 ? deps.log.warn : deps.log.debug;
        log.call(deps.log, { err, attempt, buffered: count }, 'live: writing samples failed; will retry');
      },
    });
    const alerts = new LiveAlerts({
      deps,
      hub: hub as LiveHub<unknown>,
      onChange: (athleteId) => this.#invalidate(athleteId),
    });
    const sessions: LiveSessions = new LiveSessions({
      deps,
      flushSamples: () => writer.flush(),
      announce: (athleteId, message) => {
        this.#invalidate(athleteId);
        hub.publishEvent(athleteId, message);
      },
      onClosed: (athleteId, nowMs) => {
        hub.forgetLatest(athleteId);
        this.#handoff.letGo([athleteId]);
        return alerts.forget(athleteId, nowMs);
      },
      onAcquired: (acquired, adopted) => {
        this.#handoff.claim(acquired.map((s) => s.athleteId));
        return alerts.resume(
          adopted.map((s) => ({ athleteId: s.athleteId, sessionId: s.id, profile: s.profile })),
        );
      },
      onReleased: (athleteId) => alerts.release(athleteId),
    });
    this.#handoff = new LiveHandoff({ deps, release: (athleteId) => sessions.release(athleteId) });
    this.#parts = {
      deps,
      hub,
      writer,
      sessions,
      alerts,
      metrics,
      permits: new IngestPermits(deps),
      ingestConnections: new Set<IngestConnection>(),
      invalidate: (athleteId) => this.#invalidate(athleteId),
    };
    this.#access = new AccessWatch(this.#parts);
  }

  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const { hub, alerts, sessions } = this.#parts;
    hub.start();
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
    every(1_000, () => alerts.tick(Date.now()));
    every(1_000, () => this.#refreshGauges());
    every(this.#opts.sweepEveryMs, () => sessions.sweepIdle(Date.now()));
    every(Math.max(this.#opts.sweepEveryMs, 30_000), () =>
      this.deps.platform.locks.withLock('live:orphan-sweep', 60_000, () => sessions.sweepOrphans(Date.now())),
    );
    await this.#access.start();
    await this.#handoff.start();
    this.#profileSub = await subscribeProfileChanged(this.deps, (athleteId) => {
      this.#reloadProfile(athleteId).catch((err) =>
        this.deps.log.warn({ err, athleteId }, 'live: could not re-read a changed profile'),
      );
    }).catch((err: unknown) => {
      this.deps.log.error({ err }, 'live: could not subscribe to live.profile-changed');
      return null;
    });
  }

  /** Stops timers, writes what is buffered (bounded wait) and releases subscriptions. */
  async close(): Promise<void> {
    const { hub, writer, alerts } = this.#parts;
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    await this.#access.stop();
    await this.#profileSub?.().catch(() => {});
    this.#profileSub = null;
    await this.#handoff.stop();
    hub.flushTick();
    await hub.stop();
    await writer.close(5_000);
    await alerts.settled();
  }

  // --- Operations -----------------------------------------------------------------------------

  /**
   * Takes a batch of live samples (validated one by one; see `ingestSamples`). Throws 503
   * BACKPRESSURE (nothing taken) when the write buffer is full.
   */
  ingest(opts: Omit<IngestOptions, 'parts'>): Promise<IngestOutcome> {
    return ingestSamples({ ...opts, parts: this.#parts });
  }

  /** Starts the `/ws/ingest` protocol for one socket (re-checked when access changes). */
  openIngestStream(peer: IngestSocketPeer): IngestStream {
    return openIngestStream(this.#parts, peer);
  }

  /**
   * Subscribes a viewer socket. The caller has already checked access for `athleteIds`. An
   * athlete's socket leaves out acknowledgers who are not their coaches.
   */
  watch(opts: {
    socket: LiveSocket;
    principal: Principal;
    target: ViewTarget;
    athleteIds: string[];
  }): LiveWatch {
    const { hub } = this.#parts;
    const viewer = hub.addViewer({
      ...opts,
      socket: hidingUnknownAcknowledgers(this.deps, opts.principal, opts.socket),
    });
    return { stop: () => hub.removeViewer(viewer) };
  }

  /** The state a new viewer starts from (see `liveSnapshot`). */
  snapshot(opts: { principal: Principal | null; athleteIds: string[] }): Promise<AthleteLiveState[]> {
    return liveSnapshot({ ...opts, parts: this.#parts });
  }

  /** Opens (or returns the already open) live session of an athlete the caller may write for. */
  startSession(opts: {
    principal: Principal | null;
    athleteId?: string;
    source?: LiveSource;
  }): Promise<Session> {
    return startLiveSession({ ...opts, parts: this.#parts });
  }

  /** Closes a live session by id, or the athlete's open one. */
  stopSession(opts: {
    principal: Principal | null;
    sessionId?: string;
    athleteId?: string;
  }): Promise<Session | null> {
    return stopLiveSession({ ...opts, parts: this.#parts });
  }

  /** A coach opens a team session; the team's live sessions open now and later are grouped under it. */
  startTeamSession(opts: { principal: UserPrincipal; teamId: string; title?: string }): Promise<TeamSession> {
    return startTeamSession({ ...opts, parts: this.#parts });
  }

  /** A coach ends a team session, closing the live sessions grouped under it. */
  endTeamSession(opts: { principal: UserPrincipal; teamSessionId: string }): Promise<TeamSessionEndResponse> {
    return endTeamSession({ ...opts, parts: this.#parts });
  }

  /** A coach acknowledges an alert; viewers see the change at once. */
  acknowledgeAlert(opts: { principal: Principal | null; alertId: string }): Promise<Alert> {
    return acknowledgeAlert({ ...opts, parts: this.#parts });
  }

  /** The ingest rule (`ingestableAthletes`) for one athlete, through the permit cache. */
  mayIngestFor(principal: Principal, athleteId: string): Promise<boolean> {
    return this.#parts.permits.mayIngestFor(principal, athleteId);
  }

  /** The athletes of `athleteIds` the principal may not write for (cached; see IngestPermits). */
  forbiddenAthletes(principal: Principal, athleteIds: Iterable<string>): Set<string> | Promise<Set<string>> {
    return this.#parts.permits.forbiddenAthletes(principal, athleteIds);
  }

  /** The athlete's live session fed by this process, if any. */
  openSession(athleteId: string): OpenLiveSession | undefined {
    const s = this.#parts.sessions.current(athleteId);
    return s ? { id: s.id, profile: s.profile } : undefined;
  }

  /** Resolves once the alert engine has stored and pushed what the samples so far raised. */
  settled(): Promise<void> {
    return this.#parts.alerts.settled();
  }

  /**
   * Runs the periodic checks as if the clock read `nowMs`: dropouts (stored and pushed before
   * it answers), then the idle sweep. Answers how many idle sessions it closed. The timers call
   * the same steps each second; tests call this to move time on without waiting.
   */
  async runChecks(nowMs: number): Promise<{ idleClosed: number }> {
    const { alerts, sessions } = this.#parts;
    alerts.tick(nowMs);
    await alerts.settled();
    return { idleClosed: await sessions.sweepIdle(nowMs) };
  }

  /**
   * The alert episodes this process's engine holds open for an athlete: empty where another
   * process feeds the athlete (after a handoff, the new owner continues them).
   */
  openAlerts(athleteId: string): { rule: AlertRule; severity: AlertSeverity; startedAt: number }[] {
    return this.#parts.alerts.engine
      .active(athleteId)
      .map(({ rule, severity, startedAt }) => ({ rule, severity, startedAt }));
  }

  /** Writes every buffered sample now (shutdown drills, tests); the flush timer does it otherwise. */
  flush(): Promise<void> {
    return this.#parts.writer.flush();
  }

  /** Access changed (also called by the access.changed subscription): re-check open sockets. */
  accessChanged(change: AccessChanged): Promise<void> {
    return this.#access.changed(change);
  }

  /** Resolves once every re-check triggered so far has finished. */
  accessRechecked(): Promise<void> {
    return this.#access.settled();
  }

  status(): LiveStatus {
    const { writer, sessions, hub } = this.#parts;
    return {
      bufferedSamples: writer.buffered,
      bufferCapacity: writer.capacity,
      openSessions: sessions.openCount,
      viewers: hub.viewerCount,
    };
  }

  /**
   * Not ready while the write-behind is stuck: its oldest uncommitted sample is older than
   * LIVE_WRITER_STALL_SECONDS, or its last writes all failed. The reason is for `/readyz`.
   */
  readiness(now = Date.now()): LiveReadiness {
    const { writer } = this.#parts;
    const limitS = this.deps.config.LIVE_WRITER_STALL_SECONDS;
    const ageS = writer.oldestAgeMs(now) / 1000;
    const failures = writer.consecutiveFailures;
    const last = writer.lastError;
    const error = last ? `; last error: ${last instanceof Error ? last.message : String(last)}` : '';
    if (ageS > limitS) {
      return {
        ready: false,
        reason: `live samples are not being stored: the oldest of ${writer.buffered} waiting is ${Math.round(ageS)} s old (limit ${limitS} s)${error}`,
      };
    }
    if (failures >= FAILURES_NOT_READY) {
      return { ready: false, reason: `storing live samples failed ${failures} times in a row${error}` };
    }
    return { ready: true };
  }

  // --- Internals ------------------------------------------------------------------------------

  /**
   * Drops cached reads of an athlete (sessions, daily, alerts) after new data. Athletes
   * invalidated in the same synchronous run go in one round trip (a gateway message opens 50
   * sessions at once; 10,000 athletes starting made 10,000 separate SETs).
   */
  #invalidate(athleteId: string): void {
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
  async #reloadProfile(athleteId: string): Promise<void> {
    const { sessions } = this.#parts;
    if (!sessions.current(athleteId)) return;
    const ticket = ++this.#profileReadSeq;
    this.#profileReads.set(athleteId, ticket);
    try {
      const profile = await loadLiveProfile({ deps: this.deps, athleteId });
      if (this.#profileReads.get(athleteId) !== ticket) return;
      const session = sessions.current(athleteId);
      if (session) session.profile = profile;
    } finally {
      if (this.#profileReads.get(athleteId) === ticket) this.#profileReads.delete(athleteId);
    }
  }
}

export function createLiveService(deps: Deps, opts?: LiveServiceOptions): LiveService {
  return new LiveService(deps, opts);
}
