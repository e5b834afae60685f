import { describe, expect, it } from 'vitest';
import { acwrBand, acwrSeries } from '../src/acwr.ts';
import { fitnessFatigueForm, projectForm, weeklyMonotony } from '../src/fitness.ts';

describe('fitness, fatigue, form', () => {
  it('matches the hand-worked first days (τ 42 / 7)', () => {
    const [d1, d2, d3] = fitnessFatigueForm([100, 0, 50]);
    expect(d1!.ctl).toBeCloseTo(100 / 42, 10);
    expect(d1!.atl).toBeCloseTo(100 / 7, 10);
    expect(d1!.tsb).toBe(0); // form is yesterday's CTL − ATL, before the first load
    // Day 2: no load; each decays by (1 − 1/τ). TSB = day 1's CTL − ATL.
    expect(d2!.ctl).toBeCloseTo((100 / 42) * (41 / 42), 10);
    expect(d2!.atl).toBeCloseTo((100 / 7) * (6 / 7), 10);
    expect(d2!.tsb).toBeCloseTo(100 / 42 - 100 / 7, 10); // −11.905
    expect(d3!.ctl).toBeCloseTo(d2!.ctl + (50 - d2!.ctl) / 42, 10);
    expect(d3!.tsb).toBeCloseTo(d2!.ctl - d2!.atl, 10);
  });

  it('converges to a constant load and reports a ramp rate from day 8', () => {
    const points = fitnessFatigueForm(new Array(400).fill(80));
    expect(points.at(-1)!.ctl).toBeCloseTo(80 * (1 - (41 / 42) ** 400), 8);
    expect(points.at(-1)!.atl).toBeCloseTo(80, 6);
    expect(points[6]!.rampRate).toBeNull();
    expect(points[7]!.rampRate).toBeCloseTo(points[7]!.ctl - points[0]!.ctl, 10);
  });

  it('uses the athlete’s own time constants', () => {
    const [p] = fitnessFatigueForm([60], { ctlDays: 30, atlDays: 5 });
    expect(p!.ctl).toBeCloseTo(2, 10);
    expect(p!.atl).toBeCloseTo(12, 10);
    expect(() => fitnessFatigueForm([1], { ctlDays: 0 })).toThrow(RangeError);
  });

  it('projects form with zero load, or with planned loads', () => {
    const rest = projectForm({ ctl: 50, atl: 70 }, { days: 14 });
    expect(rest).toHaveLength(14);
    expect(rest[0]!.tsb).toBeCloseTo(-20, 10);
    expect(rest[1]!.tsb).toBeCloseTo(50 * (41 / 42) - 70 * (6 / 7), 10);
    expect(rest[13]!.tsb).toBeGreaterThan(0); // fatigue fades faster than fitness
    const planned = projectForm({ ctl: 50, atl: 70 }, { days: 2, plannedLoads: [140, null] });
    expect(planned[0]!.atl).toBeCloseTo(70 + (140 - 70) / 7, 10);
    expect(planned[1]!.load).toBe(0);
  });
});

describe('ACWR', () => {
  it('names the bands on their boundaries', () => {
    expect(acwrBand(0.79)).toBe('low');
    expect(acwrBand(0.8)).toBe('optimal');
    expect(acwrBand(1.29)).toBe('optimal');
    expect(acwrBand(1.3)).toBe('caution');
    expect(acwrBand(1.49)).toBe('caution');
    expect(acwrBand(1.5)).toBe('high');
    expect(acwrBand(null)).toBeNull();
  });

  it('computes the rolling-sum ratio from day 28: 21 days of 10 then 7 days of 20', () => {
    const loads = [...new Array(21).fill(10), ...new Array(7).fill(20)];
    const series = acwrSeries(loads);
    expect(series[26]!.rolling).toBeNull();
    // acute 20/day; chronic (21×10 + 7×20)/28 = 12.5/day; ratio 1.6.
    expect(series[27]!.acute7).toBeCloseTo(20, 10);
    expect(series[27]!.chronic28).toBeCloseTo(12.5, 10);
    expect(series[27]!.rolling).toBeCloseTo(1.6, 10);
    // EWMA with λa = 2/8, λc = 2/29 from zero.
    let a = 0;
    let c = 0;
    for (const l of loads) {
      a = 0.25 * l + 0.75 * a;
      c = (2 / 29) * l + (27 / 29) * c;
    }
    expect(series[27]!.ewma).toBeCloseTo(a / c, 10);
  });
});

describe('weekly monotony', () => {
  it('groups by ISO week and applies Foster', () => {
    // 2026-11-30 is a Monday: one full week, then a partial one.
    const week = [100, 50, 100, 50, 100, 50, 0];
    const weeks = weeklyMonotony('2026-11-30', [...week, 30, 30]);
    expect(weeks.map((w) => w.weekStart)).toEqual(['2026-11-30', '2026-12-07']);
    const mean = 450 / 7;
    const sd = Math.sqrt(week.reduce((a, v) => a + (v - mean) ** 2, 0) / 6);
    expect(weeks[0]!.monotony).toBeCloseTo(mean / sd, 10);
    expect(weeks[0]!.strain).toBeCloseTo(450 * (mean / sd), 8);
    expect(weeks[1]).toMatchObject({ days: 2, weeklyLoad: 60, monotony: null });
  });

  it('starts a week on Monday from a mid-week first day', () => {
    expect(weeklyMonotony('2026-12-02', [1, 2, 3, 4, 5, 6])[1]!.weekStart).toBe('2026-12-07');
  });
});
