/**
 * Readiness-gated thresholds: on a morning when the recommendation asks for caution, the day's
 * live hr_high threshold is suggested lower. The coach confirms; nothing changes by itself.
 */
import type { Recommendation, RecommendationReason } from './recommendation.ts';
import { hrHighThresholdBpm, type Thresholds } from './thresholds.ts';

/**
 * Share of HR max taken off the day's hr_high threshold, by recommendation. In one place so
 * docs/ANALYTICS.md and the tests name the same numbers. Other recommendations: no suggestion.
 */
export const READINESS_THRESHOLD_RULE = {
  keep_it_easy: 0.03,
  rest: 0.05,
} as const satisfies Partial<Record<Recommendation, number>>;

/** A suggested threshold never goes below this (bpm): the lowest hrAboveBpm an override accepts. */
export const READINESS_THRESHOLD_FLOOR_BPM = 100;

export interface ReadinessThresholdSuggestion {
  recommendation: keyof typeof READINESS_THRESHOLD_RULE;
  /** The hr_high threshold in force today without the suggestion (bpm). */
  currentBpm: number;
  suggestedBpm: number;
  /** Share of HR max taken off. */
  dropPctMax: number;
  hrMax: number;
  /** Why: the cautious reasons of the day's recommendation. */
  reason: string;
  /** The arithmetic, with its inputs, as shown to the coach. */
  formula: string;
}

/**
 * suggested = round(current − drop × HR max), at least {@link READINESS_THRESHOLD_FLOOR_BPM}, where
 * current is the hr_high threshold the engine would use (lower of % HR max and bpm) and drop is
 * READINESS_THRESHOLD_RULE[recommendation]. Null when the day is not cautious, hr_high is off,
 * or the result would not be lower than today's threshold.
 */
export function suggestReadinessThreshold(input: {
  recommendation: Recommendation;
  reasons: readonly RecommendationReason[];
  thresholds: Readonly<Thresholds>;
  hrMax: number;
}): ReadinessThresholdSuggestion | null {
  const { recommendation, hrMax } = input;
  if (recommendation !== 'keep_it_easy' && recommendation !== 'rest') return null;
  const current = hrHighThresholdBpm(input.thresholds, hrMax);
  if (current === null || !(hrMax > 0)) return null;
  const drop = READINESS_THRESHOLD_RULE[recommendation];
  const suggested = Math.max(READINESS_THRESHOLD_FLOOR_BPM, Math.round(current - drop * hrMax));
  if (suggested >= Math.round(current)) return null;
  const cautious = input.reasons.filter((r) => r.effect === 'rest' || r.effect === 'keep_it_easy');
  const label = recommendation === 'rest' ? 'rest' : 'keep it easy';
  const why = cautious.map((r) => r.text).join('; ');
  const pct = Math.round(drop * 100);
  const currentText = `${Math.round(current)} bpm`;
  return {
    recommendation,
    currentBpm: Math.round(current),
    suggestedBpm: suggested,
    dropPctMax: drop,
    hrMax,
    reason: `Readiness today says ${label}${why ? `: ${why}` : ''}`,
    formula:
      `${currentText} − ${pct} % × HR max ${hrMax} bpm = ${Math.round(current - drop * hrMax)} bpm` +
      (suggested !== Math.round(current - drop * hrMax)
        ? ` (raised to the ${READINESS_THRESHOLD_FLOOR_BPM} bpm floor)`
        : ''),
  };
}
