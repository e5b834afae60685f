import { describe, expect, it } from 'vitest';
import { anomalyOf, median, robustBand } from '../src/anomaly.ts';
import { personalBaseline } from '../src/baselines.ts';
import { evaluateReadinessCheck } from '../src/readiness-check.ts';

describe('readiness check', () => {
  it('measures RMSSD and lnRMSSD of a known series', () => {
    // 800, 810, 790, 800 repeated: successive differences 10, −20, 10, 0 → RMSSD = √(600/4·…)
    const rr = Array.from({ length: 200 }, (_, i) => [800, 810, 790, 800][i % 4]!);
    const diffs = rr.slice(1).map((v, i) => v - rr[i]!);
    const expected = Math.sqrt(diffs.reduce((a, d) => a + d * d, 0) / diffs.length);
    const r = evaluateReadinessCheck(rr);
    expect(r.rmssdMs).toBeCloseTo(expected, 10);
    expect(r.lnRmssd).toBeCloseTo(Math.log(expected), 10);
    expect(r.restingHr).toBeCloseTo(60_000 / 800, 10);
    expect(r.durationS).toBeCloseTo(160, 10);
    expect(r).toMatchObject({ quality: 'good', reason: null, artefacts: 0 });
  });

  it('rejects a check with too many artefacts, naming the rate', () => {
    const rr = Array.from({ length: 200 }, (_, i) => (i % 5 === 1 ? 1600 : 800));
    const r = evaluateReadinessCheck(rr);
    expect(r.quality).toBe('rejected');
    expect(r.artefactRate).toBeCloseTo(0.2, 2);
    expect(r.reason).toMatch(/too many artefacts: 20\.0 %/);
  });

  it('accepts up to 10 % artefacts as acceptable, and refuses a too short check', () => {
    const rr = Array.from({ length: 200 }, (_, i) => (i % 12 === 1 ? 1600 : 800 + (i % 2) * 10));
    expect(evaluateReadinessCheck(rr).quality).toBe('acceptable');
    const short = evaluateReadinessCheck(new Array(100).fill(800));
    expect(short.quality).toBe('rejected');
    expect(short.reason).toMatch(/too short: 80 s/);
  });
});

describe('personal baseline', () => {
  it('is absent before 14 days of data', () => {
    expect(personalBaseline([...new Array(13).fill(4), null, null])).toBeNull();
  });

  it('compares the 7-day mean with the 60-day mean ± 0.5 SD', () => {
    // 53 days alternating 4.0 / 4.2, then a week at 3.8.
    const history = Array.from({ length: 53 }, (_, i) => (i % 2 ? 4.2 : 4.0));
    const series = [...history, ...new Array(7).fill(3.8)];
    const b = personalBaseline(series)!;
    const mean = series.reduce((a, v) => a + v, 0) / 60;
    const sd = Math.sqrt(series.reduce((a, v) => a + (v - mean) ** 2, 0) / 59);
    expect(b.mean).toBeCloseTo(mean, 10);
    expect(b.swc).toBeCloseTo(0.5 * sd, 10);
    expect(b.recent).toBeCloseTo(3.8, 10);
    expect(b.verdict).toBe('below');
    expect(b.days).toBe(60);
    expect(personalBaseline([...history, ...new Array(7).fill(4.1)])!.verdict).toBe('within');
    expect(personalBaseline([...history, ...new Array(7).fill(4.6)])!.verdict).toBe('above');
  });
});

describe('robust anomaly band', () => {
  it('is median ± k·1.4826·MAD', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const history = [50, 52, 51, 49, 50, 53, 48, 50, 51, 50, 49, 52, 50, 51];
    const band = robustBand(history)!;
    // median 50; |deviations| sorted → median 1.
    expect(band.median).toBe(50);
    expect(band.mad).toBe(1);
    expect(band.upper).toBeCloseTo(50 + 3 * 1.4826, 10);
    expect(anomalyOf(54.5, band)).toBe('high');
    expect(anomalyOf(54.4, band)).toBe(null);
    expect(anomalyOf(45.5, band)).toBe('low');
    expect(robustBand(history.slice(0, 13))).toBeNull();
  });
});
