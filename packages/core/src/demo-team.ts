/**
 * A simulated team that looks like one: each athlete draws their own traits from a seed
 * (fitness, age, HR max and rest, how fast HR answers effort, pace), runs sessions of their own
 * shape (warm-up, a main set, cool-down), starts at a different point of the first one, and
 * rests between sessions so sessions end and the history grows. Same seed, same stream.
 */
import {
  createSimulatedAthlete,
  type EffortSegment,
  type FaultOptions,
  gaussian,
  mulberry32,
  type SimulatedAthlete,
} from './simulation.ts';
import { estimateHrMax } from './zones.ts';

export interface AthleteTraits {
  /** 0 (untrained) … 1 (well trained): lowers resting HR, speeds up HR response and pace. */
  fitness: number;
  birthYear: number;
  sex: 'female' | 'male';
  weightKg: number;
  hrMax: number;
  hrRest: number;
  /** Time constants (s) of the HR response rising and falling. */
  tauUpS: number;
  tauDownS: number;
  /** Cardiac drift at full effort (bpm per hour). */
  driftBpmPerHour: number;
  /** Multiplies every speed of the athlete's sessions (1: tempo 3.4 m/s ≈ 4:54 min/km). */
  paceScale: number;
  /** How hard this athlete takes the efforts, added to each effort (fraction of HR reserve). */
  effortBias: number;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/**
 * An athlete's traits from a seed (deterministic; `year` sets the age the birth year gives).
 * HR max is the Tanaka estimate for the age ± a few bpm, as real HR max scatters around it.
 */
export function athleteTraits(seed: number, year = new Date().getUTCFullYear()): AthleteTraits {
  const rand = mulberry32(seed * 7919 + 17);
  const fitness = rand();
  const age = 19 + Math.floor(rand() * 26);
  const birthYear = year - age;
  const sex = rand() < 0.5 ? 'female' : 'male';
  const hrMax = Math.round(
    clamp(estimateHrMax(birthYear, Date.UTC(year, 6, 1)) + 5 * gaussian(rand), 170, 205),
  );
  const hrRest = Math.round(clamp(66 - 22 * fitness + 3 * gaussian(rand), 40, 72));
  const tauUpS = Math.round(38 - 20 * fitness + 3 * rand());
  return {
    fitness,
    birthYear,
    sex,
    weightKg: Math.round((sex === 'female' ? 58 : 72) + 8 * gaussian(rand) + 6 * (1 - fitness)),
    hrMax,
    hrRest,
    tauUpS,
    tauDownS: Math.round(tauUpS * 1.7),
    driftBpmPerHour: Math.round(14 - 9 * fitness),
    paceScale: clamp(0.8 + 0.3 * fitness + 0.04 * gaussian(rand), 0.7, 1.15),
    effortBias: clamp(0.025 * gaussian(rand), -0.04, 0.04),
  };
}

type Label = EffortSegment['label'];
const seg = (label: Label, durationS: number, effort: number, speed: number, end?: [number, number]) => {
  const s: EffortSegment = { label, durationS: Math.round(durationS), effort, speed };
  if (end) {
    s.effortEnd = end[0];
    s.speedEnd = end[1];
  }
  return s;
};

/**
 * One session: a warm-up that ends in zone 3, a main set (intervals, tempo blocks or short hill
 * efforts, in zones 3–5), a cool-down. Efforts are fractions of HR reserve, the zones' basis.
 */
export function sessionPlan(rand: () => number, traits: AthleteTraits): EffortSegment[] {
  const k = traits.paceScale;
  const e = (v: number) => clamp(v + traits.effortBias, 0.2, 1);
  const plan = [seg('warmup', 420 + rand() * 240, e(0.5), 2.3 * k, [e(0.72), 3.0 * k])];
  const kind = rand();
  if (kind < 0.45) {
    const reps = 5 + Math.floor(rand() * 4);
    const work = 120 + Math.floor(rand() * 4) * 30;
    const effort = e(0.8 + rand() * 0.08);
    for (let i = 0; i < reps; i++) {
      plan.push(seg('interval', work, effort, 4.0 * k));
      plan.push(seg('recovery', 60 + rand() * 60, e(0.55), 2.0 * k));
    }
  } else if (kind < 0.75) {
    const blocks = 2 + Math.floor(rand() * 2);
    for (let i = 0; i < blocks; i++) {
      plan.push(seg('steady', 480 + rand() * 360, e(0.74 + rand() * 0.05), 3.4 * k));
      plan.push(seg('recovery', 120, e(0.55), 2.1 * k));
    }
  } else {
    const reps = 10 + Math.floor(rand() * 5);
    for (let i = 0; i < reps; i++) {
      plan.push(seg('interval', 45 + rand() * 30, e(0.88), 3.8 * k));
      plan.push(seg('recovery', 75 + rand() * 30, e(0.6), 2.0 * k));
    }
  }
  plan.push(seg('cooldown', 300 + rand() * 180, e(0.5), 2.4 * k, [e(0.35), 1.4 * k]));
  return plan;
}

export interface TeamAthleteOptions {
  /** Rest between sessions (s): each rest is drawn between `min` and `max`. */
  rest?: { minS: number; maxS: number } | null;
  faults?: FaultOptions;
  /** Use these instead of the traits' (a saved profile that was edited, say). */
  hrMax?: number;
  hrRest?: number;
  startOffsetM?: number;
  year?: number;
}

export interface TeamAthlete {
  traits: AthleteTraits;
  model: SimulatedAthlete;
}

/**
 * A team member: traits and sessions from `seed`, starting somewhere in the first 60 % of the
 * first session so a team started together is spread over warm-ups, efforts and recoveries.
 */
export function createTeamAthlete(seed: number, options: TeamAthleteOptions = {}): TeamAthlete {
  const traits = athleteTraits(seed, options.year);
  const rand = mulberry32(seed * 104_729 + 3);
  const first = sessionPlan(rand, traits);
  const length = first.reduce((s, x) => s + x.durationS, 0);
  const hrMax = options.hrMax ?? traits.hrMax;
  const hrRest = options.hrRest ?? traits.hrRest;
  const rest = options.rest;
  const model = createSimulatedAthlete({
    seed,
    hrMax,
    hrRest: hrRest < hrMax ? hrRest : traits.hrRest,
    tauUpS: traits.tauUpS,
    tauDownS: traits.tauDownS,
    driftBpmPerHour: traits.driftBpmPerHour,
    plan: first,
    nextPlan: () => sessionPlan(rand, traits),
    ...(rest ? { restS: () => rest.minS + rand() * (rest.maxS - rest.minS) } : {}),
    startAtS: rand() * 0.6 * length,
    startOffsetM: options.startOffsetM ?? rand() * 400,
    ...(options.faults ? { faults: options.faults } : {}),
  });
  return { traits: { ...traits, hrMax, hrRest }, model };
}
