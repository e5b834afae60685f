import {
  ALERT_RULES,
  type AlertEngine,
  type AlertEvent,
  type AlertRule,
  type AlertSample,
  type AlertSeverity,
  createAlertEngine,
  parseThresholds,
  type ResumedEpisode,
} from '@athlete/core';
import type { Deps } from '../deps.ts';
import { counter } from '../metrics.ts';
import { toAlertOut } from '../sessions/serialize.ts';
import type { LiveHub } from './hub.ts';
import { type LiveProfile, thresholdsAt } from './profile.ts';

export interface LiveAlertsOptions {
  deps: Pick<Deps, 'db' | 'log' | 'config' | 'metrics'>;
  hub: LiveHub<unknown>;
  /** Called after an alert row changed (cache invalidation). */
  onChange?(athleteId: string): void;
}

const episodeKey = (e: Pick<AlertEvent, 'athleteId' | 'rule' | 'startedAt'>) =>
  `${e.athleteId}|${e.rule}|${e.startedAt}`;

/**
 * Runs core's alert engine on the ingest path (and a periodic tick for dropouts), stores each
 * fired alert as an Alert row, marks it cleared when the condition ends, and pushes both to
 * the athlete's live viewers. Thresholds: THRESHOLDS (global) ← the profile's override ← the
 * coach-confirmed override of the sample's day (readiness-gated).
 */
export class LiveAlerts {
  readonly engine: AlertEngine;
  readonly #opts: LiveAlertsOptions;
  /**
   * Fired episodes → their stored alert id (resolves once the row exists). Set when the fire is
   * queued, so a release before the row is written leaves nothing behind.
   */
  readonly #stored = new Map<string, Promise<string | null>>();
  /** Per-athlete chain so a clear is written after its fire. */
  readonly #chains = new Map<string, Promise<void>>();
  readonly #sessionOf = new Map<string, string | null>();

  readonly #fired: ReturnType<typeof counter<'rule' | 'severity'>>;

