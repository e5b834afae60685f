/** The recommendation of the day: an explainable rules engine over readiness and load. */
import { type AcwrBand, acwrBand } from './acwr.ts';
import type { BaselineVerdict } from './baselines.ts';

export type Recommendation = 'push' | 'train_as_planned' | 'keep_it_easy' | 'rest';

/** Each rule's thresholds, in one place so docs/ANALYTICS.md and the tests name the same numbers. */
export const RECOMMENDATION_RULES = {
  /** TSB below this: deep fatigue (intervals.icu's "high risk" zone). */
  tsbHighRisk: -30,
  /** TSB above this: fresh (a condition for push). */
  tsbFresh: 5,
  /** Foster: weekly monotony above 2 goes with illness and overtraining. */
  monotonyHigh: 2,
  /** This many anomaly flags today or more: rest. */
  flagsRest: 2,
} as const;

export interface RecommendationInput {
  /** Form (TSB) going into today; null when no load history. */
  tsb: number | null;
  /** EWMA 7:28 ACWR of yesterday's close; null when no chronic load. */
  acwr: number | null;
  /** Foster monotony of the last 7 days. */
  monotony: number | null;
  /** 7-day lnRMSSD against its 60-day normal; `delta` = recent − mean. */
  hrv: { verdict: BaselineVerdict | null; recent: number | null; mean: number; delta: number } | null;
  restingHr: { verdict: BaselineVerdict | null; recent: number | null; mean: number; delta: number } | null;
  sleep: { verdict: BaselineVerdict | null; recent: number | null; mean: number; delta: number } | null;
  /** Today's anomaly flags (metric names). */
  flags: readonly string[];
  /** A wellness answer judged poor by its owner (the wellness questionnaire), when one exists. */
  wellness?: { poor: boolean; label: string; value: number } | null;
}

export type ReasonEffect = Recommendation | 'info';

export interface RecommendationReason {
  rule: string;
  /** What this reason alone would recommend ('info' = noted, decides nothing). */
  effect: ReasonEffect;
  /** The number the rule looked at (null when it had none). */
  value: number | null;
  text: string;
}

export interface RecommendationResult {
  recommendation: Recommendation;
  reasons: RecommendationReason[];
}

const SEVERITY: Record<Recommendation, number> = { push: 0, train_as_planned: 1, keep_it_easy: 2, rest: 3 };
const f1 = (v: number) => v.toFixed(1);
const f2 = (v: number) => v.toFixed(2);

/**
 * Every rule adds a reason with its number; the most cautious effect wins. "Push" needs every
 * signal favourable: fresh form, ACWR below the caution band, HRV not below normal, and nothing
 * else asking for caution.
 */
