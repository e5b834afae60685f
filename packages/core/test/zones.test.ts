import { describe, expect, it } from 'vitest';
import {
  athleteZones,
  DEFAULT_HR_MAX,
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
    const z = zonesFromUpperBounds([120, 140, 160, 175, 190], 95);
    expect(z[0]).toMatchObject({ min: 95, max: 120 });
    expect(zoneOf(170, z)).toBe(4);
    expect(() => zonesFromUpperBounds([120, 110, 160, 175, 190], 95)).toThrow(/ascending/);
    expect(() => zonesFromUpperBounds([120, 140, 160, 175, 190], 120)).toThrow(/zone 1/);
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

  describe('athleteZones (the one rule set)', () => {
    const NOW = Date.UTC(2026, 5, 1);
    const bounds = (a: ReturnType<typeof athleteZones>) => a.zones.map((z) => [z.min, z.max]);

    it('takes HR max from the profile, else the Tanaka estimate, else 190', () => {
      expect(athleteZones({ hrMax: 200, birthYear: 1990 }, NOW)).toMatchObject({
        hrMax: 200,
        hrMaxSource: 'profile',
      });
      // 208 − 0.7 × 36 = 182.8
      expect(athleteZones({ birthYear: 1990 }, NOW)).toMatchObject({ hrMax: 183, hrMaxSource: 'estimated' });
      expect(athleteZones({}, NOW)).toMatchObject({ hrMax: DEFAULT_HR_MAX, hrMaxSource: 'default' });
      expect(athleteZones(null, NOW)).toMatchObject({
        hrMax: 190,
        hrMaxSource: 'default',
        zonesDerived: true,
      });
      expect(athleteZones({ hrMax: 0, birthYear: 1990 }, NOW).hrMaxSource).toBe('estimated');
      // A birth year whose estimate is not a heart rate falls back to the default.
      expect(athleteZones({ birthYear: 0 }, NOW)).toMatchObject({ hrMax: 190, hrMaxSource: 'default' });
    });

    it('derives Karvonen zones with a valid HR rest, % of HR max without one', () => {
      const k = athleteZones({ hrMax: 190, hrRest: 52 }, NOW);
      expect(k.hrRest).toBe(52);
      expect(bounds(k)).toEqual([
        [121, 135],
        [135, 149],
        [149, 162],
        [162, 176],
        [176, 190],
      ]);
      expect(zoneOf(115, k.zones)).toBe(0);
      const pct = athleteZones({ hrMax: 190 }, NOW);
      expect(pct.zones[0]).toMatchObject({ min: 95, max: 114 });
      // An HR rest at or above HR max is ignored rather than inverting the zones.
      const bad = athleteZones({ hrMax: 150, hrRest: 160 }, NOW);
      expect(bad.hrRest).toBeNull();
      expect(bounds(bad)).toEqual(bounds(athleteZones({ hrMax: 150 }, NOW)));
    });

    it('uses stored bounds with zone 1 starting at the same minimum the derived zones have', () => {
      const upper = [130, 145, 160, 172, 188];
      const withRest = athleteZones({ hrMax: 190, hrRest: 52, hrZones: upper }, NOW);
      expect(withRest.zonesDerived).toBe(false);
      expect(withRest.zones.map((z) => z.max)).toEqual(upper);
      expect(withRest.zones[0]!.min).toBe(athleteZones({ hrMax: 190, hrRest: 52 }, NOW).zones[0]!.min);
      expect(zoneOf(115, withRest.zones)).toBe(0);
      expect(zoneOf(121, withRest.zones)).toBe(1);
      const noRest = athleteZones({ hrMax: 190, hrZones: upper }, NOW);
      expect(noRest.zones[0]).toMatchObject({ min: 95, max: 130 });
      expect(zoneOf(115, noRest.zones)).toBe(1);
    });

    it('starts zone 1 just below a stored zone-1 top that is not above the derived minimum', () => {
      const a = athleteZones({ hrMax: 190, hrRest: 60, hrZones: [118, 140, 155, 170, 185] }, NOW);
      expect(a.zones[0]).toMatchObject({ min: 117, max: 118 });
    });

    it('ignores stored bounds that are not 5 ascending numbers', () => {
      const derived = bounds(athleteZones({ hrMax: 190, hrRest: 52 }, NOW));
      for (const hrZones of [[], [120, 140], [120, 110, 160, 175, 190], [120, 140, 140, 175, 190]]) {
        const a = athleteZones({ hrMax: 190, hrRest: 52, hrZones }, NOW);
        expect(a.zonesDerived, JSON.stringify(hrZones)).toBe(true);
        expect(bounds(a)).toEqual(derived);
      }
    });
  });
});
