import { describe, expect, it } from 'vitest';
import { banisterTrimp } from '../src/load.ts';
import { SessionAccumulator, type SessionSample, summariseSession } from '../src/summary.ts';

const T0 = Date.UTC(2025, 4, 1, 8, 0, 0);
const profile = { hrMax: 200, sex: 'male' as const };

describe('summariseSession', () => {
  it('summarises a steady 1 Hz session with cumulative distance', () => {
    const samples: SessionSample[] = Array.from({ length: 601 }, (_, i) => ({
      ts: T0 + i * 1000,
      hr: 150,
      speed: 3,
      distance: i * 3,
      alt: 10,
    }));
    const s = summariseSession(samples, profile);
    expect(s.durationS).toBe(600);
    expect(s.distanceM).toBe(1800);
    expect(s.avgHr).toBe(150);
    expect(s.maxHr).toBe(150);
    expect(s.avgSpeed).toBe(3);
    expect(s.maxSpeed).toBe(3);
    expect(s.timeInZonesS).toEqual([0, 0, 600, 0, 0]); // 150 bpm = 75 % of 200 → zone 3
    expect(s.trimp).toBeCloseTo(
      banisterTrimp(new Array(600).fill(150), { hrMax: 200, hrRest: 60, sex: 'male' }),
      8,
    );
    expect(s.sampleCount).toBe(601);
  });

  it('integrates speed when there is no cumulative distance', () => {
    const samples = Array.from({ length: 11 }, (_, i) => ({ ts: T0 + i * 1000, speed: 2 }));
    expect(summariseSession(samples, profile).distanceM).toBe(20);
  });

  it('credits a sample after a gap with at most 5 s', () => {
    const s = summariseSession(
      [
        { ts: T0, hr: 185 },
        { ts: T0 + 1000, hr: 185 },
        { ts: T0 + 61_000, hr: 185 }, // 60 s dropout
        { ts: T0 + 62_000, hr: 185 },
      ],
      profile,
    );
    expect(s.timeInZonesS[4]).toBe(1 + 5 + 1);
    expect(s.durationS).toBe(62);
  });

  it('credits a recorded file nothing across a 10-minute pause, so zones stay within moving time', () => {
    // 300 one-second steps, a 600 s pause, 300 more: moving time is 600 s (gaps over 10 s left out).
    const run = (fromS: number) =>
      Array.from({ length: 301 }, (_, i) => ({ ts: T0 + (fromS + i) * 1000, hr: 150, speed: 2 }));
    const samples = [...run(0), ...run(900)];
    const movingS = 600;
    const s = summariseSession(samples, profile, { mode: 'until-next', maxS: 10 });
    const zonedS = s.timeInZonesS.reduce((a, b) => a + b, 0) + s.timeBelowZonesS;
    expect(zonedS).toBeLessThanOrEqual(movingS);
    expect(s.timeInZonesS).toEqual([0, 0, 600, 0, 0]);
    expect(s.trimp).toBeCloseTo(
      banisterTrimp(new Array(600).fill(150), { hrMax: 200, hrRest: 60, sex: 'male' }),
      8,
    );
    expect(s.distanceM).toBe(1200);
    expect(s.durationS).toBe(1200);
  });

  it('sorts input, ignores duplicates and handles a distance reset', () => {
    const s = summariseSession(
      [
        { ts: T0 + 2000, distance: 20 },
        { ts: T0, distance: 0 },
        { ts: T0 + 1000, distance: 10 },
        { ts: T0 + 1000, distance: 10 },
        { ts: T0 + 3000, distance: 5 }, // sensor reset
        { ts: T0 + 4000, distance: 15 },
      ],
      profile,
    );
    expect(s.sampleCount).toBe(5);
    expect(s.distanceM).toBe(30);
    expect(s.avgHr).toBeNull();
    expect(s.trimp).toBeNull();
  });

  it('counts elevation gain above the noise band', () => {
    const alts = [100, 101, 100, 101, 100, 103, 106, 104, 110, 109.5, 110];
    const s = summariseSession(
      alts.map((alt, i) => ({ ts: T0 + i * 1000, alt })),
      profile,
    );
    expect(s.elevationGainM).toBe(12); // 100 → 106, then 104 → 110; ±1 m wobble ignored
  });

  it('puts HR below zone 1 into timeBelowZonesS', () => {
    const s = summariseSession(
      [
        { ts: T0, hr: 70 },
        { ts: T0 + 1000, hr: 70 },
      ],
      profile,
    );
    expect(s.timeBelowZonesS).toBe(1);
    expect(s.timeInZonesS).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('SessionAccumulator', () => {
  it('matches the batch summary sample by sample', () => {
    const samples = Array.from({ length: 120 }, (_, i) => ({
      ts: T0 + i * 1000,
      hr: 120 + (i % 40),
      speed: 2 + (i % 7) / 10,
      power: 200 + i,
      cadence: 170,
    }));
    const acc = new SessionAccumulator({ hrMax: 190, hrRest: 50 });
    for (const s of samples) expect(acc.add(s)).toBe(true);
    expect(acc.add(samples[5]!)).toBe(false);
    expect(acc.snapshot()).toEqual(summariseSession(samples, { hrMax: 190, hrRest: 50 }));
    expect(acc.snapshot().maxPower).toBe(319);
    expect(acc.snapshot().avgCadence).toBe(170);
  });

  it('gives an empty summary before any sample', () => {
    const s = new SessionAccumulator(profile).snapshot();
    expect(s).toMatchObject({ durationS: 0, distanceM: 0, avgHr: null, startTs: null, sampleCount: 0 });
  });
});
