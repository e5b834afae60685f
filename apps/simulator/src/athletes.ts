import { type AthleteTraits, createTeamAthlete, type SimulatedAthlete } from '@athlete/core';
import type { OutSample } from './stream.ts';

/** The seed of the index-th simulated athlete: the CLI and setup agree on it. */
export const runnerSeed = (index: number) => 1_000 + index;

export interface RunnerOptions {
  /** Simulated dropouts and HR spikes so alerts fire (default true). */
  faults?: boolean;
  /** Seconds of rest between sessions (sensor off); 0 = sessions follow each other. */
  restS?: number;
}

/**
 * A simulated athlete: core's team model (own fitness, HR response and pace, sessions of their
 * own shape, started at their own point) with occasional dropouts and spikes so alerts fire.
 * Deterministic per index.
 */
export class SimulatedRunner {
  readonly model: SimulatedAthlete;
  readonly traits: AthleteTraits;

  constructor(
    readonly athleteId: string | undefined,
    index: number,
    options: RunnerOptions | boolean = {},
  ) {
    const { faults = true, restS = 0 } = typeof options === 'boolean' ? { faults: options } : options;
    const { model, traits } = createTeamAthlete(runnerSeed(index), {
      // ±25 % around the asked rest, so athletes who stopped together do not restart together.
      rest: restS > 0 ? { minS: restS * 0.75, maxS: restS * 1.25 } : null,
      faults: faults
        ? { dropoutProbability: 0.0005, dropoutSeconds: 20, spikeProbability: 0.002, spikeBpm: 50 }
        : {},
    });
    this.model = model;
    this.traits = traits;
  }

  /** Advances by dt seconds; null while the simulated sensor is silent (a dropout or a rest). */
  next(dtSeconds: number, nowMs: number): Omit<OutSample, 'seq'> | null {
    const s = this.model.step(dtSeconds);
    if (!s) return null;
    // In place: the model's RR array is new each step and ours alone.
    let n = 0;
    for (const v of s.rr) if (v >= 200 && v <= 3000 && n < 20) s.rr[n++] = v;
    s.rr.length = n;
    return {
      ...(this.athleteId ? { athleteId: this.athleteId } : {}),
      ts: nowMs,
      hr: Math.max(25, Math.min(250, s.hr)),
      ...(n > 0 ? { rr: s.rr } : {}),
      speed: Math.round(s.speed * 100) / 100,
      cadence: s.cadence,
      distance: Math.round(s.distance * 10) / 10,
      lat: s.lat,
      lon: s.lon,
      alt: Math.round(s.alt * 10) / 10,
    };
  }
}
