/**
 * Deterministic athlete model for the simulator and demos: the same seed and inputs always give
 * the same stream. HR follows a planned effort with first-order lag, RR intervals match HR,
 * distance integrates speed and the position moves along a closed route.
 */
import { destinationPoint, haversineDistance, type LatLon } from './geo.ts';

/** mulberry32: a small, fast 32-bit seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal deviate from a uniform PRNG (Box–Muller). */
export function gaussian(rand: () => number): number {
  const u = Math.max(rand(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

export interface Waypoint extends LatLon {
  alt?: number;
}

/**
 * A closed oval like a 400 m athletics track (two straights joined by semicircular bends;
 * defaults give 400 m), as waypoints around `center`, the first straight heading `bearingDeg`.
 */
export function ovalRoute(
  center: LatLon,
  options: {
    straightM?: number;
    radiusM?: number;
    pointsPerBend?: number;
    bearingDeg?: number;
    alt?: number;
  } = {},
): Waypoint[] {
  const straight = options.straightM ?? 84.39;
  const radius = options.radiusM ?? (400 - 2 * straight) / (2 * Math.PI);
  const n = options.pointsPerBend ?? 24;
  const rot = ((options.bearingDeg ?? 0) * Math.PI) / 180;
  const local: [number, number][] = []; // [east, north] before rotation; straights run north
  for (let i = 0; i <= n; i++) {
    const a = Math.PI * (i / n); // top bend, from the east side over to the west side
    local.push([radius * Math.cos(a), straight / 2 + radius * Math.sin(a)]);
  }
  for (let i = 0; i <= n; i++) {
    const a = Math.PI + Math.PI * (i / n);
    local.push([radius * Math.cos(a), -straight / 2 + radius * Math.sin(a)]);
  }
  // East → north → west → south: counter-clockwise seen from above, the way tracks are run.
  return local.map(([e, nn]) => {
    const x = e * Math.cos(rot) + nn * Math.sin(rot);
    const y = -e * Math.sin(rot) + nn * Math.cos(rot);
    const p = destinationPoint(center, (Math.atan2(x, y) * 180) / Math.PI, Math.hypot(x, y));
    return options.alt === undefined ? p : { ...p, alt: options.alt };
  });
}

export interface EffortSegment {
  label: 'warmup' | 'interval' | 'recovery' | 'cooldown' | 'steady';
  durationS: number;
  /** Target intensity as a fraction of HR reserve (0 = rest, 1 = HR max). */
  effort: number;
  /** When set, effort ramps linearly from `effort` to this over the segment. */
  effortEnd?: number;
  /** Target speed m/s. */
  speed: number;
  speedEnd?: number;
}

/** Warm-up, `intervals` × (work, recovery), cool-down. */
export function defaultEffortPlan(
  options: { intervals?: number; workS?: number; recoveryS?: number; speedScale?: number } = {},
): EffortSegment[] {
  const k = options.speedScale ?? 1;
  const plan: EffortSegment[] = [
    { label: 'warmup', durationS: 600, effort: 0.35, effortEnd: 0.6, speed: 2.4 * k, speedEnd: 3.2 * k },
  ];
  for (let i = 0; i < (options.intervals ?? 6); i++) {
    plan.push({ label: 'interval', durationS: options.workS ?? 180, effort: 0.88, speed: 4.6 * k });
    plan.push({ label: 'recovery', durationS: options.recoveryS ?? 120, effort: 0.5, speed: 2.3 * k });
  }
  plan.push({
    label: 'cooldown',
    durationS: 300,
    effort: 0.4,
    effortEnd: 0.25,
    speed: 2.5 * k,
    speedEnd: 1.4 * k,
  });
  return plan;
}

export interface FaultOptions {
  /** Chance per simulated second that the sensor goes silent. */
  dropoutProbability?: number;
  dropoutSeconds?: number;
  /** Chance per emitted sample of a single-sample HR artefact. */
  spikeProbability?: number;
  spikeBpm?: number;
}

export interface SimulatedAthleteOptions {
  seed: number;
  hrMax: number;
  hrRest: number;
  /** Closed loop of waypoints (last joins first). Defaults to a 400 m track. */
  route?: readonly Waypoint[];
  plan?: readonly EffortSegment[];
  /** Start the plan again when it ends (default true); otherwise hold the last segment. */
  repeat?: boolean;
  /** Time constants (s) of the HR response when rising and falling. */
  tauUpS?: number;
  tauDownS?: number;
  /** SD of the beat-to-beat noise on displayed HR (bpm). */
  hrNoiseBpm?: number;
  /** SD of GPS position noise (m); 0 by default. */
  gpsNoiseM?: number;
  /** Metres along the route at which to start. */
  startOffsetM?: number;
  faults?: FaultOptions;
}

export interface SimulatedSample {
  /** Seconds since the start of the simulation. */
  elapsedS: number;
  hr: number;
  /** RR intervals (ms) of the beats completed during this step. */
  rr: number[];
  speed: number;
  cadence: number;
  /** Cumulative metres. */
  distance: number;
  lat: number;
  lon: number;
  alt: number;
  effort: number;
  phase: EffortSegment['label'];
  /** Set when this sample carries an injected artefact. */
  fault?: 'spike';
}

export interface SimulatedAthlete {
  /** Advances the model; null while an injected dropout keeps the sensor silent. */
  step(dtSeconds: number): SimulatedSample | null;
  readonly elapsedS: number;
}

export const DEFAULT_ROUTE_CENTER: LatLon = { lat: 51.5386, lon: -0.0166 };

export function createSimulatedAthlete(options: SimulatedAthleteOptions): SimulatedAthlete {
  const rand = mulberry32(options.seed);
  const route = options.route ?? ovalRoute(DEFAULT_ROUTE_CENTER, { alt: 12 });
  if (route.length < 2) throw new RangeError('route needs at least 2 waypoints');
  const plan = options.plan ?? defaultEffortPlan();
  const planLength = plan.reduce((s, seg) => s + seg.durationS, 0);
  if (plan.length === 0 || !(planLength > 0)) throw new RangeError('effort plan is empty');
  const { hrMax, hrRest } = options;
  if (!(hrMax > hrRest && hrRest > 0)) throw new RangeError('need 0 < hrRest < hrMax');
  const tauUp = options.tauUpS ?? 25;
  const tauDown = options.tauDownS ?? 45;
  const hrNoise = options.hrNoiseBpm ?? 1;
  const gpsNoise = options.gpsNoiseM ?? 0;
  const faults = options.faults ?? {};
  const repeat = options.repeat ?? true;

  // Cumulative distance at each waypoint, closing the loop back to the first.
  const cumulative = [0];
  for (let i = 1; i <= route.length; i++) {
    cumulative.push(cumulative[i - 1]! + haversineDistance(route[i - 1]!, route[i % route.length]!));
  }
  const loopLength = cumulative[route.length]!;

  let elapsed = 0;
  let hr = hrRest + 0.1 * (hrMax - hrRest);
  let speed = 0;
  let distance = 0;
  let beatClock = 0; // seconds since the last completed beat
  let dropoutLeft = 0;

  function segmentAt(t: number): { seg: EffortSegment; frac: number } {
    let local = repeat ? t % planLength : Math.min(t, planLength - 1e-9);
    for (const seg of plan) {
      if (local < seg.durationS) return { seg, frac: local / seg.durationS };
      local -= seg.durationS;
    }
    return { seg: plan[plan.length - 1]!, frac: 1 };
  }

  function positionAt(d: number): Waypoint & { alt: number } {
    const along = (((d + (options.startOffsetM ?? 0)) % loopLength) + loopLength) % loopLength;
    let i = 0;
    while (i < route.length - 1 && cumulative[i + 1]! <= along) i++;
    const a = route[i]!;
    const b = route[(i + 1) % route.length]!;
    const len = cumulative[i + 1]! - cumulative[i]!;
    const f = len > 0 ? (along - cumulative[i]!) / len : 0;
    const altA = a.alt ?? 0;
    const altB = b.alt ?? altA;
    return {
      lat: a.lat + (b.lat - a.lat) * f,
      lon: a.lon + (b.lon - a.lon) * f,
      alt: altA + (altB - altA) * f,
    };
  }

  return {
    get elapsedS() {
      return elapsed;
    },
    step(dt) {
      if (!(dt > 0)) throw new RangeError('dtSeconds must be positive');
      const { seg, frac } = segmentAt(elapsed);
      elapsed += dt;
      const effort = seg.effort + ((seg.effortEnd ?? seg.effort) - seg.effort) * frac;
      const targetSpeed = seg.speed + ((seg.speedEnd ?? seg.speed) - seg.speed) * frac;

      // HR: first-order lag towards the effort's target, faster up than down.
      const targetHr = hrRest + effort * (hrMax - hrRest);
      const tau = targetHr > hr ? tauUp : tauDown;
      hr += (targetHr - hr) * (1 - Math.exp(-dt / tau));

      // Speed settles within a few seconds; distance by the trapezoid rule.
      const prevSpeed = speed;
      speed += (targetSpeed - speed) * (1 - Math.exp(-dt / 3));
      speed = Math.max(0, speed + 0.03 * gaussian(rand) * Math.sqrt(dt));
      distance += ((prevSpeed + speed) / 2) * dt;

      // Beats completed during this step, each lasting 60000/HR ms with a little variability.
      const rr: number[] = [];
      beatClock += dt;
      for (;;) {
        const next = (60_000 / hr) * (1 + 0.015 * gaussian(rand));
        if (beatClock * 1000 < next) break;
        rr.push(Math.round(next));
        beatClock -= next / 1000;
      }

      const cadence = speed < 0.3 ? 0 : Math.round(Math.min(200, 140 + 9 * speed + gaussian(rand)));
      let pos = positionAt(distance);
      if (gpsNoise > 0) {
        pos = {
          ...destinationPoint(pos, rand() * 360, Math.abs(gaussian(rand)) * gpsNoise),
          alt: pos.alt,
        };
      }

      if (dropoutLeft > 0) {
        dropoutLeft -= dt;
        return null;
      }
      if (faults.dropoutProbability && rand() < 1 - (1 - faults.dropoutProbability) ** dt) {
        dropoutLeft = (faults.dropoutSeconds ?? 5) - dt;
        return null;
      }

      let shownHr = Math.round(hr + hrNoise * gaussian(rand));
      let fault: 'spike' | undefined;
      if (faults.spikeProbability && rand() < faults.spikeProbability) {
        shownHr += (rand() < 0.5 ? -1 : 1) * (faults.spikeBpm ?? 60);
        shownHr = Math.max(30, shownHr);
        fault = 'spike';
      }
      const sample: SimulatedSample = {
        elapsedS: elapsed,
        hr: shownHr,
        rr,
        speed,
        cadence,
        distance,
        lat: pos.lat,
        lon: pos.lon,
        alt: pos.alt,
        effort,
        phase: seg.label,
      };
      if (fault) sample.fault = fault;
      return sample;
    },
  };
}
