import { SAMPLE_BOUNDS, type SampleField, sampleValueFits } from '@athlete/contracts';
import { athleteZones, type HrZone, zoneOf } from '@athlete/core';
import { describe, expect, it } from 'vitest';
import { SimulatedRunner } from '../src/athletes.ts';
import { simulatedProfile } from '../src/setup.ts';

const TEAM = 8;

interface Tick {
  hr: number | null;
  zone: number | null;
  speed: number | null;
}

/** `seconds` of 1 Hz samples for the first `n` runners, with the zones of their saved profile. */
function simulate(seconds: number, opts: { n?: number; restS?: number; faults?: boolean } = {}) {
  const runners = Array.from(
    { length: opts.n ?? TEAM },
    (_, i) => new SimulatedRunner(undefined, i, { faults: opts.faults ?? false, restS: opts.restS ?? 0 }),
  );
  const zones: HrZone[][] = runners.map((_, i) => athleteZones(simulatedProfile(i)).zones);
  const ticks: Tick[][] = runners.map(() => []);
  for (let t = 0; t < seconds; t++) {
    runners.forEach((r, i) => {
      const s = r.next(1, t * 1000);
      ticks[i]!.push(
        s
          ? { hr: s.hr!, zone: zoneOf(s.hr!, zones[i]!), speed: s.speed! }
          : { hr: null, zone: null, speed: null },
      );
    });
  }
  return { runners, ticks };
}

