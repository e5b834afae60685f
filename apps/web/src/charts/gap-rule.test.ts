import { describe, expect, it } from 'vitest';
import { chartGapS } from './gap-rule.ts';

const everyS = (stepS: number, count: number, startS = 0) =>
  Array.from({ length: count }, (_, i) => ({ x: startS + i * stepS }));

describe('chartGapS', () => {
  it('keeps the 10 s rule for a 1 Hz series', () => {
    expect(chartGapS(everyS(1, 600))).toBe(10);
  });

  it('scales with the downsampling interval of a long session', () => {
    // 3 h downsampled to 450 points: ~24 s apart, every step must stay one line.
    const points = everyS(24, 450);
    expect(chartGapS(points)).toBe(96);
    expect(chartGapS(points)).toBeGreaterThan(24);
  });

  it('still breaks at a real pause far above the spacing', () => {
    const points = [...everyS(24, 200), ...everyS(24, 200, 200 * 24 + 1800)];
    expect(chartGapS(points)).toBe(96);
    expect(1800).toBeGreaterThan(chartGapS(points));
  });

  it('answers the minimum for one point or none', () => {
    expect(chartGapS([])).toBe(10);
    expect(chartGapS([{ x: 5 }])).toBe(10);
  });
});
