import { describe, expect, it } from 'vitest';
import {
  canonicalTimeZone,
  distanceIn,
  elevationIn,
  isFootSport,
  isoInTimeZone,
  paceSecondsPer,
  speedIn,
  timeZoneOffsetMinutes,
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

describe('instants in a time zone', () => {
  it('writes local time with the zone offset, across a DST change', () => {
    expect(isoInTimeZone(new Date('2026-06-01T12:30:00Z'), 'America/New_York')).toBe(
      '2026-06-01T08:30:00.000-04:00',
    );
    expect(isoInTimeZone(new Date('2026-01-15T12:30:05.250Z'), 'America/New_York')).toBe(
      '2026-01-15T07:30:05.250-05:00',
    );
    // New York springs forward at 07:00 UTC on 8 March 2026.
    expect(isoInTimeZone(new Date('2026-03-08T06:59:59Z'), 'America/New_York')).toBe(
      '2026-03-08T01:59:59.000-05:00',
    );
    expect(isoInTimeZone(new Date('2026-03-08T07:00:00Z'), 'America/New_York')).toBe(
      '2026-03-08T03:00:00.000-04:00',
    );
    expect(isoInTimeZone(new Date('2026-06-01T12:30:00Z'), 'Asia/Kolkata')).toBe(
      '2026-06-01T18:00:00.000+05:30',
    );
    expect(isoInTimeZone(new Date('2026-06-01T12:30:00Z'), 'UTC')).toBe('2026-06-01T12:30:00.000+00:00');
    expect(timeZoneOffsetMinutes(Date.parse('2026-06-01T00:00:00Z'), 'Asia/Kathmandu')).toBe(345);
  });
});