function correlation(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('simulated team', () => {
  it('gives each athlete their own fitness, HR max and rest, and pace', () => {
    const { runners, ticks } = simulate(20 * 60);
    const traits = runners.map((r) => r.traits);
    expect(new Set(traits.map((t) => t.hrRest)).size).toBeGreaterThanOrEqual(TEAM / 2);
    expect(new Set(traits.map((t) => t.hrMax)).size).toBeGreaterThanOrEqual(TEAM / 2);
    const restSpread = Math.max(...traits.map((t) => t.hrRest)) - Math.min(...traits.map((t) => t.hrRest));
    expect(restSpread).toBeGreaterThanOrEqual(8);
    // The fitter athlete has the lower resting HR and the quicker HR response.
    const byFitness = [...traits].sort((a, b) => a.fitness - b.fitness);
    expect(byFitness[0]!.hrRest).toBeGreaterThan(byFitness.at(-1)!.hrRest);
    expect(byFitness[0]!.tauUpS).toBeGreaterThan(byFitness.at(-1)!.tauUpS);
    // Pace: mean moving speed differs by more than 15 % between the slowest and the fastest.
    const meanSpeed = ticks.map((ts) => {
      const v = ts.map((t) => t.speed).filter((s): s is number => s !== null && s > 0.5);
      return v.reduce((s, x) => s + x, 0) / v.length;
    });
    expect(Math.max(...meanSpeed) / Math.min(...meanSpeed)).toBeGreaterThan(1.15);
  });

  it('does not move in lockstep: HR curves are uncorrelated and zones spread minute by minute', () => {
    const { ticks } = simulate(30 * 60);
    const hr = ticks.map((ts) => ts.map((t) => t.hr ?? 0));
    const rs: number[] = [];
    for (let i = 0; i < TEAM; i++) for (let j = i + 1; j < TEAM; j++) rs.push(correlation(hr[i]!, hr[j]!));
    const mean = rs.reduce((s, x) => s + x, 0) / rs.length;
    expect(Math.abs(mean)).toBeLessThan(0.4);
    expect(Math.max(...rs)).toBeLessThan(0.9);
    // Minute by minute the team is spread over zones: never 6 of 8 in one zone, 3+ zones on average.
    let distinct = 0;
    for (let t = 0; t < 30 * 60; t += 60) {
      const count = new Map<number | null, number>();
      for (const ts of ticks) count.set(ts[t]!.zone, (count.get(ts[t]!.zone) ?? 0) + 1);
      expect(Math.max(...count.values()), `minute ${t / 60}`).toBeLessThanOrEqual(5);
      distinct += count.size;
    }
    expect(distinct / 30).toBeGreaterThanOrEqual(3);
  });

  it('brings HR into zone 3 or above within minutes of an effort, not after ten minutes of zone 1', () => {
    const runners = Array.from(
      { length: TEAM },
      (_, i) => new SimulatedRunner(undefined, i, { faults: false }),
    );
    for (const [i, r] of runners.entries()) {
      const zones = athleteZones(simulatedProfile(i)).zones;
      let effortStart: number | null = null;
      let reachedAt: number | null = null;
      let efforts = 0;
      for (let t = 0; t < 90 * 60; t++) {
        const s = r.model.step(1)!;
        const work = s.phase === 'interval' || s.phase === 'steady';
        if (work && effortStart === null) {
          effortStart = t;
          reachedAt = null;
        }
        if (work && reachedAt === null && zoneOf(s.hr, zones) >= 3) reachedAt = t;
        if (!work && effortStart !== null) {
          // Each effort reaches zone 3+ and does so within 3 minutes of its start.
          expect(reachedAt, `athlete ${i} effort at ${effortStart} s`).not.toBeNull();
          expect(reachedAt! - effortStart).toBeLessThanOrEqual(180);
          efforts++;
          effortStart = null;
        }
      }
      expect(efforts).toBeGreaterThanOrEqual(2);
    }
    // The first ten minutes of a fresh team: most athletes have been in zone 3+ already.
    const { ticks } = simulate(10 * 60);
    const hot = ticks.filter((ts) => ts.some((t) => (t.zone ?? 0) >= 3)).length;
    expect(hot).toBeGreaterThanOrEqual(TEAM * 0.75);
  });

  it('keeps every sample within the ingest bounds, faults included', () => {
    const runners = Array.from({ length: TEAM }, (_, i) => new SimulatedRunner('a', i, { faults: true }));
    let checked = 0;
    let bad = 0;
    for (let t = 0; t < 2 * 3600; t++) {
      for (const r of runners) {
        const s = r.next(1, t * 1000);
        if (!s) continue;
        for (const f of Object.keys(SAMPLE_BOUNDS) as SampleField[]) {
          const v = (s as Record<string, unknown>)[f];
          if (f === 'rr') {
            if (v !== undefined) for (const x of v as number[]) if (!sampleValueFits('rr', x)) bad++;
          } else if (v !== undefined && !sampleValueFits(f, v)) bad++;
        }
        if (s.rr && s.rr.length > 20) bad++;
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(TEAM * 2 * 3600 * 0.95);
    expect(bad).toBe(0);
  });

  it('ends sessions and starts new ones after a rest with the sensor off', () => {
    const restS = 600;
    const runners = Array.from(
      { length: TEAM },
      (_, i) => new SimulatedRunner(undefined, i, { restS, faults: false }),
    );
    for (const r of runners) {
      const sessions = new Set<number>();
      let gap = 0;
      const gaps: number[] = [];
      for (let t = 0; t < 4 * 3600; t++) {
        const s = r.model.step(1);
        if (s) {
          sessions.add(s.session);
          if (gap > 0) gaps.push(gap);
          gap = 0;
        } else gap++;
      }
      expect(sessions.size).toBeGreaterThanOrEqual(3);
      // Rests are silent for 0.75–1.25 × restS, longer than the server's 300 s idle close.
      const rests = gaps.filter((g) => g > 300);
      expect(rests.length).toBe(sessions.size - 1);
      expect(gaps.every((g) => g > 300)).toBe(true); // no other silence without faults
      for (const g of rests) {
        expect(g).toBeGreaterThanOrEqual(restS * 0.75 - 1);
        expect(g).toBeLessThanOrEqual(restS * 1.25 + 1);
      }
    }
    // Without a rest the plans follow each other and the stream never pauses.
    const [continuous] = simulate(3 * 3600, { n: 1 }).ticks;
    expect(continuous!.every((t) => t.hr !== null)).toBe(true);
  });

  it('gives the same stream for the same seed and another for another', () => {
    const run = (index: number) => {
      const r = new SimulatedRunner('x', index, { faults: true, restS: 400 });
      return Array.from({ length: 3000 }, (_, t) => r.next(1, t * 1000));
    };
    expect(run(3)).toEqual(run(3));
    expect(run(4)).not.toEqual(run(3));
    expect(simulatedProfile(3)).toEqual(simulatedProfile(3));
    expect(simulatedProfile(4)).not.toEqual(simulatedProfile(3));
  });
});
