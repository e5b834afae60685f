/**
 * Live alert engine: pure and deterministic (time comes in as arguments), with state per athlete.
 *
 * Rule timing uses sample timestamps (`sample.ts`) so a held condition means held in the data;
 * dropout uses the arrival clock (`nowMs`) because a silent sensor sends no timestamps.
 */

import { DEFAULT_THRESHOLDS, hrHighThresholdBpm, mergeThresholds, type Thresholds } from './thresholds.ts';

/** Every rule the engine raises: the one list contracts and services take theirs from. */
export const ALERT_RULES = ['hr_high', 'hr_low', 'dropout', 'hr_jump'] as const;
export type AlertRule = (typeof ALERT_RULES)[number];
/** Every severity the engine gives (hr_high turns critical above criticalPctMax). */
export const ALERT_SEVERITIES = ['warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export interface AlertEvent {
  type: 'fired' | 'cleared';
  athleteId: string;
  rule: AlertRule;
  severity: AlertSeverity;
  message: string;
  /** The value that crossed (bpm, or seconds of silence for dropout). */
  value: number;
  threshold: number;
  /** epoch ms of this event */
  at: number;
  /** epoch ms when this alert episode fired; identifies the episode for `cleared`. */
  startedAt: number;
}

export interface AthleteAlertState {
  athleteId: string;
  hrMax?: number | null;
  /**
   * Per-athlete overrides (already parsed with {@link parseThresholdOverrides}). Treated as
   * immutable: the engine merges them once per object, so pass a new object to change them.
   */
  thresholds?: Partial<Thresholds> | null;
}

export interface AlertSample {
  /** epoch ms */
  ts: number;
  hr?: number | null;
}

interface Episode {
  startedAt: number;
  severity: AlertSeverity;
  threshold: number;
  value: number;
}

/** Hold-then-fire, clear-after-M-seconds state machine for a threshold rule. */
interface HeldRule {
  pendingSince: number | null;
  pendingPeak: number | null;
  active: Episode | null;
  clearingSince: number | null;
}

interface AthleteEntry {
  thresholds: Thresholds;
  /** The overrides `thresholds` was merged from (re-merged only when another object comes). */
  mergedFrom: Partial<Thresholds> | null | undefined | typeof NOT_MERGED;
  hrMax: number | null;
  lastSeenMs: number | null;
  lastSample: { ts: number; hr: number } | null;
  high: HeldRule;
  low: HeldRule;
  dropout: Episode | null;
  jump: (Episode & { lastJumpTs: number }) | null;
}

const NOT_MERGED: unique symbol = Symbol('not merged');

const newHeld = (): HeldRule => ({
  pendingSince: null,
  pendingPeak: null,
  active: null,
  clearingSince: null,
});

export interface AlertEngine {
  /** Feed one sample for one athlete; `nowMs` is when it arrived. */
  evaluate(athlete: AthleteAlertState, sample: AlertSample, nowMs: number): AlertEvent[];
  /** Time passes: fires dropouts for athletes that went silent. */
  tick(nowMs: number): AlertEvent[];
  /** Stops watching an athlete (session stopped); open alerts are cleared. */
  forget(athleteId: string, nowMs: number): AlertEvent[];
  /** Currently open alerts. */
  active(
    athleteId?: string,
  ): { athleteId: string; rule: AlertRule; severity: AlertSeverity; startedAt: number }[];
  /**
   * Drops an athlete's state without any event: another process took the athlete over and
   * continues its open alerts, so nothing is cleared and no dropout follows.
   */
  release(athleteId: string): void;
  /**
   * Takes over open alert episodes another process started (a handoff), so an ongoing
   * condition is not fired again and its episode clears when the condition ends. A rule that
   * already has an open episode here keeps it. Answers the episodes taken over.
   */
  resume(athlete: AthleteAlertState, episodes: readonly ResumedEpisode[]): ResumedEpisode[];
}

/** An open alert as stored, to continue with {@link AlertEngine.resume}. */
export interface ResumedEpisode {
  rule: AlertRule;
  severity: AlertSeverity;
  /** epoch ms when the episode fired: the `startedAt` of its later `cleared` event. */
  startedAt: number;
  threshold: number;
  value: number;
}

