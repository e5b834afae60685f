import { describe, expect, it } from 'vitest';
import { haversineDistance, pathLength } from '../src/geo.ts';
import {
  createSimulatedAthlete,
  DEFAULT_ROUTE_CENTER,
  defaultEffortPlan,
  mulberry32,
  ovalRoute,
  type SimulatedSample,
} from '../src/simulation.ts';

function run(
  n: number,
  opts: Partial<Parameters<typeof createSimulatedAthlete>[0]> = {},
): (SimulatedSample | null)[] {
  const a = createSimulatedAthlete({ seed: 42, hrMax: 195, hrRest: 55, ...opts });
  return Array.from({ length: n }, () => a.step(1));
}

describe('mulberry32', () => {
  it('is deterministic per seed and uniform-ish', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const xs = Array.from({ length: 10_000 }, () => a());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
  });
});

describe('ovalRoute', () => {
  it('builds a closed 400 m track', () => {
    expect(pathLength(ovalRoute(DEFAULT_ROUTE_CENTER), true)).toBeCloseTo(400, -0.5);
  });
});

describe('simulated athlete', () => {
  it('is deterministic per seed and differs across seeds', () => {
    expect(run(120)).toEqual(run(120));
    expect(run(120, { seed: 43 })).not.toEqual(run(120));
  });

  it('HR lags a step in effort by tens of seconds', () => {
    const plan = [
      { label: 'steady' as const, durationS: 120, effort: 0.2, speed: 2 },
      { label: 'interval' as const, durationS: 300, effort: 0.9, speed: 5 },
    ];
    const s = run(420, { plan, repeat: false, hrNoiseBpm: 0 }) as SimulatedSample[];
    const target = 55 + 0.9 * 140;
    const atStep = s[119]!.hr;
    expect(s[124]!.hr).toBeLessThan(atStep + 0.4 * (target - atStep)); // 5 s later: far from target
    expect(s[149]!.hr).toBeGreaterThan(atStep + 0.5 * (target - atStep)); // 30 s: more than half way
    expect(s[149]!.hr).toBeLessThan(target - 5);
    expect(s[299]!.hr).toBeGreaterThan(target - 3); // settled
    // monotone rise without noise
    for (let i = 121; i < 200; i++) expect(s[i]!.hr).toBeGreaterThanOrEqual(s[i - 1]!.hr);
  });

  it('integrates distance from speed', () => {
    const s = run(900) as SimulatedSample[];
    let integral = 0;
    for (let i = 1; i < s.length; i++) integral += ((s[i - 1]!.speed + s[i]!.speed) / 2) * 1;
    const last = s[s.length - 1]!;
    expect(Math.abs(last.distance - s[0]!.distance - integral)).toBeLessThan(1e-6);
    expect(last.distance).toBeGreaterThan(900 * 2); // ran at ≥ 2 m/s on average
  });

  it('moves along the route: GPS displacement matches distance', () => {
    const s = run(600) as SimulatedSample[];
    let gps = 0;
    for (let i = 1; i < s.length; i++) gps += haversineDistance(s[i - 1]!, s[i]!);
    const dist = s[s.length - 1]!.distance - s[0]!.distance;
    expect(Math.abs(gps - dist) / dist).toBeLessThan(0.02);
    // stays on a 400 m track: within ~100 m of the centre
    for (const p of s) expect(haversineDistance(p, DEFAULT_ROUTE_CENTER)).toBeLessThan(80);
  });

  it('produces RR intervals consistent with HR', () => {
    const s = run(900, { hrNoiseBpm: 0 }) as SimulatedSample[];
    let beats = 0;
    for (const x of s.slice(60)) {
      for (const rr of x.rr) {
        expect(Math.abs(rr - 60_000 / x.hr) / (60_000 / x.hr)).toBeLessThan(0.1);
        beats++;
      }
    }
    const meanHr = s.slice(60).reduce((a, x) => a + x.hr, 0) / (s.length - 60);
    expect(beats).toBeGreaterThan(((s.length - 60) * meanHr) / 60 - 5);
    expect(beats).toBeLessThan(((s.length - 60) * meanHr) / 60 + 5);
  });

  it('follows the default plan: warm-up, intervals, cool-down', () => {
    const plan = defaultEffortPlan({ intervals: 2 });
    expect(plan.map((p) => p.label)).toEqual([
      'warmup',
      'interval',
      'recovery',
      'interval',
      'recovery',
      'cooldown',
    ]);
    const s = run(1500, { plan, repeat: false }) as SimulatedSample[];
    expect(s[700]!.phase).toBe('interval');
    expect(s[775]!.hr).toBeGreaterThan(s[500]!.hr + 15); // end of the first work bout vs warm-up
    expect(s[895]!.hr).toBeLessThan(s[775]!.hr - 15); // end of the recovery
  });

  it('injects dropouts and spikes when asked', () => {
    const s = run(2000, {
      faults: { dropoutProbability: 0.01, dropoutSeconds: 10, spikeProbability: 0.01, spikeBpm: 60 },
    });
    const missing = s.filter((x) => x === null).length;
    expect(missing).toBeGreaterThan(50);
    const spikes = s.filter((x) => x?.fault === 'spike');
    expect(spikes.length).toBeGreaterThan(5);
    expect(run(2000).every((x) => x !== null && x.fault === undefined)).toBe(true);
  });
});

describe('simulated athlete sessions', () => {
  const steady = (effort: number, durationS = 600) => [
    { label: 'steady' as const, durationS, effort, speed: 3 },
  ];

  it('drifts upwards over a steady effort when asked', () => {
    const flat = run(3600, { plan: steady(0.7, 3600), hrNoiseBpm: 0 }) as SimulatedSample[];
    const drifting = run(3600, {
      plan: steady(0.7, 3600),
      hrNoiseBpm: 0,
      driftBpmPerHour: 10,
    }) as SimulatedSample[];
    expect(flat[3599]!.hr - flat[600]!.hr).toBeLessThanOrEqual(1);
    // 10 bpm an hour at full effort, scaled by 0.7 effort: about 6 bpm over the last 50 minutes.
    expect(drifting[3599]!.hr - drifting[600]!.hr).toBeGreaterThanOrEqual(5);
    expect(drifting[3599]!.hr - drifting[600]!.hr).toBeLessThanOrEqual(7);
  });

  it('starts part-way into a session with HR already there', () => {
    const plan = [...steady(0.2, 300), ...steady(0.9, 300)];
    const [first] = run(1, { plan, startAtS: 400, hrNoiseBpm: 0 }) as SimulatedSample[];
    expect(first!.hr).toBeGreaterThan(55 + 0.85 * 140);
  });

  it('rests with the sensor off between sessions, then runs the next plan', () => {
    const s = run(1000, {
      plan: steady(0.5, 300),
      nextPlan: (n) => steady(n === 2 ? 0.9 : 0.3, 300),
      restS: 120,
      hrNoiseBpm: 0,
    });
    expect(s.slice(0, 300).every((x) => x?.session === 1)).toBe(true);
    expect(s.slice(300, 420).every((x) => x === null)).toBe(true);
    expect(s[420]).toMatchObject({ session: 2 });
    expect(s[719]!.hr).toBeGreaterThan(55 + 0.85 * 140);
    expect(s[720]).toBeNull();
    expect(s[840]).toMatchObject({ session: 3 });
  });
});
