import { describe, expect, it } from 'vitest';
import {
  DEFAULT_THRESHOLDS,
  mergeThresholds,
  READINESS_THRESHOLD_FLOOR_BPM,
  type RecommendationReason,
  suggestReadinessThreshold,
} from '../src/index.ts';

const reasons: RecommendationReason[] = [
  { rule: 'hrv_below', effect: 'keep_it_easy', value: -0.3, text: 'lnRMSSD 0.30 below your normal' },
  { rule: 'tsb_training', effect: 'info', value: -5, text: 'Form -5.0: in training' },
];

describe('suggestReadinessThreshold', () => {
  it('takes 3 % of HR max off on a keep-it-easy day, with the cautious reasons and the formula', () => {
    // Defaults: 92 % × 190 = 174.8 bpm; 174.8 − 0.03 × 190 = 169.1 → 169.
    const s = suggestReadinessThreshold({
      recommendation: 'keep_it_easy',
      reasons,
      thresholds: DEFAULT_THRESHOLDS,
      hrMax: 190,
    });
    expect(s).toMatchObject({ currentBpm: 175, suggestedBpm: 169, dropPctMax: 0.03, hrMax: 190 });
    expect(s!.reason).toBe('Readiness today says keep it easy: lnRMSSD 0.30 below your normal');
    expect(s!.formula).toBe('175 bpm − 3 % × HR max 190 bpm = 169 bpm');
  });

  it('takes 5 % off on a rest day and starts from the lower of % HR max and bpm', () => {
    const t = mergeThresholds(DEFAULT_THRESHOLDS, { hrAboveBpm: 160 });
    const s = suggestReadinessThreshold({ recommendation: 'rest', reasons: [], thresholds: t, hrMax: 200 });
    expect(s).toMatchObject({ currentBpm: 160, suggestedBpm: 150, recommendation: 'rest' });
    expect(s!.reason).toBe('Readiness today says rest');
  });

  it('suggests nothing on a normal day or when hr_high is off', () => {
    for (const recommendation of ['push', 'train_as_planned'] as const)
      expect(
        suggestReadinessThreshold({ recommendation, reasons, thresholds: DEFAULT_THRESHOLDS, hrMax: 190 }),
      ).toBeNull();
    const off = mergeThresholds(DEFAULT_THRESHOLDS, { hrAbovePctMax: null, hrAboveBpm: null });
    expect(
      suggestReadinessThreshold({ recommendation: 'rest', reasons, thresholds: off, hrMax: 190 }),
    ).toBeNull();
  });

  it('never goes below the floor, and suggests nothing when already at it', () => {
    const low = mergeThresholds(DEFAULT_THRESHOLDS, { hrAboveBpm: 104 });
    const s = suggestReadinessThreshold({ recommendation: 'rest', reasons, thresholds: low, hrMax: 190 });
    expect(s!.suggestedBpm).toBe(READINESS_THRESHOLD_FLOOR_BPM);
    expect(s!.formula).toContain('raised to the 100 bpm floor');
    const atFloor = mergeThresholds(DEFAULT_THRESHOLDS, { hrAboveBpm: 100 });
    expect(
      suggestReadinessThreshold({ recommendation: 'rest', reasons, thresholds: atFloor, hrMax: 190 }),
    ).toBeNull();
  });
});
