import type { AthleteLiveState, LiveSample } from '@athlete/contracts';
import { haversineDistance } from '@athlete/core';
import type { Alert } from '../api/types.ts';

/** A sample for the store: a live frame's, or the recorder's own with only what it measured. */
export type StoreSample = Pick<LiveSample, 'athleteId' | 'ts'> &
  Partial<Omit<LiveSample, 'athleteId' | 'ts'>>;

import { RingBuffer } from '../lib/ring-buffer.ts';
import type { LiveEvent } from './messages.ts';

export interface SeriesPoint {
  t: number;
  hr: number | null;
  speed: number | null;
}

export interface AthleteLive {
  athleteId: string;
  /** From the hub's snapshot, when it names the athlete. */
  name: string | null;
  /** Bumped on every change; tiles compare it to skip work. */
  version: number;
  lastTs: number | null;
  /** Arrival time on this client (signal state is about arrival, not sensor clocks). */
  lastSeenAt: number | null;
  hr: number | null;
  speed: number | null;
  distance: number | null;
  lat: number | null;
  lon: number | null;
  sessionId: string | null;
  sessionStartedAt: number | null;
  /** True once the start comes from the server's session record (not the first sample seen). */
  sessionStartKnown: boolean;
  sessionEndedAt: number | null;
  /** Session whose stored history was merged in (backfill runs once per session). */
  backfilledSessionId: string | null;
  series: RingBuffer<SeriesPoint>;
  track: RingBuffer<[number, number]>;
  openAlerts: number;
}

export type SignalState = 'live' | 'weak' | 'lost' | 'idle';

/** live: a sample within 5 s; weak: within 15 s; lost: an open session gone quiet; idle: no session. */
export function signalState(
  a: Pick<AthleteLive, 'lastSeenAt' | 'sessionEndedAt'> | undefined,
  now: number,
): SignalState {
  if (!a || a.lastSeenAt === null || a.sessionEndedAt !== null) return 'idle';
  const age = now - a.lastSeenAt;
  if (age <= 5000) return 'live';
  if (age <= 15_000) return 'weak';
  return 'lost';
}

export interface LiveStoreOptions {
  /** Seconds of HR/speed history kept per athlete for the charts. */
  seriesSeconds?: number;
  trackPoints?: number;
  /** Coalesces notifications (default: next animation frame). */
  schedule?: (fn: () => void) => void;
  now?: () => number;
}

type Listener = () => void;

/**
 * Live state of every athlete the page watches, fed by /ws/live. React subscribes per athlete,
 * and notifications are coalesced per frame: 50 athletes at 1 Hz cost one render pass per frame
 * at most, touching only the tiles whose athlete changed.
 */
export class LiveStore {
  private readonly athletes = new Map<string, AthleteLive>();
  private readonly alerts = new Map<string, Alert>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly anyListeners = new Set<Listener>();
  private readonly newAlertListeners = new Set<(a: Alert) => void>();
  private readonly dirty = new Set<string>();
  private scheduled = false;
  /** Who the socket's last snapshot named (null before one came): everyone else is dropped. */
  private watched: Set<string> | null = null;
  /** Bumped when the watched set changes (the page re-renders its tiles then, not per sample). */
  watchedVersion = 0;
  private readonly seriesSeconds: number;
  private readonly trackPoints: number;
  private readonly schedule: (fn: () => void) => void;
  private readonly now: () => number;
  /** Bumped on any change; the alert feed and sorting read it. */
  version = 0;

