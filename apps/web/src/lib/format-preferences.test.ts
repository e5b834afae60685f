import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  formatDateTime,
  formatDistance,
  formatElevation,
  formatPace,
  formatPaceFor,
  formatShortTime,
  formatSpeed,
  formatWeight,
  parseZonedInput,
  setDisplayPreferences,
  todayKey,
  unitLabels,
  zonedInputValue,
} from './format.ts';

describe('format with a person’s units and time zone', () => {
  afterEach(() => setDisplayPreferences({ units: 'metric', timeZone: null }));

  it('shows imperial units when chosen, metric otherwise', () => {
    setDisplayPreferences({ units: 'imperial', timeZone: null });
    expect(formatDistance(10_000)).toBe('6.21 mi');
    expect(formatDistance(400)).toBe('0.25 mi');
    expect(formatSpeed(10)).toBe('22.4 mph');
    // 4 m/s: 1609.344 / 4 = 402.3 s → 6:42 per mile.
    expect(formatPace(4)).toBe('6:42 /mi');
    expect(formatElevation(100)).toBe('328 ft');
    expect(formatWeight(70)).toBe('154.3 lb');
    expect(unitLabels().distance).toBe('mi');

    setDisplayPreferences({ units: 'metric', timeZone: null });
    expect(formatDistance(10_000)).toBe('10.00 km');
    expect(formatSpeed(10)).toBe('36.0 km/h');
    expect(formatPace(4)).toBe('4:10 /km');
    expect(formatElevation(100)).toBe('100 m');
    expect(formatWeight(70)).toBe('70.0 kg');
  });

  it('shows pace for foot sports only', () => {
    expect(formatPaceFor('running', 4)).toBe('4:10 /km');
    expect(formatPaceFor('hiking', 1.2)).toBe('13:53 /km');
    expect(formatPaceFor('cycling', 8)).toBe('—');
    expect(formatPaceFor(null, 4)).toBe('—');
  });

  it('shows times in the chosen zone', () => {
    const instant = '2026-06-01T12:30:00Z';
    setDisplayPreferences({ units: 'metric', timeZone: 'America/New_York' });
    expect(formatShortTime(instant)).toMatch(/08:30|8:30/);
    expect(formatDateTime(instant)).toMatch(/08:30|8:30/);
    setDisplayPreferences({ units: 'metric', timeZone: 'Asia/Tokyo' });
    expect(formatShortTime(instant)).toMatch(/21:30|9:30/);
  });
});

describe('date-time inputs on the person’s clock', () => {
  afterEach(() => setDisplayPreferences({ units: 'metric', timeZone: null }));

  it('shows and reads a datetime-local value in the chosen zone', () => {
    setDisplayPreferences({ units: 'metric', timeZone: 'America/New_York' });
    expect(zonedInputValue(Date.parse('2026-06-01T12:30:00Z'))).toBe('2026-06-01T08:30');
    expect(new Date(parseZonedInput('2026-06-01T08:30')).toISOString()).toBe('2026-06-01T12:30:00.000Z');
    // Winter: UTC−5; right after the spring change: UTC−4.
    expect(new Date(parseZonedInput('2026-01-15T07:30')).toISOString()).toBe('2026-01-15T12:30:00.000Z');
    expect(new Date(parseZonedInput('2026-03-08T03:30')).toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(parseZonedInput('yesterday')).toBeNaN();
  });
});

describe('today as the server counts days', () => {
  afterEach(() => {
    setDisplayPreferences({ units: 'metric', timeZone: null });
    vi.useRealTimers();
  });

  it('is the chosen zone’s date, and UTC’s with the browser’s zone', () => {
    vi.useFakeTimers({ now: Date.parse('2026-06-02T02:00:00Z'), toFake: ['Date'] }); // Mon 19:00 in LA
    expect(todayKey()).toBe('2026-06-02');
    setDisplayPreferences({ units: 'metric', timeZone: 'America/Los_Angeles' });
    expect(todayKey()).toBe('2026-06-01');
  });
});
