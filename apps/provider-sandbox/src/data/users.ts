import { hash32 } from './random.ts';

const OFFSETS_MIN = [-300, 60, 0, -480, 120, 330, -180] as const;

/** Everything the sandbox derives from a user's login name. */
export interface SandboxUser {
  login: string;
  whoopUserId: number;
  garminUserId: string;
  offsetMinutes: number;
}

export function sandboxUser(login: string): SandboxUser {
  const h = hash32(`user:${login}`);
  const hex = hash32(`garmin:${login}`).toString(16).padStart(8, '0');
  return {
    login,
    whoopUserId: 10_000 + (h % 90_000),
    garminUserId: `${hex}-${login.length.toString(16).padStart(4, '0')}-4000-8000-${(h >>> 4).toString(16).padStart(12, '0').slice(0, 12)}`,
    offsetMinutes: OFFSETS_MIN[h % OFFSETS_MIN.length] ?? 0,
  };
}
