import { describe, expect, it } from 'vitest';
import { matchPlans, planCompliance, summarisePlans } from '../src/plan-match.ts';

const plan = (
  id: string,
  sport: string,
  extra: { date?: string; durationMin?: number; targetLoad?: number } = {},
) => ({
  id,
  date: extra.date ?? '2026-12-03',
  sport,
  durationMin: extra.durationMin ?? 60,
  targetLoad: extra.targetLoad ?? null,
});
const session = (
  id: string,
  sport: string | null,
  hour: number,
  extra: { date?: string; minutes?: number; load?: number | null } = {},
) => ({
  id,
  date: extra.date ?? '2026-12-03',
  startedAt: Date.parse(`${extra.date ?? '2026-12-03'}T${String(hour).padStart(2, '0')}:00:00Z`),
  sport,
  durationS: (extra.minutes ?? 60) * 60,
  load: extra.load ?? null,
});

describe('matchPlans', () => {
  it('pairs each plan with the earliest free session of its sport on its day', () => {
    const m = matchPlans(
      [plan('a', 'running'), plan('b', 'running'), plan('c', 'cycling')],
      [session('s2', 'running', 18), session('s1', 'running', 7), session('s3', 'cycling', 12)],
    );
    expect([m.get('a')?.sessionId, m.get('b')?.sessionId, m.get('c')?.sessionId]).toEqual(['s1', 's2', 's3']);
  });

  it('lets a session of unknown sport fulfil a plan only after every exact match', () => {
    const m = matchPlans(
      [plan('run', 'running'), plan('lift', 'strength')],
      [session('live', null, 6), session('run1', 'running', 9)],
    );
    expect(m.get('run')?.sessionId).toBe('run1');
    expect(m.get('lift')?.sessionId).toBe('live');
  });

  it('never matches another day or another known sport, and uses each session once', () => {
    const m = matchPlans(
      [plan('a', 'running'), plan('b', 'running'), plan('c', 'swimming')],
      [
        session('s1', 'running', 7, { date: '2026-12-04' }),
        session('s2', 'running', 8),
        session('s3', 'cycling', 9),
      ],
    );
    expect([...m.keys()]).toEqual(['a']);
    expect(m.get('a')?.sessionId).toBe('s2');
  });
});

describe('planCompliance', () => {
  it('uses load against a target load, minutes otherwise', () => {
    expect(planCompliance({ durationMin: 60, targetLoad: 80 }, { durationS: 2700, load: 60 })).toEqual({
      durationMin: 45,
      compliance: 0.75,
      complianceBasis: 'load',
    });
    // A target load but a session without heart rate: minutes are all there is.
    expect(planCompliance({ durationMin: 60, targetLoad: 80 }, { durationS: 5400, load: null })).toEqual({
      durationMin: 90,
      compliance: 1.5,
      complianceBasis: 'duration',
    });
  });
});

describe('summarisePlans', () => {
  it('counts planned and done, minutes and the mean compliance of done plans', () => {
    expect(
      summarisePlans([
        { durationMin: 60, done: { durationMin: 45, compliance: 0.75 } },
        { durationMin: 30, done: { durationMin: 30, compliance: 1.25 } },
        { durationMin: 40, done: null },
      ]),
    ).toEqual({ planned: 3, done: 2, plannedMin: 130, doneMin: 75, compliance: 1 });
    expect(summarisePlans([])).toEqual({ planned: 0, done: 0, plannedMin: 0, doneMin: 0, compliance: null });
  });
});
