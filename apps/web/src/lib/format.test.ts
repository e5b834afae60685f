import { describe, expect, it } from 'vitest';
import {
  formatAgo,
  formatBpm,
  formatDistance,
  formatDuration,
  formatHoursMinutes,
  formatPace,
  formatPercent,
  formatSource,
  formatSpeed,
  formatSport,
  isoDay,
} from './format.ts';

describe('format', () => {
  it('formats durations with and without hours', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(75.9)).toBe('1:15');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(-1)).toBe('—');
  });

  it('formats sleep-like durations in hours and minutes', () => {
    expect(formatHoursMinutes(27_000)).toBe('7 h 30 min');
    expect(formatHoursMinutes(7200)).toBe('2 h');
    expect(formatHoursMinutes(1500)).toBe('25 min');
  });

  it('switches distance units at one kilometre', () => {
    expect(formatDistance(850.4)).toBe('850 m');
    expect(formatDistance(12_345)).toBe('12.35 km');
    expect(formatDistance(150_000)).toBe('150.0 km');
    expect(formatDistance(Number.NaN)).toBe('—');
  });

  it('converts m/s to km/h and to pace', () => {
    expect(formatSpeed(3.5)).toBe('12.6 km/h');
    expect(formatPace(4)).toBe('4:10 /km');
    expect(formatPace(0.2)).toBe('—');
  });

  it('formats bpm and percentages', () => {
    expect(formatBpm(151.6)).toBe('152 bpm');
    expect(formatBpm(undefined)).toBe('—');
    expect(formatPercent(0.873)).toBe('87 %');
    expect(formatPercent(0.873, 1)).toBe('87.3 %');
  });

  it('describes elapsed time coarsely', () => {
    const now = 1_000_000_000;
    expect(formatAgo(now - 500, now)).toBe('now');
    expect(formatAgo(now - 12_000, now)).toBe('12 s ago');
    expect(formatAgo(now - 5 * 60_000, now)).toBe('5 min ago');
    expect(formatAgo(now - 3 * 3_600_000, now)).toBe('3 h ago');
    expect(formatAgo(now - 2 * 86_400_000, now)).toBe('2 d ago');
    expect(formatAgo(null, now)).toBe('never');
  });

  it('keys days in UTC', () => {
    expect(isoDay(Date.UTC(2026, 0, 31, 23, 59))).toBe('2026-01-31');
  });

  it('names data sources as people write them', () => {
    expect(formatSource('whoop')).toBe('WHOOP');
    expect(formatSource('file')).toBe('File import');
    expect(formatSource('polar')).toBe('Polar');
    expect(formatSource(null)).toBe('—');
    expect(formatSource('manual')).toBe('Manual entry');
  });

  it('names sports in words', () => {
    expect(formatSport('team_sport')).toBe('Team sport');
    expect(formatSport('running')).toBe('Running');
    expect(formatSport(null)).toBe('Session');
  });
});
