import { describe, expect, it } from 'vitest';
import {
  defaultHrZones,
  estimateHrMax,
  hrReserveFraction,
  pctOfMax,
  zoneOf,
  zonesFromUpperBounds,
} from '../src/zones.ts';

describe('zones', () => {
  it('derives five zones from HR max', () => {
    const z = defaultHrZones({ hrMax: 200 });
    expect(z.map((x) => [x.min, x.max])).toEqual([
      [100, 120],
      [120, 140],
      [140, 160],
      [160, 180],
      [180, 200],
    ]);
  });

  it('uses Karvonen (HR reserve) when HR rest is known', () => {
    const z = defaultHrZones({ hrMax: 200, hrRest: 60 });
    expect(z[0]).toMatchObject({ zone: 1, min: 130, max: 144 });
    expect(z[4]).toMatchObject({ zone: 5, min: 186, max: 200 });
  });

  it('finds the zone of an HR, 0 below zone 1 and 5 above max', () => {
    const z = defaultHrZones({ hrMax: 200 });
    expect(zoneOf(90, z)).toBe(0);
    expect(zoneOf(100, z)).toBe(1);
    expect(zoneOf(139, z)).toBe(2);
    expect(zoneOf(140, z)).toBe(3);
    expect(zoneOf(199, z)).toBe(5);
    expect(zoneOf(215, z)).toBe(5);
    expect(zoneOf(150, [])).toBe(0);
  });

  it('builds zones from stored upper bounds and rejects bad ones', () => {
    const z = zonesFromUpperBounds([120, 140, 160, 175, 190]);
    expect(z[0]).toMatchObject({ min: 95, max: 120 });
    expect(zoneOf(170, z)).toBe(4);
    expect(() => zonesFromUpperBounds([120, 110, 160, 175, 190])).toThrow(/ascending/);
  });

  it('estimates HR max with Tanaka', () => {
    expect(estimateHrMax(1990, new Date('2025-06-01T00:00:00Z'))).toBe(184); // 208 − 0.7 × 35 = 183.5
    expect(estimateHrMax(2005, Date.UTC(2025, 0, 1))).toBe(194);
  });

  it('computes % of max and HR reserve fraction', () => {
    expect(pctOfMax(180, 200)).toBe(0.9);
    expect(hrReserveFraction(130, 60, 200)).toBe(0.5);
    expect(hrReserveFraction(40, 60, 200)).toBe(0);
    expect(hrReserveFraction(220, 60, 200)).toBe(1);
  });
});
