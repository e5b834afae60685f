import { describe, expect, it } from 'vitest';
import {
  COMPARISON_RULES,
  compareToHistory,
  type EfficiencySample,
  efficiencyBasis,
  isComparable,
  sameActivity,
  sessionEfficiency,
  summaryEfficiency,
} from '../src/session-comparison.ts';

const T0 = Date.parse('2026-11-02T07:00:00Z');

/** 1 Hz readings: `first` for the first half of `n` seconds, `second` for the rest. */
function run(n: number, first: Partial<EfficiencySample>, second: Partial<EfficiencySample> = first) {
  return Array.from({ length: n }, (_, i) => ({
    ts: T0 + i * 1000,
    hr: null,
    speed: null,
    power: null,
    ...(i < n / 2 ? first : second),
  }));
}

describe('efficiency factor and aerobic decoupling', () => {
  it('a run at 3 m/s whose HR drifts from 150 to 160 bpm: EF 1.161, halves 1.2 and 1.125, decoupling 6.25 %', () => {
    const e = sessionEfficiency(run(600, { hr: 150, speed: 3 }, { hr: 160, speed: 3 }), 'running')!;
    expect(e.basis).toBe('speed');
    expect(e.meanOutput).toBeCloseTo(180, 10); // 3 m/s = 180 m/min
    expect(e.meanHr).toBeCloseTo(155, 10);
    expect(e.ef).toBeCloseTo(180 / 155, 10); // 1.16129
    expect(e.firstHalfEf).toBeCloseTo(1.2, 10);
    expect(e.secondHalfEf).toBeCloseTo(1.125, 10);
    expect(e.decouplingPct).toBeCloseTo(6.25, 10);
    expect(e.pairs).toBe(600);
  });

  it('uses power when the session has it: 200 W at 140 bpm is 1.4286 W per bpm, no drift', () => {
    const e = sessionEfficiency(run(600, { hr: 140, power: 200, speed: 8 }), 'cycling')!;
    expect(e.basis).toBe('power');
    expect(e.ef).toBeCloseTo(200 / 140, 10);
    expect(e.decouplingPct).toBeCloseTo(0, 10);
  });

  it('leaves out stops and coasting, and readings without HR', () => {
    const samples = run(600, { hr: 150, speed: 3 });
    samples[10] = { ...samples[10]!, speed: 0, hr: 120 }; // standing at a crossing
    samples[20] = { ...samples[20]!, hr: null, speed: 9 }; // strap lost contact
    const e = sessionEfficiency(samples, 'running')!;
    expect(e.pairs).toBe(598);
    expect(e.ef).toBeCloseTo(1.2, 10);
  });

  it('takes speed from the distance where the file recorded none: 28 m every 10 s is 2.8 m/s', () => {
    const samples = Array.from({ length: 120 }, (_, i) => ({
      ts: T0 + i * 10_000,
      hr: 140,
      speed: null,
      power: null,
      distance: i * 28,
    }));
    const e = sessionEfficiency(samples, 'running')!;
    expect(e.pairs).toBe(119); // the first reading has no distance before it
    expect(e.meanOutput).toBeCloseTo(168, 10);
    expect(e.ef).toBeCloseTo(1.2, 10);
  });

  it('gives no EF to cycling without power, swimming, or too few readings', () => {
    expect(sessionEfficiency(run(600, { hr: 140, speed: 8 }), 'cycling')).toBeNull();
    expect(sessionEfficiency(run(600, { hr: 140, speed: 1 }), 'swimming')).toBeNull();
    expect(
      sessionEfficiency(run(COMPARISON_RULES.minPairs - 1, { hr: 150, speed: 3 }), 'running'),
    ).toBeNull();
    expect(efficiencyBasis('hiking', false)).toBe('speed');
    expect(efficiencyBasis(null, true)).toBe('power');
  });

  it('a summary-only run: 10 km in 50 min at 150 bpm is 200 m/min ÷ 150 = 1.333, without decoupling', () => {
    const e = summaryEfficiency({
      sport: 'running',
      avgHr: 150,
      avgSpeed: null,
      distanceM: 10_000,
      durationS: 3_000,
    })!;
    expect(e.ef).toBeCloseTo(200 / 150, 10);
    expect(e.method).toBe('summary');
    expect(e.decouplingPct).toBeNull();
    expect(
      summaryEfficiency({ sport: 'running', avgHr: null, avgSpeed: 3, distanceM: null, durationS: 60 }),
    ).toBeNull();
  });
});

describe('which sessions are compared', () => {
  const hour = { id: 's', sport: 'running', startedAt: T0, durationS: 3_600 };
  it('same sport, earlier, within ±25 % of the duration', () => {
    const at = (durationS: number, sport = 'running', startedAt = T0 - 86_400_000) => ({
      id: `o-${durationS}-${sport}-${startedAt}`,
      sport,
      startedAt,
      durationS,
    });
    expect(isComparable(hour, at(2_700))).toBe(true); // −25 %
    expect(isComparable(hour, at(4_500))).toBe(true); // +25 %
    expect(isComparable(hour, at(2_699))).toBe(false);
    expect(isComparable(hour, at(4_501))).toBe(false);
    expect(isComparable(hour, at(3_600, 'cycling'))).toBe(false);
    expect(isComparable(hour, at(3_600, 'running', T0 + 1))).toBe(false);
    expect(isComparable({ ...hour, sport: null }, { ...at(3_600), sport: null })).toBe(false);
  });
  it('the same run from a second source is one activity', () => {
    expect(sameActivity(hour, { ...hour, id: 'garmin', startedAt: T0 + 600_000 })).toBe(true); // 50 of 60 min
    expect(sameActivity(hour, { ...hour, id: 'later', startedAt: T0 + 1_900_000 })).toBe(false);
  });
});

describe('better / usual / worse than your last N', () => {
  // EF history 1.10 … 1.18: median 1.14, MAD 0.02, band 1.14 ± 1.4826 × 0.02 = 1.1103–1.1697.
  const ef = [1.1, 1.12, 1.14, 1.16, 1.18];
  it('EF: higher is better', () => {
    const better = compareToHistory(1.2, ef, true)!;
    expect(better.verdict).toBe('better');
    expect(better.band.median).toBeCloseTo(1.14, 10);
    expect(better.band.lower).toBeCloseTo(1.14 - 0.029652, 6);
    expect(better.band.upper).toBeCloseTo(1.14 + 0.029652, 6);
    expect(compareToHistory(1.169, ef, true)!.verdict).toBe('usual');
    expect(compareToHistory(1.11, ef, true)!.verdict).toBe('worse');
  });
  it('decoupling: lower is better; 6.25 % against 2…6 % (band 4 ± 1.48) is worse', () => {
    expect(compareToHistory(6.25, [2, 3, 4, 5, 6], false)!.verdict).toBe('worse');
    expect(compareToHistory(2.4, [2, 3, 4, 5, 6], false)!.verdict).toBe('better');
  });
  it('no verdict from fewer than 5 sessions', () => {
    expect(compareToHistory(1.2, [1.1, 1.12, 1.14, 1.16], true)).toBeNull();
    expect(compareToHistory(null, ef, true)).toBeNull();
  });
});
