import { hash32 } from './random.ts';

/** One night in 14 per user runs "off", as the start of a cold does. */
export const OFF_NIGHT_EVERY_DAYS = 14;
/** How far an off night moves respiration (breaths/min) and skin temperature (°C). */
export const OFF_NIGHT_SHIFT = { respiratoryRate: 3, skinTempC: 1.1 } as const;

/**
 * Whether the night ending on `date` (YYYY-MM-DD, the user's local day) is an off night. Fixed
 * per user and date, so a day's values never depend on when the sandbox is asked, and every
 * 4-week view holds two nights the personal bands flag.
 */
export function isOffNight(login: string, date: string): boolean {
  const day = Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
  return (day + hash32(`off-night:${login}`)) % OFF_NIGHT_EVERY_DAYS === 0;
}

/** The user's usual nightly respiratory rate, 14.5–16 breaths/min. */
export function baseRespiratoryRate(login: string): number {
  return 14.5 + (hash32(`respiration:${login}`) % 16) / 10;
}