export function recommendTraining(input: RecommendationInput): RecommendationResult {
  const reasons: RecommendationReason[] = [];
  const add = (rule: string, effect: ReasonEffect, value: number | null, text: string) =>
    reasons.push({ rule, effect, value, text });
  const R = RECOMMENDATION_RULES;

  const hrvBelow = input.hrv?.verdict === 'below';
  const rhrAbove = input.restingHr?.verdict === 'above';
  if (input.hrv?.verdict && input.hrv.recent !== null) {
    const d = input.hrv.delta;
    if (hrvBelow && rhrAbove)
      add(
        'hrv_and_resting_hr',
        'rest',
        d,
        `lnRMSSD ${f2(Math.abs(d))} below your normal and resting HR ${f1(input.restingHr!.delta)} bpm above it: signs of incomplete recovery`,
      );
    else if (hrvBelow) add('hrv_below', 'keep_it_easy', d, `lnRMSSD ${f2(Math.abs(d))} below your normal`);
    else
      add(
        'hrv_ok',
        'info',
        d,
        `lnRMSSD ${input.hrv.verdict === 'above' ? `${f2(d)} above` : 'within'} your normal`,
      );
  } else add('hrv_unknown', 'info', null, 'No HRV baseline yet (needs 14 days of readings)');

  if (rhrAbove && !hrvBelow)
    add(
      'resting_hr_above',
      'keep_it_easy',
      input.restingHr!.delta,
      `Resting HR ${f1(input.restingHr!.delta)} bpm above your normal`,
    );
  else if (input.restingHr?.verdict && !rhrAbove)
    add(
      'resting_hr_ok',
      'info',
      input.restingHr.delta,
      `Resting HR ${input.restingHr.verdict === 'below' ? `${f1(Math.abs(input.restingHr.delta))} bpm below` : 'within'} your normal`,
    );

  if (input.sleep?.verdict === 'below')
    add(
      'sleep_below',
      'keep_it_easy',
      input.sleep.delta / 3600,
      `Sleep ${f1(Math.abs(input.sleep.delta) / 3600)} h below your normal`,
    );
  else if (input.sleep?.verdict)
    add(
      'sleep_ok',
      'info',
      input.sleep.delta / 3600,
      `Sleep ${input.sleep.verdict === 'above' ? 'above' : 'within'} your normal`,
    );

  if (input.tsb !== null) {
    if (input.tsb < R.tsbHighRisk)
      add(
        'tsb_high_risk',
        'keep_it_easy',
        input.tsb,
        `Form ${f1(input.tsb)}: below ${R.tsbHighRisk}, deep fatigue`,
      );
    else if (input.tsb > R.tsbFresh)
      add('tsb_fresh', 'push', input.tsb, `Form ${f1(input.tsb)}: fresh (above +${R.tsbFresh})`);
    else add('tsb_training', 'info', input.tsb, `Form ${f1(input.tsb)}: in training`);
  } else add('tsb_unknown', 'info', null, 'No training load recorded yet');

  const band: AcwrBand | null = acwrBand(input.acwr);
  if (input.acwr !== null && band) {
    const text = `ACWR ${f2(input.acwr)}`;
    if (band === 'high') add('acwr_high', 'rest', input.acwr, `${text}: above 1.5, a load spike`);
    else if (band === 'caution')
      add('acwr_caution', 'keep_it_easy', input.acwr, `${text}: caution band (1.3–1.5)`);
    else if (band === 'low')
      add('acwr_low', 'push', input.acwr, `${text}: below 0.8, less than you are used to`);
    else add('acwr_optimal', 'push', input.acwr, `${text}: usual range (0.8–1.3)`);
  }

  if (input.monotony !== null && input.monotony > R.monotonyHigh)
    add(
      'monotony_high',
      'keep_it_easy',
      input.monotony,
      `Monotony ${f2(input.monotony)}: above ${R.monotonyHigh}, vary hard and easy days`,
    );

  if (input.flags.length >= R.flagsRest)
    add(
      'flags',
      'rest',
      input.flags.length,
      `${input.flags.length} readings outside your usual range: ${input.flags.join(', ')}`,
    );
  else if (input.flags.length === 1)
    add('flags', 'keep_it_easy', 1, `${input.flags[0]} outside your usual range`);

  if (input.wellness?.poor)
    add(
      'wellness_poor',
      'keep_it_easy',
      input.wellness.value,
      `${input.wellness.label}: ${input.wellness.value}`,
    );

  const cautious = reasons.filter(
    (r) => r.effect === 'rest' || r.effect === 'keep_it_easy' || r.effect === 'train_as_planned',
  );
  let recommendation: Recommendation = 'train_as_planned';
  if (cautious.length > 0) {
    recommendation = cautious.reduce<Recommendation>(
      (worst, r) =>
        SEVERITY[r.effect as Recommendation] > SEVERITY[worst] ? (r.effect as Recommendation) : worst,
      'train_as_planned',
    );
  } else {
    const fresh = reasons.some((r) => r.rule === 'tsb_fresh');
    const acwrOk = band === 'low' || band === 'optimal';
    const hrvOk = input.hrv?.verdict === 'within' || input.hrv?.verdict === 'above';
    if (fresh && acwrOk && hrvOk) recommendation = 'push';
  }
  // Push-leaning reasons that did not carry the day are only information.
  if (recommendation !== 'push') for (const r of reasons) if (r.effect === 'push') r.effect = 'info';
  return { recommendation, reasons };
}
