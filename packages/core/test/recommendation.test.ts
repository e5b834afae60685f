import { describe, expect, it } from 'vitest';
import { type RecommendationInput, recommendTraining } from '../src/recommendation.ts';

const within = { verdict: 'within' as const, recent: 4.2, mean: 4.2, delta: 0 };
const neutral: RecommendationInput = {
  tsb: 0,
  acwr: 1.0,
  monotony: 1.2,
  hrv: within,
  restingHr: { verdict: 'within', recent: 50, mean: 50, delta: 0 },
  sleep: { verdict: 'within', recent: 27_000, mean: 27_000, delta: 0 },
  flags: [],
};
const run = (patch: Partial<RecommendationInput>) => recommendTraining({ ...neutral, ...patch });
const rules = (patch: Partial<RecommendationInput>) => run(patch).reasons.map((r) => r.rule);

describe('recommendation of the day', () => {
  it('trains as planned when everything is usual, listing each reason with its number', () => {
    const r = run({});
    expect(r.recommendation).toBe('train_as_planned');
    expect(r.reasons.find((x) => x.rule === 'acwr_optimal')).toMatchObject({ value: 1, effect: 'info' });
    expect(r.reasons.find((x) => x.rule === 'tsb_training')?.text).toBe('Form 0.0: in training');
  });

  it('pushes only when fresh (TSB > 5), ACWR < 1.3 and HRV not below normal', () => {
    expect(run({ tsb: 5 }).recommendation).toBe('train_as_planned');
    expect(run({ tsb: 5.1 }).recommendation).toBe('push');
    expect(run({ tsb: 10, acwr: 1.29 }).recommendation).toBe('push');
    expect(run({ tsb: 10, acwr: 1.3 }).recommendation).toBe('keep_it_easy');
    expect(run({ tsb: 10, hrv: null }).recommendation).toBe('train_as_planned');
    expect(run({ tsb: 10, acwr: 0.5 }).reasons.find((x) => x.rule === 'acwr_low')?.effect).toBe('push');
  });

  it('keeps it easy below TSB −30, not at −30', () => {
    expect(run({ tsb: -30 }).recommendation).toBe('train_as_planned');
    expect(run({ tsb: -30.1 }).recommendation).toBe('keep_it_easy');
    expect(rules({ tsb: -30.1 })).toContain('tsb_high_risk');
  });

  it('rests above ACWR 1.5 and keeps it easy in the caution band', () => {
    expect(run({ acwr: 1.49 }).recommendation).toBe('keep_it_easy');
    const spike = run({ acwr: 1.5 });
    expect(spike.recommendation).toBe('rest');
    expect(spike.reasons.find((x) => x.rule === 'acwr_high')?.text).toBe(
      'ACWR 1.50: above 1.5, a load spike',
    );
  });

  it('reads HRV and resting HR against their normal', () => {
    const low = { verdict: 'below' as const, recent: 3.8, mean: 4.2, delta: -0.4 };
    const r = run({ hrv: low });
    expect(r.recommendation).toBe('keep_it_easy');
    expect(r.reasons.find((x) => x.rule === 'hrv_below')?.text).toBe('lnRMSSD 0.40 below your normal');
    const rhr = { verdict: 'above' as const, recent: 56, mean: 50, delta: 6 };
    expect(run({ restingHr: rhr }).recommendation).toBe('keep_it_easy');
    expect(run({ hrv: low, restingHr: rhr }).recommendation).toBe('rest');
    expect(rules({ hrv: null })).toContain('hrv_unknown');
  });

  it('keeps it easy on short sleep, high monotony, one flag or a poor wellness answer; rests on two flags', () => {
    expect(
      run({ sleep: { verdict: 'below', recent: 21_600, mean: 27_000, delta: -5_400 } }).reasons.find(
        (x) => x.rule === 'sleep_below',
      )?.text,
    ).toBe('Sleep 1.5 h below your normal');
    expect(run({ monotony: 2 }).recommendation).toBe('train_as_planned');
    expect(run({ monotony: 2.01 }).recommendation).toBe('keep_it_easy');
    expect(run({ flags: ['resting HR'] }).recommendation).toBe('keep_it_easy');
    expect(run({ flags: ['resting HR', 'HRV'] }).recommendation).toBe('rest');
    expect(run({ wellness: { poor: true, label: 'Soreness', value: 4 } }).recommendation).toBe(
      'keep_it_easy',
    );
    expect(run({ wellness: { poor: false, label: 'Soreness', value: 1 } }).recommendation).toBe(
      'train_as_planned',
    );
  });

  it('says when there is no load yet', () => {
    const r = run({ tsb: null, acwr: null, monotony: null, hrv: null, restingHr: null, sleep: null });
    expect(r.recommendation).toBe('train_as_planned');
    expect(r.reasons.map((x) => x.rule)).toEqual(['hrv_unknown', 'tsb_unknown']);
  });
});
