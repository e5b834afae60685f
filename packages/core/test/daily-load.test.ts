import { describe, expect, it } from 'vitest';
import { dailyLoads, type LoadSession, sessionLoads, sessionTrimp } from '../src/daily-load.ts';
import { banisterTrimpIncrement } from '../src/load.ts';

const profile = { hrMax: 200, hrRest: 60, sex: 'male' as const };
const t = (iso: string) => Date.parse(iso);
const session = (
  p: Partial<LoadSession> & { id: string; source: string; startedAt: number },
): LoadSession => ({
  endedAt: p.startedAt + 3_600_000,
  durationS: 3600,
  avgHr: null,
  trimp: null,
  ...p,
});

describe('session TRIMP', () => {
  it('takes the samples’ TRIMP, else Banister on average HR × duration, else none', () => {
    expect(sessionTrimp(session({ id: 'a', source: 'live', startedAt: 0, trimp: 88 }), profile)).toEqual({
      load: 88,
      method: 'samples',
    });
    // 60 min at 130 bpm: x = 0.5, 60 × 0.5 × 0.64 e^0.96.
    const avg = sessionTrimp(session({ id: 'b', source: 'whoop', startedAt: 0, avgHr: 130 }), profile);
    expect(avg.method).toBe('avg-hr');
    expect(avg.load).toBeCloseTo(60 * 0.5 * 0.64 * Math.exp(0.96), 10);
    expect(avg.load).toBeCloseTo(banisterTrimpIncrement(130, 3600, profile), 10);
    expect(sessionTrimp(session({ id: 'c', source: 'manual', startedAt: 0 }), profile)).toEqual({
      load: null,
      method: 'none',
    });
  });
});

describe('counting each activity once', () => {
  it('counts the same ride from Garmin and a file once, by precedence, and says which', () => {
    const loads = sessionLoads(
      [
        session({ id: 'file', source: 'file', startedAt: t('2026-11-30T07:00:00Z'), trimp: 100 }),
        session({ id: 'garmin', source: 'garmin', startedAt: t('2026-11-30T07:00:30Z'), trimp: 98 }),
        session({ id: 'evening', source: 'file', startedAt: t('2026-11-30T18:00:00Z'), trimp: 40 }),
      ],
      profile,
      ['whoop', 'garmin', 'live', 'file'],
    );
    expect(loads.map((l) => [l.id, l.counted, l.duplicateOf])).toEqual([
      ['file', false, 'garmin'],
      ['garmin', true, null],
      ['evening', true, null],
    ]);
    expect(dailyLoads(loads, '2026-11-29', '2026-12-01')).toEqual([0, 138, 0]);
  });

  it('keeps sessions that overlap by less than half of the shorter one apart', () => {
    const loads = sessionLoads(
      [
        session({ id: 'a', source: 'live', startedAt: t('2026-11-30T07:00:00Z'), trimp: 50 }),
        // starts 40 min into a's hour: overlap 20 min < 30 min
        session({ id: 'b', source: 'garmin', startedAt: t('2026-11-30T07:40:00Z'), trimp: 60 }),
      ],
      profile,
      ['garmin', 'live'],
    );
    expect(loads.every((l) => l.counted)).toBe(true);
  });

  it('prefers a session with a load over one without among equal sources', () => {
    const loads = sessionLoads(
      [
        session({ id: 'nohr', source: 'file', startedAt: t('2026-11-30T07:00:00Z') }),
        session({ id: 'hr', source: 'file', startedAt: t('2026-11-30T07:00:05Z'), trimp: 70 }),
      ],
      profile,
      [],
    );
    expect(loads.find((l) => l.counted)?.id).toBe('hr');
  });
});

describe('the day a session counts on', () => {
  const evening = [
    session({ id: 'mon-pm', source: 'live', startedAt: t('2026-06-02T01:00:00Z'), trimp: 70 }),
  ];

  it('is the athlete’s local day: Monday 18:00 in Los Angeles counts on Monday', () => {
    const loads = sessionLoads(evening, profile, ['live'], 'America/Los_Angeles');
    expect(loads[0]!.date).toBe('2026-06-01');
    expect(dailyLoads(loads, '2026-06-01', '2026-06-02')).toEqual([70, 0]);
  });

  it('is the UTC day without a zone', () => {
    const loads = sessionLoads(evening, profile, ['live']);
    expect(loads[0]!.date).toBe('2026-06-02');
    expect(dailyLoads(loads, '2026-06-01', '2026-06-02')).toEqual([0, 70]);
  });
});
