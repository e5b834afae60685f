import { describe, expect, it } from 'vitest';
import { filterRr, hrFromRr, rmssd, rrFromHr, sdnn } from '../src/hrv.ts';

describe('HRV', () => {
  it('computes RMSSD and SDNN on clean data', () => {
    const rr = [800, 810, 790, 800];
    // diffs 10, -20, 10 → sqrt((100 + 400 + 100) / 3)
    expect(rmssd(rr)).toBeCloseTo(Math.sqrt(200), 10);
    expect(sdnn(rr)).toBeCloseTo(Math.sqrt(200 / 3), 10);
  });

  it('drops out-of-range intervals and jumps over 20 %', () => {
    const r = filterRr([800, 250, 810, 1600, 820, 2500, 805]);
    expect(r.clean).toEqual([800, 810, 820, 805]);
    expect(r.kept).toEqual([true, false, true, false, true, false, true]);
    expect(r.dropped).toBe(3);
  });

  it('does not difference across a removed artefact', () => {
    // Only adjacent accepted pairs: (800,810) and (830,820); the artefact splits the series.
    expect(rmssd([800, 810, 400, 830, 820])).toBeCloseTo(10, 10);
  });

  it('returns null with too little data', () => {
    expect(rmssd([800, 810])).toBeNull();
    expect(sdnn([800])).toBeNull();
    expect(rmssd([100, 5000, 100])).toBeNull();
  });

  it('converts between HR and RR', () => {
    expect(rrFromHr(60)).toBe(1000);
    expect(rrFromHr(150)).toBe(400);
    expect(hrFromRr(500)).toBe(120);
    expect(() => rrFromHr(0)).toThrow();
  });
});
