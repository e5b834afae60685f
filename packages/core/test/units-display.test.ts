import { describe, expect, it } from 'vitest';
import {
  canonicalTimeZone,
  distanceIn,
  elevationIn,
  isFootSport,
  paceSecondsPer,
  speedIn,
  UNIT_LABELS,
  weightIn,
  weightToKg,
} from '../src/units.ts';

describe('display unit conversions', () => {
  it('converts distance to km or miles (a marathon is 42.195 km = 26.219 mi)', () => {
    expect(distanceIn(42_195, 'metric')).toBeCloseTo(42.195, 6);
    expect(distanceIn(42_195, 'imperial')).toBeCloseTo(26.2188, 4);
    expect(distanceIn(1609.344, 'imperial')).toBe(1);
  });

  it('converts speed to km/h or mph', () => {
    expect(speedIn(10, 'metric')).toBeCloseTo(36, 9);
    expect(speedIn(10, 'imperial')).toBeCloseTo(22.3694, 4);
    expect(speedIn(1609.344 / 3600, 'imperial')).toBeCloseTo(1, 9);
  });

  it('gives pace per km or per mile, none when standing still', () => {
    expect(paceSecondsPer(4, 'metric')).toBe(250);
    expect(paceSecondsPer(4, 'imperial')).toBeCloseTo(402.336, 6);
    expect(paceSecondsPer(0, 'imperial')).toBeNull();
    expect(paceSecondsPer(-1, 'metric')).toBeNull();
  });

  it('converts elevation to feet and weight to pounds and back', () => {
    expect(elevationIn(100, 'metric')).toBe(100);
    expect(elevationIn(0.3048, 'imperial')).toBeCloseTo(1, 9);
    expect(elevationIn(1000, 'imperial')).toBeCloseTo(3280.84, 2);
    expect(weightIn(70, 'metric')).toBe(70);
    expect(weightIn(70, 'imperial')).toBeCloseTo(154.324, 3);
    expect(weightToKg(weightIn(72.5, 'imperial'), 'imperial')).toBeCloseTo(72.5, 9);
    expect(weightToKg(72.5, 'metric')).toBe(72.5);
  });

  it('labels each system', () => {
    expect(UNIT_LABELS.imperial).toEqual({
      distance: 'mi',
      speed: 'mph',
      pace: '/mi',
      elevation: 'ft',
      weight: 'lb',
    });
    expect(UNIT_LABELS.metric.pace).toBe('/km');
  });

  it('shows pace for foot sports only', () => {
    expect(['running', 'walking', 'hiking'].every(isFootSport)).toBe(true);
    expect(['cycling', 'swimming', 'rowing', 'strength'].some(isFootSport)).toBe(false);
    expect(isFootSport(null)).toBe(false);
  });

  it('accepts IANA time zones in their canonical spelling and rejects the rest', () => {
    expect(canonicalTimeZone('America/New_York')).toBe('America/New_York');
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    expect(canonicalTimeZone('Mars/Olympus_Mons')).toBeNull();
    expect(canonicalTimeZone('')).toBeNull();
  });
});