  constructor(opts: LiveStoreOptions = {}) {
    this.seriesSeconds = opts.seriesSeconds ?? 600;
    this.trackPoints = opts.trackPoints ?? 3600;
    this.schedule =
      opts.schedule ??
      ((fn) =>
        typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => fn()) : setTimeout(fn, 16));
    this.now = opts.now ?? Date.now;
  }

  get(athleteId: string): AthleteLive | undefined {
    return this.athletes.get(athleteId);
  }

  all(): AthleteLive[] {
    return [...this.athletes.values()];
  }

  /** Whether the live view shows this athlete: true/false once a snapshot said, else null. */
  watches(athleteId: string): boolean | null {
    return this.watched ? this.watched.has(athleteId) : null;
  }

  /** The athletes the last snapshot named, or null before the first. */
  watchedIds(): ReadonlySet<string> | null {
    return this.watched;
  }

  private ignores(athleteId: string): boolean {
    return this.watched !== null && !this.watched.has(athleteId);
  }

  alertList(): Alert[] {
    return [...this.alerts.values()].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
  }

  private entry(athleteId: string): AthleteLive {
    let a = this.athletes.get(athleteId);
    if (!a) {
      a = {
        athleteId,
        name: null,
        version: 0,
        lastTs: null,
        lastSeenAt: null,
        hr: null,
        speed: null,
        distance: null,
        lat: null,
        lon: null,
        sessionId: null,
        sessionStartedAt: null,
        sessionStartKnown: false,
        sessionEndedAt: null,
        backfilledSessionId: null,
        series: new RingBuffer<SeriesPoint>(this.seriesSeconds + 60),
        track: new RingBuffer<[number, number]>(this.trackPoints),
        openAlerts: 0,
      };
      this.athletes.set(athleteId, a);
    }
    return a;
  }

  private touch(a: AthleteLive): void {
    a.version++;
    this.version++;
    this.dirty.add(a.athleteId);
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(() => this.flush());
    }
  }

  private flush(): void {
    this.scheduled = false;
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) for (const fn of this.listeners.get(id) ?? []) fn();
    for (const fn of this.anyListeners) fn();
  }

  /** Seeds alerts loaded over REST (the socket only brings new ones). */
  setAlerts(list: readonly Alert[]): void {
    for (const a of list) if (!this.ignores(a.athleteId)) this.putAlert(a);
    this.recountAlerts();
  }

  /**
   * Acknowledged and cleared only ever go from unset to set, so a copy older than what is
   * known (a REST list that was in flight while another coach's acknowledgement arrived on
   * the socket) never takes them back.
   */
  private putAlert(a: Alert): void {
    const known = this.alerts.get(a.id);
    this.alerts.set(a.id, {
      ...known,
      ...a,
      acknowledgedAt: a.acknowledgedAt ?? known?.acknowledgedAt ?? null,
      acknowledgedBy: a.acknowledgedBy ?? known?.acknowledgedBy ?? null,
      clearedAt: a.clearedAt ?? known?.clearedAt ?? null,
    });
  }

  private recountAlerts(): void {
    const counts = new Map<string, number>();
    for (const a of this.alerts.values())
      if (!a.acknowledgedAt) counts.set(a.athleteId, (counts.get(a.athleteId) ?? 0) + 1);
    for (const a of this.athletes.values()) {
      const n = counts.get(a.athleteId) ?? 0;
      if (n !== a.openAlerts) {
        a.openAlerts = n;
        this.touch(a);
      }
    }
    for (const [id, n] of counts) {
      if (!this.athletes.has(id)) {
        const a = this.entry(id);
        a.openAlerts = n;
        this.touch(a);
      }
    }
    this.version++;
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(() => this.flush());
    }
  }

  apply(event: LiveEvent): void {
    switch (event.kind) {
      case 'samples':
        for (const s of event.samples) this.addSample(s);
        break;
      case 'alert': {
        if (this.ignores(event.alert.athleteId)) break;
        // New alerts, clearing, and acknowledgements by any coach (this one included).
        const isNew =
          !this.alerts.has(event.alert.id) && !event.alert.clearedAt && !event.alert.acknowledgedAt;
        this.putAlert(event.alert);
        this.recountAlerts();
        if (isNew) for (const fn of this.newAlertListeners) fn(event.alert);
        break;
      }
      case 'snapshot':
        this.applySnapshot(event.athletes);
        break;
      case 'session': {
        if (this.ignores(event.athleteId)) break;
        const a = this.entry(event.athleteId);
        if (event.state === 'started') {
          if (a.sessionId !== event.sessionId) this.resetSession(a);
          a.sessionId = event.sessionId;
          a.sessionStartedAt = event.at;
          a.sessionEndedAt = null;
        } else if (!event.sessionId || event.sessionId === a.sessionId) {
          a.sessionEndedAt = event.at;
          if (event.summary) a.distance = event.summary.distanceM;
        }
        this.touch(a);
        break;
      }
      default:
        break;
    }
  }

  /**
   * The hub's state on subscribe, and again when who the view may show changes: open sessions,
   * latest samples and open alerts. An athlete it leaves out (consent withdrawn) is dropped.
   */
  private applySnapshot(athletes: readonly AthleteLiveState[]): void {
    const next = new Set(athletes.map((s) => s.athleteId));
    if (!this.watched || next.size !== this.watched.size || [...next].some((id) => !this.watched!.has(id)))
      this.watchedVersion++;
    this.watched = next;
    for (const a of [...this.athletes.values()]) {
      if (this.watched.has(a.athleteId)) continue;
      this.athletes.delete(a.athleteId);
      a.version++;
      this.touch(a);
    }
    for (const [id, alert] of this.alerts) if (!this.watched.has(alert.athleteId)) this.alerts.delete(id);
    const alerts: Alert[] = [];
    for (const s of athletes) {
      const a = this.entry(s.athleteId);
      if (s.name) a.name = s.name;
      if (s.sessionId) {
        if (a.sessionId !== s.sessionId) this.resetSession(a);
        a.sessionId = s.sessionId;
        a.sessionEndedAt = null;
        if (s.summary?.startTs != null) a.sessionStartedAt = s.summary.startTs;
        if (s.summary) a.distance = s.summary.distanceM;
      }
      if (s.latest && s.sessionId) this.addSample({ ...s.latest, sessionId: s.sessionId });
      else this.touch(a);
      alerts.push(...s.alerts);
    }
    this.setAlerts(alerts);
  }

  private resetSession(a: AthleteLive): void {
    a.series.clear();
    a.track.clear();
    a.distance = null;
    a.sessionStartedAt = null;
    a.sessionStartKnown = false;
    a.backfilledSessionId = null;
  }

  /** The session's real start, from the server (the socket only shows samples from now on). */
  setSessionStart(athleteId: string, sessionId: string, startedAt: number): void {
    const a = this.athletes.get(athleteId);
    if (!a || a.sessionId !== sessionId) return;
    a.sessionStartedAt = startedAt;
    a.sessionStartKnown = true;
    this.touch(a);
  }

  /** Merges stored samples of the current session in front of what the socket delivered. */
  backfill(athleteId: string, sessionId: string, samples: readonly Omit<StoreSample, 'athleteId'>[]): void {
    const a = this.athletes.get(athleteId);
    if (!a || a.sessionId !== sessionId || a.backfilledSessionId === sessionId) return;
    a.backfilledSessionId = sessionId;
    const firstLive = a.series.at(0)?.t ?? Number.POSITIVE_INFINITY;
    const older = samples.filter((s) => s.ts < firstLive).sort((x, y) => x.ts - y.ts);
    if (older.length === 0) return;
    const series = [
      ...older.map((s) => ({ t: s.ts, hr: s.hr ?? null, speed: s.speed ?? null })),
      ...a.series.toArray(),
    ];
    const cutoff = (series[series.length - 1]?.t ?? 0) - this.seriesSeconds * 1000;
    a.series.clear();
    for (const p of series) if (p.t >= cutoff) a.series.push(p);
    const track = [
      ...older.filter((s) => s.lat != null && s.lon != null).map((s) => [s.lat!, s.lon!] as [number, number]),
      ...a.track.toArray(),
    ];
    a.track.clear();
    for (const p of track) a.track.push(p);
    if (a.distance == null) a.distance = older[older.length - 1]!.distance ?? null;
    if (!a.sessionStartKnown) a.sessionStartedAt = Math.min(a.sessionStartedAt ?? older[0]!.ts, older[0]!.ts);
    this.touch(a);
  }

  addSample(s: StoreSample): void {
    if (this.ignores(s.athleteId)) return;
    const a = this.entry(s.athleteId);
    if (a.lastTs !== null && s.ts <= a.lastTs) return; // late or duplicate
    if (s.sessionId && a.sessionId && s.sessionId !== a.sessionId) this.resetSession(a);
    if (s.sessionId) a.sessionId = s.sessionId;
    if (a.sessionStartedAt === null) a.sessionStartedAt = s.ts;
    a.sessionEndedAt = null;
    if (s.lat != null && s.lon != null) {
      const prev = a.track.last();
      if (s.distance == null && prev) {
        a.distance =
          (a.distance ?? 0) + haversineDistance({ lat: prev[0], lon: prev[1] }, { lat: s.lat, lon: s.lon });
      }
      a.track.push([s.lat, s.lon]);
      a.lat = s.lat;
      a.lon = s.lon;
    }
    if (s.distance != null) a.distance = s.distance;
    a.hr = s.hr ?? null;
    a.speed = s.speed ?? a.speed;
    a.lastTs = s.ts;
    a.lastSeenAt = this.now();
    a.series.push({ t: s.ts, hr: s.hr ?? null, speed: s.speed ?? null });
    const cutoff = s.ts - this.seriesSeconds * 1000;
    a.series.dropWhile((p) => p.t < cutoff);
    this.touch(a);
  }

  subscribe(athleteId: string, fn: Listener): () => void {
    let set = this.listeners.get(athleteId);
    if (!set) {
      set = new Set();
      this.listeners.set(athleteId, set);
    }
    set.add(fn);
    return () => set.delete(fn);
  }

  /**
   * Called once per alert that fires while the page watches: not for those in the snapshot or
   * the REST list, nor for clearing and acknowledgements.
   */
  onNewAlert(fn: (a: Alert) => void): () => void {
    this.newAlertListeners.add(fn);
    return () => this.newAlertListeners.delete(fn);
  }

  subscribeAll(fn: Listener): () => void {
    this.anyListeners.add(fn);
    return () => this.anyListeners.delete(fn);
  }
}
