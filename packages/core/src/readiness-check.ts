/** A resting HRV check from RR intervals: cleaned, measured, and judged fit to use or not. */
import { filterRr, rmssd } from './hrv.ts';

export const READINESS_MIN_DURATION_S = 120;
export const READINESS_MAX_DURATION_S = 600;
/** Above this share of removed intervals the reading is refused (Task Force 1996 advises < 5 %). */
export const READINESS_MAX_ARTEFACT_RATE = 0.1;
export const READINESS_GOOD_ARTEFACT_RATE = 0.05;

export type ReadinessQuality = 'good' | 'acceptable' | 'rejected';

export interface ReadinessCheckResult {
  /** Sum of every RR interval given, in seconds. */
  durationS: number;
  beats: number;
  artefacts: number;
  /** artefacts / beats */
  artefactRate: number;
  rmssdMs: number | null;
  lnRmssd: number | null;
  /** 60 000 / mean clean RR. */
  restingHr: number | null;
  quality: ReadinessQuality;
  /** Why the reading was refused (null when accepted). */
  reason: string | null;
}

/** Measures a readiness check: artefact filter (core filterRr), RMSSD, ln RMSSD, resting HR. */
export function evaluateReadinessCheck(rr: readonly number[]): ReadinessCheckResult {
  const filtered = filterRr(rr);
  const beats = rr.length;
  const durationS = rr.reduce((a, v) => a + (Number.isFinite(v) && v > 0 ? v : 0), 0) / 1000;
  const artefactRate = beats > 0 ? filtered.dropped / beats : 1;
  const value = rmssd(rr);
  const meanRr = filtered.clean.length
    ? filtered.clean.reduce((a, b) => a + b, 0) / filtered.clean.length
    : null;
  const base = {
    durationS,
    beats,
    artefacts: filtered.dropped,
    artefactRate,
    rmssdMs: value,
    lnRmssd: value !== null && value > 0 ? Math.log(value) : null,
    restingHr: meanRr === null ? null : 60_000 / meanRr,
  };
  const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
  let reason: string | null = null;
  if (durationS < READINESS_MIN_DURATION_S)
    reason = `too short: ${Math.round(durationS)} s of RR, at least ${READINESS_MIN_DURATION_S} s are needed`;
  else if (durationS > READINESS_MAX_DURATION_S + 60)
    reason = `too long: ${Math.round(durationS)} s of RR, a check lasts 2–5 minutes (at most ${READINESS_MAX_DURATION_S} s)`;
  else if (artefactRate > READINESS_MAX_ARTEFACT_RATE)
    reason = `too many artefacts: ${pct(artefactRate)} of intervals removed, at most ${pct(READINESS_MAX_ARTEFACT_RATE)} allowed (sit still, wet the strap)`;
  else if (base.lnRmssd === null) reason = 'not enough clean successive intervals to compute RMSSD';
  const quality: ReadinessQuality =
    reason !== null ? 'rejected' : artefactRate <= READINESS_GOOD_ARTEFACT_RATE ? 'good' : 'acceptable';
  return { ...base, quality, reason };
}
