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
  /**
   * The plan of each session after the first (`session` counts from 2), when repeating: each
   * session can differ. Without it the first plan repeats.
   */
  nextPlan?: (session: number) => readonly EffortSegment[];
  /**
   * Seconds of rest after each session when repeating (the sensor is off: `step` returns null,
   * HR falls back towards rest), so a server closes the session and a new one starts. Default 0.
   */
  restS?: number | ((session: number) => number);
  /** Seconds into the first session at which to start, with HR and speed already there. */
  startAtS?: number;
  /** Cardiac drift: bpm added per hour of session time at full effort (scaled by effort). */
  driftBpmPerHour?: number;
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
  /** Which session this sample belongs to, from 1 (a new one starts after each rest). */
  session: number;
  /** Set when this sample carries an injected artefact. */
  fault?: 'spike';
}

export interface SimulatedAthlete {
  /** Advances the model; null while an injected dropout keeps the sensor silent. */
  step(dtSeconds: number): SimulatedSample | null;
  readonly elapsedS: number;
  /** True between sessions (the sensor is off). */
  readonly resting: boolean;
}

export const DEFAULT_ROUTE_CENTER: LatLon = { lat: 51.5386, lon: -0.0166 };

export function createSimulatedAthlete(options: SimulatedAthleteOptions): SimulatedAthlete {
  const rand = mulberry32(options.seed);
  const route = options.route ?? ovalRoute(DEFAULT_ROUTE_CENTER, { alt: 12 });
  if (route.length < 2) throw new RangeError('route needs at least 2 waypoints');
  const { hrMax, hrRest } = options;
  if (!(hrMax > hrRest && hrRest > 0)) throw new RangeError('need 0 < hrRest < hrMax');
  const tauUp = options.tauUpS ?? 25;
  const tauDown = options.tauDownS ?? 45;
  const hrNoise = options.hrNoiseBpm ?? 1;
  const gpsNoise = options.gpsNoiseM ?? 0;
  const faults = options.faults ?? {};
  const repeat = options.repeat ?? true;
  const drift = (options.driftBpmPerHour ?? 0) / 3600;
  const restFor = (n: number): number => {
    const r = typeof options.restS === 'function' ? options.restS(n) : (options.restS ?? 0);
    return Number.isFinite(r) && r > 0 ? r : 0;
  };

  // Cumulative distance at each waypoint, closing the loop back to the first.
  const cumulative = [0];
  for (let i = 1; i <= route.length; i++) {
    cumulative.push(cumulative[i - 1]! + haversineDistance(route[i - 1]!, route[i % route.length]!));
  }
  const loopLength = cumulative[route.length]!;

  // The session being run; a cursor into its plan keeps every step O(1).
  let session = 1;
  let plan: readonly EffortSegment[] = [];
  let planLength = 0;
  const usePlan = (p: readonly EffortSegment[]) => {
    const length = p.reduce((s, seg) => s + seg.durationS, 0);
    if (p.length === 0 || !(length > 0)) throw new RangeError('effort plan is empty');
    plan = p;
    planLength = length;
  };
  usePlan(options.plan ?? defaultEffortPlan());
  let segIndex = 0;
  let segStart = 0; // session time at which plan[segIndex] starts
  let sessionT = 0;
  let restLeft = 0;

  /** The next session, `carryS` seconds into it (what one step overshot the last one by). */
  const beginNext = (carryS: number) => {
    session++;
    if (options.nextPlan) usePlan(options.nextPlan(session));
    segIndex = 0;
    segStart = 0;
    sessionT = carryS;
  };

  let elapsed = 0;
  let hr = hrRest + 0.1 * (hrMax - hrRest);
  let speed = 0;
  let distance = 0;
  let beatClock = 0; // seconds since the last completed beat
  let dropoutLeft = 0;
  let routeIndex = 0;

  /** Moves the cursor to session time `t` (forward only within a session; holds at the plan's end). */
  function seek(t: number): { seg: EffortSegment; frac: number } {
    if (t >= planLength) return { seg: plan[plan.length - 1]!, frac: 1 }; // not repeating: hold
    while (segIndex < plan.length - 1 && t >= segStart + plan[segIndex]!.durationS) {
      segStart += plan[segIndex]!.durationS;
      segIndex++;
    }
    const seg = plan[segIndex]!;
    return { seg, frac: Math.min(1, (t - segStart) / seg.durationS) };
  }

  const effortOf = (seg: EffortSegment, frac: number) =>
    seg.effort + ((seg.effortEnd ?? seg.effort) - seg.effort) * frac;
  const speedOf = (seg: EffortSegment, frac: number) =>
    seg.speed + ((seg.speedEnd ?? seg.speed) - seg.speed) * frac;

  if (options.startAtS && options.startAtS > 0) {
    sessionT = Math.min(options.startAtS, planLength - 1);
    const { seg, frac } = seek(sessionT);
    // Already running: HR and speed where this part of the session has brought them.
    hr = hrRest + effortOf(seg, frac) * (hrMax - hrRest);
    speed = speedOf(seg, frac);
  }

  function positionAt(d: number): Waypoint & { alt: number } {
    const along = (((d + (options.startOffsetM ?? 0)) % loopLength) + loopLength) % loopLength;
    // Distance only grows, so the waypoint cursor moves forward (wrapping once per lap).
    if (along < cumulative[routeIndex]!) routeIndex = 0;
    while (routeIndex < route.length - 1 && cumulative[routeIndex + 1]! <= along) routeIndex++;
    const i = routeIndex;
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
    get resting() {
      return restLeft > 0;
    },
    step(dt) {
      if (!(dt > 0)) throw new RangeError('dtSeconds must be positive');
      elapsed += dt;
      if (restLeft > 0) {
        // Between sessions: sensor off, HR recovering, standing still.
        hr += (hrRest - hr) * (1 - Math.exp(-dt / tauDown));
        speed = 0;
        restLeft -= dt;
        if (restLeft <= 0) beginNext(0);
        return null;
      }
      const { seg, frac } = seek(sessionT);
      const t = sessionT;
      const sessionNo = session;
      sessionT += dt;
      if (repeat && sessionT >= planLength) {
        const rest = restFor(session);
        if (rest > 0) restLeft = rest;
        else beginNext(sessionT - planLength);
      }
      const effort = effortOf(seg, frac);
      const targetSpeed = speedOf(seg, frac);

      // HR: first-order lag towards the effort's target (plus drift over the session), faster up than down.
      const targetHr = hrRest + effort * (hrMax - hrRest) + drift * t * effort;
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
        session: sessionNo,
      };
      if (fault) sample.fault = fault;
      return sample;
    },
  };
}
