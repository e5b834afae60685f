/**
 * Foster's session-RPE load: the session's rating of perceived exertion (CR-10, 0–10) times its
 * duration in minutes, in arbitrary units (Foster et al. 2001). Rounded to one decimal.
 */
export function sessionRpeLoad(rpe: number, durationMinutes: number): number {
  if (!(rpe >= 0 && rpe <= 10)) throw new RangeError(`RPE must be 0–10 (CR-10), got ${rpe}`);
  if (!(durationMinutes >= 0)) throw new RangeError(`duration must be ≥ 0 minutes, got ${durationMinutes}`);
  return Math.round(rpe * durationMinutes * 10) / 10;
}

export interface WellnessAnswerSet {
  sleepQuality: number;
  fatigue: number;
  soreness: number;
  stress: number;
  mood: number;
}

/** The morning form as one figure: the mean of its five 1–5 answers (5 = best), two decimals. */
export function wellnessScore(a: WellnessAnswerSet): number {
  const sum = a.sleepQuality + a.fatigue + a.soreness + a.stress + a.mood;
  return Math.round((sum / 5) * 100) / 100;
}
