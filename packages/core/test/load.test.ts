import { describe, expect, it } from 'vitest';
import { banisterTrimp, banisterWeight, edwardsTrimp, monotonyAndStrain, trainingLoad } from '../src/load.ts';

describe('TRIMP', () => {
  it('applies the sex-specific Banister factor', () => {
    expect(banisterWeight(0.5, 'male')).toBeCloseTo(0.64 * Math.exp(0.96), 10);
    expect(banisterWeight(0.5, 'female')).toBeCloseTo(0.86 * Math.exp(0.835), 10);
  });

  it('sums 1 Hz samples: 30 min at 50 % HRR', () => {
    const hr = new Array(1800).fill(130);
    const male = banisterTrimp(hr, { hrMax: 200, hrRest: 60, sex: 'male' });
    expect(male).toBeCloseTo(30 * 0.5 * 0.64 * Math.exp(0.96), 6);
    const female = banisterTrimp(hr, { hrMax: 200, hrRest: 60, sex: 'female' });
    expect(female).toBeCloseTo(30 * 0.5 * 0.86 * Math.exp(0.835), 6);
  });

  it('ignores missing readings and clamps below rest', () => {
    expect(banisterTrimp([null, undefined, 50], { hrMax: 200, hrRest: 60, sex: 'male' })).toBe(0);
  });

  it('computes Edwards TRIMP from time in zones', () => {
    expect(edwardsTrimp([600, 600, 600, 600, 600])).toBe(10 + 20 + 30 + 40 + 50);
  });
});

describe('training load', () => {
  it('builds EWMA acute and chronic load and ACWR', () => {
    const series = trainingLoad(new Array(60).fill(100));
    const last = series[59]!;
    expect(last.acute).toBeCloseTo(100, 3);
    expect(last.chronic).toBeGreaterThan(95);
    expect(last.acwr).toBeCloseTo(last.acute / last.chronic, 10);
    expect(series[0]).toEqual({ load: 100, acute: 25, chronic: 100 * (2 / 29), acwr: 25 / (100 * (2 / 29)) });
  });

  it('shows a spike in ACWR after a sudden load increase', () => {
    const loads = [...new Array(42).fill(50), ...new Array(7).fill(150)];
    const s = trainingLoad(loads);
    expect(s[41]!.acwr).toBeGreaterThan(0.95);
    expect(s[41]!.acwr).toBeLessThan(1.1); // chronic still catching up from a zero start
    expect(s[48]!.acwr).toBeGreaterThan(1.5);
  });

  it('returns null ACWR with no chronic load', () => {
    expect(trainingLoad([0, 0])[1]!.acwr).toBeNull();
  });

  it('computes monotony and strain', () => {
    const r = monotonyAndStrain([100, 0, 100, 0, 100, 0, 100]);
    expect(r.weeklyLoad).toBe(400);
    const mean = 400 / 7;
    const sd = Math.sqrt((4 * (100 - mean) ** 2 + 3 * mean ** 2) / 6);
    expect(r.monotony).toBeCloseTo(mean / sd, 10);
    expect(r.strain).toBeCloseTo(400 * (mean / sd), 8);
    expect(monotonyAndStrain([50, 50, 50]).monotony).toBeNull();
  });
});
