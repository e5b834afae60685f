import { describe, expect, it } from 'vitest';
import { evaluateReadinessCheck } from '../src/readiness-check.ts';
import { mulberry32 } from '../src/simulation.ts';
import { restingRr, simulateTrainingHistory } from '../src/training-history.ts';

describe('simulated training history', () => {
  it('makes resting RR whose measured RMSSD and HR are the ones asked for', () => {
    const rr = restingRr(mulberry32(1), 55, 50, 180);
    const check = evaluateReadinessCheck(rr);
    expect(check.quality).toBe('good');
    expect(check.durationS).toBeGreaterThanOrEqual(180);
    expect(check.restingHr!).toBeCloseTo(55, 0);
    expect(check.rmssdMs!).toBeGreaterThan(42);
    expect(check.rmssdMs!).toBeLessThan(58);
  });

  it('is deterministic, one check a day, no session today, easy fourth weeks', () => {
    const opts = {
      seed: 9,
      endDay: '2026-06-30',
      days: 84,
      hrMax: 190,
      hrRest: 50,
      now: Date.parse('2026-06-30T12:00:00Z'),
    };
    const a = simulateTrainingHistory(opts);
    expect(simulateTrainingHistory(opts)).toEqual(a);
    expect(a.checks).toHaveLength(84);
    expect(new Set(a.checks.map((c) => c.day)).size).toBe(84);
    expect(a.sessions.some((s) => s.day === '2026-06-30')).toBe(false);
    const minutes = (from: number) =>
      a.sessions
        .filter(
          (s) =>
            s.startedAt >= Date.parse('2026-04-08T00:00:00Z') + from * 86_400_000 &&
            s.startedAt < Date.parse('2026-04-08T00:00:00Z') + (from + 7) * 86_400_000,
        )
        .reduce((n, s) => n + s.durationS / 60, 0);
    // Weeks 1–3 of each block build, week 4 is easy.
    expect(minutes(21)).toBeLessThan(minutes(14));
    for (const s of a.sessions) expect(s.avgHr).toBeGreaterThan(50);
  });

  it('never dates a check after now', () => {
    const now = Date.parse('2026-06-30T05:00:00Z');
    const h = simulateTrainingHistory({
      seed: 1,
      endDay: '2026-06-30',
      days: 3,
      hrMax: 190,
      hrRest: 50,
      now,
    });
    expect(Math.max(...h.checks.map((c) => c.measuredAt))).toBeLessThan(now);
  });

  it("an 'unwell' morning moves resting HR and HRV well away from the days before", () => {
    const h = simulateTrainingHistory({
      seed: 3,
      endDay: '2026-06-30',
      days: 30,
      hrMax: 190,
      hrRest: 50,
      scenario: 'unwell',
      now: Date.parse('2026-06-30T12:00:00Z'),
    });
    const measured = h.checks.map((c) => evaluateReadinessCheck(c.rr));
    const before = measured.slice(0, -1).map((m) => m.restingHr!);
    const mean = before.reduce((a, b) => a + b, 0) / before.length;
    expect(measured.at(-1)!.restingHr! - mean).toBeGreaterThan(10);
  });
});
