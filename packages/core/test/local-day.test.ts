import { describe, expect, it } from 'vitest';
import { localDay, localDayRange } from '../src/index.ts';

const at = (iso: string) => Date.parse(iso);
const H = 3_600_000;

describe('localDay: the calendar day of an instant for a person', () => {
  it('Monday 18:00 in Los Angeles is Monday, though UTC says Tuesday', () => {
    expect(localDay(at('2026-06-02T01:00:00Z'), 'America/Los_Angeles')).toBe('2026-06-01');
    expect(localDay(at('2026-06-02T01:00:00Z'), null)).toBe('2026-06-02');
  });

  it('Tuesday 08:00 in Auckland is Tuesday, though UTC still says Monday', () => {
    expect(localDay(at('2026-06-01T20:00:00Z'), 'Pacific/Auckland')).toBe('2026-06-02');
    expect(localDay(at('2026-06-01T20:00:00Z'), undefined)).toBe('2026-06-01');
  });

  it('falls back to UTC for a zone the runtime does not know', () => {
    expect(localDay(at('2026-06-02T01:00:00Z'), 'Mars/Olympus_Mons')).toBe('2026-06-02');
    expect(localDay(at('2026-06-02T01:00:00Z'), '')).toBe('2026-06-02');
  });

  it('turns over at local midnight on both sides of a DST change', () => {
    // Los Angeles springs forward on 2026-03-08 (PST −8 → PDT −7) and falls back on 2026-11-01.
    expect(localDay(at('2026-03-08T07:59:59Z'), 'America/Los_Angeles')).toBe('2026-03-07');
    expect(localDay(at('2026-03-08T08:00:00Z'), 'America/Los_Angeles')).toBe('2026-03-08');
    expect(localDay(at('2026-03-09T06:59:59Z'), 'America/Los_Angeles')).toBe('2026-03-08');
    expect(localDay(at('2026-03-09T07:00:00Z'), 'America/Los_Angeles')).toBe('2026-03-09');
    expect(localDay(at('2026-11-02T07:59:59Z'), 'America/Los_Angeles')).toBe('2026-11-01');
    expect(localDay(at('2026-11-02T08:00:00Z'), 'America/Los_Angeles')).toBe('2026-11-02');
  });
});

describe('localDayRange: a local day with its bounds', () => {
  it('is 24 hours on an ordinary day, starting at local midnight', () => {
    const r = localDayRange(at('2026-06-02T03:00:00Z'), 'America/Los_Angeles');
    expect(r).toEqual({
      day: '2026-06-01',
      startMs: at('2026-06-01T07:00:00Z'),
      endMs: at('2026-06-02T07:00:00Z'),
    });
  });

  it('is 23 hours on a spring-forward day and 25 on a fall-back day', () => {
    const spring = localDayRange(at('2026-03-08T12:00:00Z'), 'America/Los_Angeles');
    expect(spring).toEqual({
      day: '2026-03-08',
      startMs: at('2026-03-08T08:00:00Z'),
      endMs: at('2026-03-09T07:00:00Z'),
    });
    expect(spring.endMs - spring.startMs).toBe(23 * H);
    const fall = localDayRange(at('2026-11-01T12:00:00Z'), 'America/Los_Angeles');
    expect(fall.endMs - fall.startMs).toBe(25 * H);
    // Auckland's autumn change (NZDT +13 → NZST +12) on 2026-04-05.
    const nz = localDayRange(at('2026-04-05T06:00:00Z'), 'Pacific/Auckland');
    expect(nz).toEqual({
      day: '2026-04-05',
      startMs: at('2026-04-04T11:00:00Z'),
      endMs: at('2026-04-05T12:00:00Z'),
    });
  });

  it('starts at 01:00 where the clocks skip midnight (Havana, 2026-03-08)', () => {
    const r = localDayRange(at('2026-03-08T12:00:00Z'), 'America/Havana');
    expect(r.day).toBe('2026-03-08');
    expect(r.startMs).toBe(at('2026-03-08T05:00:00Z'));
    expect(localDay(r.startMs - 1, 'America/Havana')).toBe('2026-03-07');
    expect(r.endMs - r.startMs).toBe(23 * H);
  });

  it('is the UTC day without a zone', () => {
    expect(localDayRange(at('2026-06-02T03:00:00Z'), null)).toEqual({
      day: '2026-06-02',
      startMs: at('2026-06-02T00:00:00Z'),
      endMs: at('2026-06-03T00:00:00Z'),
    });
  });

  it('agrees with localDay at every quarter hour over a year (bounds contain the instant)', () => {
    for (const zone of ['America/Los_Angeles', 'Pacific/Auckland', 'Asia/Kathmandu', 'Europe/London']) {
      for (let t = at('2026-01-01T00:00:00Z'); t < at('2027-01-01T00:00:00Z'); t += 11 * H + 15 * 60_000) {
        const r = localDayRange(t, zone);
        expect(r.day).toBe(localDay(t, zone));
        expect(t >= r.startMs && t < r.endMs).toBe(true);
        expect(localDay(r.startMs - 1, zone) < r.day && localDay(r.endMs, zone) > r.day).toBe(true);
      }
    }
  });
});