  constructor(opts: LiveAlertsOptions) {
    this.#opts = opts;
    this.#fired = counter(opts.deps.metrics, 'ap_alerts_fired_total', 'Alerts raised by the alert engine', [
      'rule',
      'severity',
    ]);
    this.engine = createAlertEngine(parseThresholds(opts.deps.config.THRESHOLDS));
  }

  /** Evaluates one athlete's new samples (time order) arriving at `nowMs`. */
  evaluate(
    athlete: { athleteId: string; sessionId: string | null; profile: LiveProfile },
    samples: AlertSample[],
    nowMs: number,
  ): void {
    this.#sessionOf.set(athlete.athleteId, athlete.sessionId);
    const { profile } = athlete;
    const events: AlertEvent[] = [];
    for (const s of samples)
      events.push(
        ...this.engine.evaluate(
          // A sample uses its own UTC day's confirmed override (readiness-gated), if any.
          { athleteId: athlete.athleteId, hrMax: profile.hrMax, thresholds: thresholdsAt(profile, s.ts) },
          s,
          nowMs,
        ),
      );
    if (events.length > 0) this.#handle(events);
  }

  /** Time passes: dropouts for athletes that went silent. */
  tick(nowMs: number): void {
    const events = this.engine.tick(nowMs);
    if (events.length > 0) this.#handle(events);
  }

  /**
   * Another process took the athlete over (handoff): stop watching without clearing anything or
   * firing a dropout; the stored open alerts are the new owner's to continue.
   */
  release(athleteId: string): void {
    this.engine.release(athleteId);
    this.#sessionOf.delete(athleteId);
    const prefix = `${athleteId}|`;
    for (const key of this.#stored.keys()) if (key.startsWith(prefix)) this.#stored.delete(key);
  }

  /**
   * This process took over athletes' open sessions (from another process, or from before a
   * restart): their uncleared alerts of those sessions become the engine's open episodes, so an
   * ongoing condition does not fire a second row and its row is cleared when it ends.
   */
  async resume(
    athletes: readonly { athleteId: string; sessionId: string; profile: LiveProfile }[],
  ): Promise<void> {
    if (athletes.length === 0) return;
    const rows = await this.#opts.deps.db.query<OpenAlertRow>(
      `SELECT DISTINCT ON (session_id, rule) id, athlete_id AS "athleteId", session_id AS "sessionId",
              rule, severity::text AS severity, value, threshold, started_at AS "startedAt"
         FROM alerts
        WHERE session_id = ANY($1::uuid[]) AND cleared_at IS NULL AND rule = ANY($2::text[])
        ORDER BY session_id, rule, started_at DESC`,
      [athletes.map((a) => a.sessionId), [...ALERT_RULES]],
    );
    const bySession = new Map<string, OpenAlertRow[]>();
    for (const row of rows) {
      const list = bySession.get(row.sessionId);
      if (list) list.push(row);
      else bySession.set(row.sessionId, [row]);
    }
    for (const a of athletes) {
      const open = bySession.get(a.sessionId);
      if (!open) continue;
      this.#sessionOf.set(a.athleteId, a.sessionId);
      const episodes: ResumedEpisode[] = open.map((row) => ({
        rule: row.rule,
        severity: row.severity,
        startedAt: row.startedAt.getTime(),
        threshold: row.threshold ?? 0,
        value: row.value ?? row.threshold ?? 0,
      }));
      const taken = this.engine.resume(
        { athleteId: a.athleteId, hrMax: a.profile.hrMax, thresholds: thresholdsAt(a.profile, Date.now()) },
        episodes,
      );
      for (const ep of taken) {
        const row = open.find((r) => r.rule === ep.rule)!;
        this.#stored.set(episodeKey({ athleteId: a.athleteId, ...ep }), Promise.resolve(row.id));
      }
    }
  }

  /** The athlete's session ended: open alerts are cleared and the athlete is no longer watched. */
  forget(athleteId: string, nowMs: number): Promise<void> {
    const events = this.engine.forget(athleteId, nowMs);
    if (events.length > 0) this.#handle(events);
    this.#sessionOf.delete(athleteId);
    return this.#chains.get(athleteId) ?? Promise.resolve();
  }

  /** Resolves when every alert write queued so far has finished (tests, shutdown). */
  async settled(): Promise<void> {
    while (true) {
      const pending = [...this.#chains.values()];
      await Promise.allSettled(pending);
      if ([...this.#chains.values()].every((p) => pending.includes(p))) return;
    }
  }

  #handle(events: AlertEvent[]): void {
    for (const ev of events) {
      const prev = this.#chains.get(ev.athleteId) ?? Promise.resolve();
      const fired = ev.type === 'fired' ? this.#expectRow(ev) : null;
      const next = prev
        .then(() => this.#apply(ev, fired))
        .catch((err) => {
          fired?.settle(null);
          this.#opts.deps.log.error(
            { err, rule: ev.rule, athleteId: ev.athleteId },
            'live: could not store alert',
          );
        });
      this.#chains.set(ev.athleteId, next);
      void next.then(() => {
        if (this.#chains.get(ev.athleteId) === next) this.#chains.delete(ev.athleteId);
      });
    }
  }

  /**
   * Registers a fired episode's row-to-be (its id settles once written), with the session it
   * belongs to as of now: by the time the write runs the athlete may have been released.
   */
  #expectRow(ev: AlertEvent): { sessionId: string | null; settle(id: string | null): void } {
    let settle!: (id: string | null) => void;
    this.#stored.set(
      episodeKey(ev),
      new Promise<string | null>((resolve) => {
        settle = resolve;
      }),
    );
    return { sessionId: this.#sessionOf.get(ev.athleteId) ?? null, settle };
  }

  async #apply(
    ev: AlertEvent,
    fired: { sessionId: string | null; settle(id: string | null): void } | null,
  ): Promise<void> {
    const { db } = this.#opts.deps;
    const key = episodeKey(ev);
    if (fired) {
      this.#fired.inc({ rule: ev.rule, severity: ev.severity });
      const row = await withRetry(() =>
        db.prisma.alert.create({
          data: {
            athleteId: ev.athleteId,
            sessionId: fired.sessionId,
            rule: ev.rule,
            severity: ev.severity,
            message: ev.message,
            value: ev.value,
            threshold: ev.threshold,
            startedAt: new Date(ev.startedAt),
          },
        }),
      );
      fired.settle(row.id);
      this.#opts.onChange?.(ev.athleteId);
      this.#opts.hub.publishEvent(ev.athleteId, { type: 'alert', alert: toAlertOut(row) });
      return;
    }
    const id = await this.#stored.get(key);
    this.#stored.delete(key);
    if (!id) return;
    const row = await withRetry(() =>
      db.prisma.alert.update({ where: { id }, data: { clearedAt: new Date(ev.at), value: ev.value } }),
    );
    this.#opts.onChange?.(ev.athleteId);
    this.#opts.hub.publishEvent(ev.athleteId, { type: 'alert', alert: toAlertOut(row) });
  }
}

interface OpenAlertRow {
  id: string;
  athleteId: string;
  sessionId: string;
  rule: AlertRule;
  severity: AlertSeverity;
  value: number | null;
  threshold: number | null;
  startedAt: Date;
}

/** Alerts are rare and worth keeping: retry a few times over ~15 s while the database recovers. */
async function withRetry<T>(fn: () => Promise<T>, attempts = 6): Promise<T> {
  let delay = 250;
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 5_000);
    }
  }
}
