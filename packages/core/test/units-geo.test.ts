import { describe, expect, it } from 'vitest';
import { destinationPoint, haversineDistance, initialBearing, pathLength } from '../src/geo.ts';
import {
  formatPace,
  kmhToMetersPerSecond,
  metersPerSecondToKmh,
  paceMinPerKm,
  paceMinPerKmToMetersPerSecond,
} from '../src/units.ts';

describe('units', () => {
  it('converts speed and pace', () => {
    expect(metersPerSecondToKmh(10)).toBe(36);
    expect(kmhToMetersPerSecond(36)).toBe(10);
    expect(paceMinPerKm(1000 / 240)).toBeCloseTo(4, 10);
    expect(paceMinPerKm(0)).toBeNull();
    expect(paceMinPerKmToMetersPerSecond(5)).toBeCloseTo(1000 / 300, 10);
    expect(formatPace(4.5)).toBe('4:30');
    expect(formatPace(4.999)).toBe('5:00');
    expect(formatPace(null)).toBe('–');
  });
});

describe('geo', () => {
  it('measures a degree of latitude (~111.2 km)', () => {
    expect(haversineDistance({ lat: 0, lon: 0 }, { lat: 1, lon: 0 })).toBeCloseTo(111_195, -1);
  });

  it('measures London to Paris (~343.5 km)', () => {
    const d = haversineDistance({ lat: 51.5074, lon: -0.1278 }, { lat: 48.8566, lon: 2.3522 });
    expect(d / 1000).toBeCloseTo(343.5, 0);
  });

  it('destinationPoint inverts distance and bearing', () => {
    const start = { lat: 51.5, lon: -0.1 };
    for (const bearing of [0, 45, 90, 200, 315]) {
      const p = destinationPoint(start, bearing, 1234);
      expect(haversineDistance(start, p)).toBeCloseTo(1234, 3);
      const diff = ((initialBearing(start, p) - bearing + 540) % 360) - 180;
      expect(Math.abs(diff)).toBeLessThan(1e-3);
    }
  });

  it('wraps longitude across the antimeridian', () => {
    const p = destinationPoint({ lat: 0, lon: 179.999 }, 90, 1000);
    expect(p.lon).toBeLessThan(-179);
  });

  it('sums a closed path', () => {
    const sq = [
      { lat: 0, lon: 0 },
      { lat: 0, lon: 0.001 },
      { lat: 0.001, lon: 0.001 },
      { lat: 0.001, lon: 0 },
    ];
    expect(pathLength(sq, true)).toBeCloseTo(4 * 111.195, 0);
    expect(pathLength(sq)).toBeCloseTo(3 * 111.195, 0);
  });
});