/**
 * The hr_jump rule for one sample: its HR differs from the previous sample's by more than
 * `jumpBpm` within `jumpWindowSeconds`. The engine fires on it; summaries that must not count
 * such a sample (a team session's max HR) ask the same question.
 */
export function isImplausibleJump(
  prev: { ts: number; hr: number },
  sample: { ts: number; hr: number },
  t: Pick<Thresholds, 'jumpBpm' | 'jumpWindowSeconds'>,
): boolean {
  return (
    t.jumpBpm !== null &&
    sample.ts > prev.ts &&
    sample.ts - prev.ts <= t.jumpWindowSeconds * 1000 &&
    Math.abs(sample.hr - prev.hr) > t.jumpBpm
  );
}

/**
 * Max HR of time-ordered samples leaving out those {@link isImplausibleJump} flags (each compared
 * with the sample before it, as the engine sees them); answers how many were left out.
 */
export function maxHrWithoutJumps(
  samples: readonly { ts: number; hr?: number | null }[],
  t: Pick<Thresholds, 'jumpBpm' | 'jumpWindowSeconds'>,
): { maxHr: number | null; excluded: number } {
  let prev: { ts: number; hr: number } | null = null;
  let maxHr: number | null = null;
  let excluded = 0;
  for (const s of samples) {
    const hr = s.hr;
    // The engine skips these samples too (no HR, or not newer than the last one).
    if (hr == null || !Number.isFinite(hr) || hr <= 0) continue;
    if (prev !== null && s.ts <= prev.ts) continue;
    const cur = { ts: s.ts, hr };
    if (prev !== null && isImplausibleJump(prev, cur, t)) excluded++;
    else if (maxHr === null || hr > maxHr) maxHr = hr;
    prev = cur;
  }
  return { maxHr, excluded };
}

const round = (v: number): number => Math.round(v * 10) / 10;

