import { describe, expect, it } from 'vitest';
import { downsampleRows, lttb, lttbIndices } from '../src/downsample.ts';

describe('LTTB', () => {
  it('returns everything when under the budget', () => {
    const pts = [
      { x: 0, y: 1 },
      { x: 1, y: 2 },
    ];
    expect(lttb(pts, 10)).toEqual(pts);
  });

  it('keeps first, last and the peaks', () => {
    const pts = Array.from({ length: 1000 }, (_, i) => ({ x: i, y: i === 500 ? 100 : Math.sin(i / 50) }));
    const out = lttb(pts, 50);
    expect(out).toHaveLength(50);
    expect(out[0]).toBe(pts[0]);
    expect(out[49]).toBe(pts[999]);
    expect(out.some((p) => p.y === 100)).toBe(true);
    for (let i = 1; i < out.length; i++) expect(out[i]!.x).toBeGreaterThan(out[i - 1]!.x);
  });

  it('keeps one marker per null gap and never exceeds the budget', () => {
    const ys = Array.from({ length: 300 }, (_, i) => (i >= 100 && i < 150 ? null : i % 10));
    const xs = ys.map((_, i) => i);
    const idx = lttbIndices(xs, ys, 30);
    expect(idx.length).toBeLessThanOrEqual(30);
    expect(idx.filter((i) => ys[i] === null)).toEqual([100]);
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(299);
  });

  it('handles a budget smaller than the number of runs', () => {
    const ys = Array.from({ length: 100 }, (_, i) => (i % 2 ? null : i));
    const idx = lttbIndices(
      ys.map((_, i) => i),
      ys,
      10,
    );
    expect(idx).toHaveLength(10);
  });

  it('downsamples aligned rows on HR, keeping rows where HR is missing', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      ts: i * 1000,
      hr: i >= 400 && i < 600 ? null : 120 + (i % 30),
      speed: 3,
    }));
    const out = downsampleRows(
      rows,
      100,
      (r) => r.ts,
      (r) => r.hr,
    );
    expect(out.length).toBeLessThanOrEqual(100);
    expect(out.filter((r) => r.hr === null).length).toBeGreaterThan(5);
    expect(out[0]).toBe(rows[0]);
    expect(
      downsampleRows(
        rows.map((r) => ({ ...r, hr: null })),
        10,
        (r) => r.ts,
        (r) => r.hr,
      ),
    ).toHaveLength(10);
  });
});
