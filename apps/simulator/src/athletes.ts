import { createSimulatedAthlete, defaultEffortPlan, type SimulatedAthlete } from '@athlete/core';
import type { OutSample } from './stream.ts';

/**
 * A simulated athlete: core's physiology model (HR lag, RR intervals, GPS on a track) with
 * occasional dropouts and spikes so alerts fire. Deterministic per index.
 */
export class SimulatedRunner {
  readonly model: SimulatedAthlete;

  constructor(
    readonly athleteId: string | undefined,
    index: number,
    faults = true,
  ) {
    this.model = createSimulatedAthlete({
      seed: 1_000 + index,
      hrMax: 180 + (index % 20),
      hrRest: 48 + (index % 12),
      startOffsetM: (index * 37) % 400,
      plan: defaultEffortPlan({ intervals: 6, speedScale: 0.9 + (index % 5) * 0.05 }),
      faults: faults
        ? { dropoutProbability: 0.0005, dropoutSeconds: 20, spikeProbability: 0.002, spikeBpm: 50 }
        : {},
    });
  }

  /** Advances by dt seconds; null while the simulated sensor is silent. */
  next(dtSeconds: number, nowMs: number): Omit<OutSample, 'seq'> | null {
    const s = this.model.step(dtSeconds);
    if (!s) return null;
    return {
      ...(this.athleteId ? { athleteId: this.athleteId } : {}),
      ts: nowMs,
      hr: Math.max(25, Math.min(250, s.hr)),
      ...(s.rr.length > 0 ? { rr: s.rr.filter((v) => v >= 200 && v <= 3000).slice(0, 20) } : {}),
      speed: Math.round(s.speed * 100) / 100,
      cadence: s.cadence,
      distance: Math.round(s.distance * 10) / 10,
      lat: s.lat,
      lon: s.lon,
      alt: Math.round(s.alt * 10) / 10,
    };
  }
}