export function createAlertEngine(globalThresholds: Readonly<Thresholds> = DEFAULT_THRESHOLDS): AlertEngine {
  const athletes = new Map<string, AthleteEntry>();

  function entryFor(a: AthleteAlertState): AthleteEntry {
    let e = athletes.get(a.athleteId);
    if (!e) {
      e = {
        thresholds: globalThresholds,
        mergedFrom: NOT_MERGED,
        hrMax: null,
        lastSeenMs: null,
        lastSample: null,
        high: newHeld(),
        low: newHeld(),
        dropout: null,
        jump: null,
      };
      athletes.set(a.athleteId, e);
    }
    // Once per overrides object, not per sample (this runs for every sample of every athlete).
    if (e.mergedFrom !== a.thresholds) {
      e.thresholds = mergeThresholds(globalThresholds, a.thresholds);
      e.mergedFrom = a.thresholds;
    }
    e.hrMax = a.hrMax != null && a.hrMax > 0 ? a.hrMax : null;
    return e;
  }

  function highThreshold(e: AthleteEntry): number | null {
    return hrHighThresholdBpm(e.thresholds, e.hrMax);
  }

  /**
   * Advances a held rule. `beyond` says whether the value is past the threshold, `inside`
   * whether it is back inside by the hysteresis margin.
   */
  function stepHeld(
    rule: HeldRule,
    ts: number,
    hr: number,
    beyond: boolean,
    inside: boolean,
    holdMs: number,
    clearMs: number,
    worse: (a: number, b: number) => number,
  ): 'fire' | 'clear' | null {
    if (rule.active) {
      rule.active.value = worse(rule.active.value, hr);
      if (!inside) {
        rule.clearingSince = null;
        return null;
      }
      rule.clearingSince ??= ts;
      return ts - rule.clearingSince >= clearMs ? 'clear' : null;
    }
    if (!beyond) {
      rule.pendingSince = null;
      rule.pendingPeak = null;
      return null;
    }
    rule.pendingSince ??= ts;
    rule.pendingPeak = rule.pendingPeak === null ? hr : worse(rule.pendingPeak, hr);
    return ts - rule.pendingSince >= holdMs ? 'fire' : null;
  }

  function event(
    type: AlertEvent['type'],
    athleteId: string,
    rule: AlertRule,
    ep: Episode,
    at: number,
    message: string,
  ): AlertEvent {
    return {
      type,
      athleteId,
      rule,
      severity: ep.severity,
      message,
      value: round(ep.value),
      threshold: round(ep.threshold),
      at,
      startedAt: ep.startedAt,
    };
  }

  function clearAll(athleteId: string, e: AthleteEntry, at: number): AlertEvent[] {
    const out: AlertEvent[] = [];
    if (e.high.active)
      out.push(event('cleared', athleteId, 'hr_high', e.high.active, at, 'Heart rate back to normal'));
    if (e.low.active)
      out.push(event('cleared', athleteId, 'hr_low', e.low.active, at, 'Heart rate back to normal'));
    if (e.dropout) out.push(event('cleared', athleteId, 'dropout', e.dropout, at, 'Data resumed'));
    if (e.jump) out.push(event('cleared', athleteId, 'hr_jump', e.jump, at, 'Heart rate signal stable'));
    return out;
  }

  return {
    evaluate(athlete, sample, nowMs) {
      const e = entryFor(athlete);
      const id = athlete.athleteId;
      const t = e.thresholds;
      const out: AlertEvent[] = [];
      if (e.dropout) {
        if (e.lastSeenMs !== null) e.dropout.value = (nowMs - e.lastSeenMs) / 1000;
        out.push(event('cleared', id, 'dropout', e.dropout, nowMs, 'Data resumed'));
        e.dropout = null;
      }
      e.lastSeenMs = Math.max(e.lastSeenMs ?? nowMs, nowMs);

      const hr = sample.hr;
      if (hr == null || !Number.isFinite(hr) || hr <= 0) return out;
      if (e.lastSample !== null && sample.ts <= e.lastSample.ts) return out; // resend or out of order
      const prev = e.lastSample;
      e.lastSample = { ts: sample.ts, hr };

      // hr_jump: an implausible change between consecutive samples.
      if (t.jumpBpm !== null && prev !== null && isImplausibleJump(prev, { ts: sample.ts, hr }, t)) {
        const delta = Math.abs(hr - prev.hr);
        if (e.jump) e.jump.lastJumpTs = sample.ts;
        else {
          e.jump = {
            startedAt: sample.ts,
            severity: 'warning',
            threshold: t.jumpBpm,
            value: delta,
            lastJumpTs: sample.ts,
          };
          out.push(
            event(
              'fired',
              id,
              'hr_jump',
              e.jump,
              sample.ts,
              `Implausible heart-rate jump of ${Math.round(delta)} bpm`,
            ),
          );
        }
      }
      if (e.jump && sample.ts - e.jump.lastJumpTs >= t.clearSeconds * 1000 && sample.ts > e.jump.lastJumpTs) {
        out.push(event('cleared', id, 'hr_jump', e.jump, sample.ts, 'Heart rate signal stable'));
        e.jump = null;
      }

      // hr_high
      const high = highThreshold(e);
      if (high !== null) {
        const r = stepHeld(
          e.high,
          sample.ts,
          hr,
          hr > high,
          hr < high - t.hysteresisBpm,
          t.hrAboveSeconds * 1000,
          t.clearSeconds * 1000,
          Math.max,
        );
        const critical = e.hrMax !== null ? t.criticalPctMax * e.hrMax : null;
        if (r === 'fire') {
          const peak = e.high.pendingPeak ?? hr;
          e.high.active = {
            startedAt: sample.ts,
            severity: critical !== null && peak > critical ? 'critical' : 'warning',
            threshold: high,
            value: peak,
          };
          e.high.pendingSince = null;
          e.high.pendingPeak = null;
          const pct = e.hrMax !== null ? ` (${Math.round((peak / e.hrMax) * 100)}% of max)` : '';
          out.push(
            event(
              'fired',
              id,
              'hr_high',
              e.high.active,
              sample.ts,
              `Heart rate ${Math.round(peak)} bpm${pct} above ${Math.round(high)} bpm for ${t.hrAboveSeconds} s`,
            ),
          );
        } else if (r === 'clear' && e.high.active) {
          out.push(
            event('cleared', id, 'hr_high', e.high.active, sample.ts, 'Heart rate back below threshold'),
          );
          e.high.active = null;
          e.high.clearingSince = null;
        }
      }

      // hr_low
      if (t.hrBelowBpm !== null) {
        const floor = t.hrBelowBpm;
        const r = stepHeld(
          e.low,
          sample.ts,
          hr,
          hr < floor,
          hr > floor + t.hysteresisBpm,
          t.hrBelowSeconds * 1000,
          t.clearSeconds * 1000,
          Math.min,
        );
        if (r === 'fire') {
          const low = e.low.pendingPeak ?? hr;
          e.low.active = {
            startedAt: sample.ts,
            severity: low < floor * 0.75 ? 'critical' : 'warning',
            threshold: floor,
            value: low,
          };
          e.low.pendingSince = null;
          e.low.pendingPeak = null;
          out.push(
            event(
              'fired',
              id,
              'hr_low',
              e.low.active,
              sample.ts,
              `Heart rate ${Math.round(low)} bpm below ${floor} bpm for ${t.hrBelowSeconds} s`,
            ),
          );
        } else if (r === 'clear' && e.low.active) {
          out.push(event('cleared', id, 'hr_low', e.low.active, sample.ts, 'Heart rate back above floor'));
          e.low.active = null;
          e.low.clearingSince = null;
        }
      }
      return out;
    },

    tick(nowMs) {
      const out: AlertEvent[] = [];
      for (const [id, e] of athletes) {
        const limit = e.thresholds.dropoutSeconds;
        if (limit === null || e.dropout || e.lastSeenMs === null) continue;
        const silentS = (nowMs - e.lastSeenMs) / 1000;
        if (silentS > limit) {
          e.dropout = {
            startedAt: nowMs,
            severity: silentS > limit * 4 ? 'critical' : 'warning',
            threshold: limit,
            value: silentS,
          };
          out.push(event('fired', id, 'dropout', e.dropout, nowMs, `No data for ${Math.round(silentS)} s`));
        }
      }
      return out;
    },

    forget(athleteId, nowMs) {
      const e = athletes.get(athleteId);
      if (!e) return [];
      athletes.delete(athleteId);
      return clearAll(athleteId, e, nowMs);
    },

    release(athleteId) {
      athletes.delete(athleteId);
    },

    resume(athlete, episodes) {
      const e = entryFor(athlete);
      const taken: ResumedEpisode[] = [];
      for (const ep of episodes) {
        const episode: Episode = {
          startedAt: ep.startedAt,
          severity: ep.severity,
          threshold: ep.threshold,
          value: ep.value,
        };
        if (ep.rule === 'hr_high' || ep.rule === 'hr_low') {
          const held = ep.rule === 'hr_high' ? e.high : e.low;
          if (held.active) continue;
          held.active = episode;
          held.pendingSince = null;
          held.pendingPeak = null;
          held.clearingSince = null;
        } else if (ep.rule === 'dropout') {
          if (e.dropout) continue;
          e.dropout = episode;
        } else {
          if (e.jump) continue;
          // The last jump is not stored: count from the start, so a stable signal clears it soon.
          e.jump = { ...episode, lastJumpTs: ep.startedAt };
        }
        taken.push(ep);
      }
      return taken;
    },

    active(athleteId) {
      const out: ReturnType<AlertEngine['active']> = [];
      for (const [id, e] of athletes) {
        if (athleteId !== undefined && id !== athleteId) continue;
        const push = (rule: AlertRule, ep: Episode | null): void => {
          if (ep) out.push({ athleteId: id, rule, severity: ep.severity, startedAt: ep.startedAt });
        };
        push('hr_high', e.high.active);
        push('hr_low', e.low.active);
        push('dropout', e.dropout);
        push('hr_jump', e.jump);
      }
      return out;
    },
  };
}
