import {
  type AlertEngine,
  type AlertEvent,
  type AlertSample,
  createAlertEngine,
  parseThresholds,
} from '@athlete/core';
import type { Deps } from '../deps.ts';
import { counter } from '../metrics.ts';
import { toAlertOut } from '../sessions/serialize.ts';
import type { LiveHub } from './hub.ts';
import type { LiveProfile } from './profile.ts';

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
 * the athlete's live viewers. Thresholds: THRESHOLDS (global) ← the profile's override.
 */
export class LiveAlerts {
  readonly engine: AlertEngine;
  readonly #opts: LiveAlertsOptions;
  /** Fired episodes → their stored alert id (resolves once the row exists). */
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
    const state = {
      athleteId: athlete.athleteId,
      hrMax: athlete.profile.hrMax,
      thresholds: athlete.profile.thresholds,
    };
    const events: AlertEvent[] = [];
    for (const s of samples) events.push(...this.engine.evaluate(state, s, nowMs));
    if (events.length > 0) this.#handle(events);
  }

  /** Time passes: dropouts for athletes that went silent. */
  tick(nowMs: number): void {
    const events = this.engine.tick(nowMs);
    if (events.length > 0) this.#handle(events);
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
      const next = prev
        .then(() => this.#apply(ev))
        .catch((err) => {
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

  async #apply(ev: AlertEvent): Promise<void> {
    const { db } = this.#opts.deps;
    const key = episodeKey(ev);
    if (ev.type === 'fired') {
      this.#fired.inc({ rule: ev.rule, severity: ev.severity });
      const created = withRetry(() =>
        db.prisma.alert.create({
          data: {
            athleteId: ev.athleteId,
            sessionId: this.#sessionOf.get(ev.athleteId) ?? null,
            rule: ev.rule,
            severity: ev.severity,
            message: ev.message,
            value: ev.value,
            threshold: ev.threshold,
            startedAt: new Date(ev.startedAt),
          },
        }),
      );
      this.#stored.set(
        key,
        created.then(
          (a) => a.id,
          () => null,
        ),
      );
      const row = await created;
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
