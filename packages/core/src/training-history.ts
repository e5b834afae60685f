/**
 * A deterministic past for a demo athlete: months of training sessions (summaries, no samples)
 * and a morning resting HRV check each day, shaped so the analytics have something true to say:
 * three weeks of build and one easy, HRV dipping after hard days, and optional scenarios.
 */
import { gaussian, mulberry32 } from './simulation.ts';

export interface HistorySession {
  day: string;
  startedAt: number;
  durationS: number;
  sport: 'running' | 'cycling';
  avgHr: number;
  maxHr: number;
  distanceM: number;
}

export interface HistoryCheck {
  day: string;
  measuredAt: number;
  /** RR intervals (ms) of a 3-minute check at rest. */
  rr: number[];
}

export interface TrainingHistoryOptions {
  seed: number;
  /** The last day simulated (YYYY-MM-DD), usually today. */
  endDay: string;
  days: number;
  hrMax: number;
  hrRest: number;
  /** Training volume relative to an average amateur (1 = ~5 sessions, ~5 h a week). */
  volume?: number;
  /** Personal lnRMSSD normal (e.g. 4.0 ≈ RMSSD 55 ms). */
  lnRmssd?: number;
  /**
   * 'spike': the last 10 days double the load, with no rest days (ACWR high); 'unwell': today resting HR +14 bpm and
   * lnRMSSD −0.9 (anomaly flags); 'steady': neither.
   */
  scenario?: 'steady' | 'spike' | 'unwell';
  /** Checks are taken at this minute of the UTC day (default 06:30), never after `now`. */
  now?: number;
}

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** Intensity (fraction of HR reserve) and minutes per weekday, Monday first; 0 minutes = rest. */
const WEEK = [
  { hrr: 0, min: 0 },
  { hrr: 0.6, min: 45 },
  { hrr: 0.78, min: 60 },
  { hrr: 0.58, min: 40 },
  { hrr: 0, min: 0 },
  { hrr: 0.65, min: 95 },
  { hrr: 0.7, min: 55 },
] as const;
/** What a spiking athlete does on a planned rest day. */
const SPIKE_EXTRA_DAY = { hrr: 0.62, min: 50 } as const;

/** RR intervals with a given mean HR and RMSSD: iid jitter σ = RMSSD/√2 around the mean interval. */
export function restingRr(rand: () => number, hr: number, rmssdMs: number, seconds = 180): number[] {
  const mean = 60_000 / hr;
  const sigma = rmssdMs / Math.SQRT2;
  const rr: number[] = [];
  let total = 0;
  while (total < seconds * 1000) {
    const v = Math.round(mean + sigma * Math.max(-2.5, Math.min(2.5, gaussian(rand))));
    rr.push(v);
    total += v;
  }
  return rr;
}

export function simulateTrainingHistory(options: TrainingHistoryOptions): {
  sessions: HistorySession[];
  checks: HistoryCheck[];
} {
  const rand = mulberry32(options.seed);
  const volume = options.volume ?? 1;
  const ln0 = options.lnRmssd ?? 4;
  const scenario = options.scenario ?? 'steady';
  const end = Date.parse(`${options.endDay}T00:00:00Z`);
  const now = options.now ?? Date.now();
  const reserve = options.hrMax - options.hrRest;
  const sessions: HistorySession[] = [];
  const checks: HistoryCheck[] = [];
  let fatigue = 0; // carries yesterday's effort into this morning's HRV
  for (let k = options.days - 1; k >= 0; k--) {
    const dayMs = end - k * DAY_MS;
    const day = iso(dayMs);
    const weekday = (new Date(dayMs).getUTCDay() + 6) % 7;
    const weekOfBlock = Math.floor((options.days - 1 - k) / 7) % 4;

    const lnRmssd =
      ln0 - 0.25 * fatigue + 0.07 * gaussian(rand) - (scenario === 'unwell' && k === 0 ? 0.9 : 0);
    const restingHr =
      options.hrRest + 2 + 4 * fatigue + 1.2 * gaussian(rand) + (scenario === 'unwell' && k === 0 ? 14 : 0);
    const measuredAt = Math.min(dayMs + (6 * 60 + 30) * 60_000, now - 60_000);
    if (measuredAt > dayMs)
      checks.push({ day, measuredAt, rr: restingRr(rand, restingHr, Math.exp(lnRmssd)) });

    // A spike is ten days of double load with no rest day or skipped session, so the acute
    // load is high whichever weekday the demo starts on.
    const spiking = scenario === 'spike' && k < 10;
    const plan = spiking && WEEK[weekday]!.min === 0 ? SPIKE_EXTRA_DAY : WEEK[weekday]!;
    const block = weekOfBlock === 3 ? 0.6 : 1 + 0.08 * weekOfBlock;
    const spike = spiking ? 2 : 1;
    const skipped = rand() < 0.08 && !spiking;
    fatigue *= 0.45;
    if (plan.min === 0 || skipped || k === 0) continue; // today's session is still to come
    const minutes = Math.round(plan.min * volume * block * spike * (0.85 + 0.3 * rand()));
    const hrr = Math.min(0.92, plan.hrr + 0.04 * gaussian(rand));
    const avgHr = Math.round(options.hrRest + hrr * reserve);
    const sport = weekday === 5 ? 'cycling' : 'running';
    const speed = sport === 'cycling' ? 7 + 2 * hrr : 2.6 + 1.4 * hrr;
    sessions.push({
      day,
      startedAt: dayMs + (17 * 60 + Math.floor(rand() * 60)) * 60_000,
      durationS: minutes * 60,
      sport,
      avgHr,
      maxHr: Math.min(options.hrMax, Math.round(avgHr + 8 + 6 * rand())),
      distanceM: Math.round(speed * minutes * 60),
    });
    fatigue += (minutes / 60) * hrr * 1.6;
  }
  return { sessions, checks };
}
