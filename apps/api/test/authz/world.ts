import { randomBytes } from 'node:crypto';
import { createDevice, createSession, registerUser } from '@athlete/services';
import type { App } from '../../src/app.ts';

export interface TestUser {
  id: string;
  email: string;
  name: string;
  password: string;
  role: 'athlete' | 'coach' | 'admin';
  /** A session token (Bearer). */
  token: string;
}

const unique = () => randomBytes(4).toString('hex');

/** Creates an account through the domain function (fast: no HTTP) with a session token. */
export async function createUser(
  app: App,
  role: TestUser['role'],
  label: string = role,
  password = `pw-${unique()}-long-enough`,
): Promise<TestUser> {
  const email = `${label.toLowerCase()}-${unique()}@example.test`;
  const user = await registerUser({ deps: app.deps, input: { email, password, name: label }, role });
  const { token } = await createSession({ deps: app.deps, userId: user.id });
  return { id: user.id, email, name: label, password, role, token };
}

/** Another session for a user (for calls that end the session they use). */
export async function newToken(app: App, userId: string): Promise<string> {
  return (await createSession({ deps: app.deps, userId })).token;
}

export async function createTeamWith(
  app: App,
  coach: TestUser,
  athletes: Array<{ user: TestUser; consent: { live: boolean; sessions: boolean; wellness: boolean } }> = [],
  name = `Team ${unique()}`,
): Promise<string> {
  const team = await app.deps.db.prisma.team.create({
    data: {
      name,
      createdById: coach.id,
      members: {
        create: [
          { userId: coach.id, role: 'coach' },
          ...athletes.map(({ user, consent }) => ({
            userId: user.id,
            role: 'athlete' as const,
            consentLive: consent.live,
            consentSessions: consent.sessions,
            consentWellness: consent.wellness,
          })),
        ],
      },
    },
  });
  return team.id;
}

export async function createPersonalKey(
  app: App,
  owner: TestUser,
): Promise<{ deviceId: string; key: string }> {
  const { device, key } = await createDevice({
    deps: app.deps,
    principal: { kind: 'user', userId: owner.id, role: owner.role, sessionId: 'test', via: 'bearer' },
    input: { name: `strap ${unique()}`, kind: 'personal' },
  });
  return { deviceId: device.id, key };
}

export const ALL = { live: true, sessions: true, wellness: true };
export const NONE = { live: false, sessions: false, wellness: false };

/**
 * The authorization fixture: one athlete seen from every side.
 * - `athlete` is in `team` (coach `coach`, all consents) and `teamNoConsent` (coach
 *   `coachNoConsent`, no consent);
 * - `otherCoach` coaches `otherTeam` with `otherAthlete` (all consents);
 * - `boundKey` is a personal key of `athlete`, `unboundKey` one of `otherAthlete`.
 */
export interface World {
  athlete: TestUser;
  otherAthlete: TestUser;
  coach: TestUser;
  coachNoConsent: TestUser;
  otherCoach: TestUser;
  admin: TestUser;
  teamId: string;
  teamNoConsentId: string;
  otherTeamId: string;
  boundKey: { deviceId: string; key: string };
  unboundKey: { deviceId: string; key: string };
}

export async function createWorld(app: App): Promise<World> {
  const [athlete, otherAthlete, coach, coachNoConsent, otherCoach, admin] = await Promise.all([
    createUser(app, 'athlete', 'Athlete'),
    createUser(app, 'athlete', 'OtherAthlete'),
    createUser(app, 'coach', 'Coach'),
    createUser(app, 'coach', 'CoachNoConsent'),
    createUser(app, 'coach', 'OtherCoach'),
    createUser(app, 'admin', 'Admin'),
  ]);
  const teamId = await createTeamWith(app, coach, [{ user: athlete, consent: ALL }]);
  const teamNoConsentId = await createTeamWith(app, coachNoConsent, [{ user: athlete, consent: NONE }]);
  const otherTeamId = await createTeamWith(app, otherCoach, [{ user: otherAthlete, consent: ALL }]);
  const boundKey = await createPersonalKey(app, athlete);
  const unboundKey = await createPersonalKey(app, otherAthlete);
  return {
    athlete,
    otherAthlete,
    coach,
    coachNoConsent,
    otherCoach,
    admin,
    teamId,
    teamNoConsentId,
    otherTeamId,
    boundKey,
    unboundKey,
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
