/**
 * Maps provider sport names (WHOOP `sport_name` such as "running", Garmin `activityType` such as
 * "TRAIL_RUNNING", FIT `sport` such as "cycling") to the platform's small vocabulary.
 */
const SPORT_RULES: [RegExp, string][] = [
  [/swim/, 'swimming'],
  [/run|jog|treadmill/, 'running'],
  [/cycl|bik|spin|ride|bmx/, 'cycling'],
  [/walk/, 'walking'],
  [/hik|mountaineer/, 'hiking'],
  [/row|kayak|canoe|paddl/, 'rowing'],
  [/ski|snowboard/, 'skiing'],
  // Before strength, which "training" and "fitness" would otherwise claim: cardio machines and
  // flexibility work are not strength sessions.
  [/yoga|pilates|stretch|mobility|flexibility/, 'yoga'],
  [/cardio|elliptical|stair|climb/, 'other'],
  [/strength|weight|functional|crossfit|powerlift|training|hiit|fitness/, 'strength'],
  [/soccer|football|basketball|tennis|hockey|rugby|volley|squash|padel|badminton/, 'team_sport'],
];

export function normaliseSport(raw: string | null | undefined): string {
  if (raw === null || raw === undefined) return 'other';
  const name = raw.toLowerCase().replace(/[\s-]+/g, '_');
  for (const [pattern, sport] of SPORT_RULES) {
    if (pattern.test(name)) return sport;
  }
  return 'other';
}
