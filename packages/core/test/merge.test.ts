import { describe, expect, it } from 'vitest';
import { mergeDaily } from '../src/merge.ts';

describe('mergeDaily', () => {
  it('takes each metric from the first source that has it', () => {
    const r = mergeDaily(
      {
        garmin: { restingHr: 48, steps: 12000, hrvRmssdMs: null },
        whoop: { restingHr: 50, hrvRmssdMs: 72, recoveryScore: 80 },
        live: { trainingLoad: 140 },
      },
      ['whoop', 'garmin', 'live'],
    );
    expect(r.metrics).toEqual({
      restingHr: 50,
      hrvRmssdMs: 72,
      recoveryScore: 80,
      steps: 12000,
      trainingLoad: 140,
    });
    expect(r.sources).toEqual({
      restingHr: 'whoop',
      hrvRmssdMs: 'whoop',
      recoveryScore: 'whoop',
      steps: 'garmin',
      trainingLoad: 'live',
    });
  });

  it('ranks sources missing from the precedence after it, alphabetically', () => {
    const r = mergeDaily({ whoop: { strain: 12 }, garmin: { strain: 10 }, file: { strain: 9 } }, ['file']);
    expect(r.sources.strain).toBe('file');
    expect(mergeDaily({ whoop: { strain: 12 }, garmin: { strain: 10 } }, []).sources.strain).toBe('garmin');
  });

  it('skips NaN and empty rows', () => {
    const r = mergeDaily({ whoop: { strain: Number.NaN }, garmin: null, live: { strain: 3 } }, [
      'whoop',
      'garmin',
    ]);
    expect(r).toEqual({ metrics: { strain: 3 }, sources: { strain: 'live' } });
  });
});
