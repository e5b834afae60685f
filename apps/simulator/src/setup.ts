import { randomBytes } from 'node:crypto';
import { type ProfileUpdate, profileResponseSchema } from '@athlete/contracts';
import { athleteTraits } from '@athlete/core';
import { runnerSeed } from './athletes.ts';

/** One ingest connection's worth of athletes and the credential that may write for them. */
export interface Gateway {
  credential: string;
  athleteIds: string[];
}

export interface DemoSetup {
  coach: { email: string; password: string; token: string };
  teamIds: string[];
  gateways: Gateway[];
  /** Per-athlete tokens (for one connection per athlete) and the HR profile saved for each. */
  athletes: Array<{ id: string; email: string; token: string; profile: ProfileUpdate }>;
}

async function call<T>(
  base: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<T> {
  const res = await fetch(new URL(path, base), {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : {}) as T;
}

async function inPool<T, R>(
  items: T[],
  size: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

/**
 * The profile of the index-th simulated athlete (0-based, the CLI's order): the traits the
 * simulator runs them with, so zones, TRIMP and alerts use the HR max and rest they have.
 */
export function simulatedProfile(index: number): ProfileUpdate {
  const t = athleteTraits(runnerSeed(index));
  return { birthYear: t.birthYear, sex: t.sex, weightKg: t.weightKg, hrMax: t.hrMax, hrRest: t.hrRest };
}

/** Saves a simulated athlete's profile (PUT: the same values again change nothing). */
export async function saveSimulatedProfile(baseUrl: string, token: string, index: number) {
  const profile = simulatedProfile(index);
  profileResponseSchema.parse(await call(baseUrl, 'PUT', '/api/v1/me/profile', token, profile));
  return profile;
}

/**
 * Creates a demo coach, one team per `gatewaySize` athletes, the athletes (who accept the
 * team's invite with every consent and save their HR profile) and a gateway key per team, all
 * through the REST API.
 */
export async function setupDemo(opts: {
  baseUrl: string;
  athletes: number;
  gatewaySize: number;
  log(line: string): void;
}): Promise<DemoSetup> {
  const run = randomBytes(3).toString('hex');
  const password = `sim-${run}-password`;
  const coachEmail = `coach-${run}@sim.local`;
  const coach = await call<{ token: string }>(opts.baseUrl, 'POST', '/api/v1/auth/register', null, {
    email: coachEmail,
    password,
    name: `Sim Coach ${run}`,
    role: 'coach',
  });
  const groups = Math.ceil(opts.athletes / opts.gatewaySize);
  const teamIds: string[] = [];
  const gateways: Gateway[] = [];
  const athletes: DemoSetup['athletes'] = [];
  for (let g = 0; g < groups; g++) {
    const { team } = await call<{ team: { id: string } }>(
      opts.baseUrl,
      'POST',
      '/api/v1/teams',
      coach.token,
      {
        name: `Sim Team ${run}-${g + 1}`,
      },
    );
    teamIds.push(team.id);
    const size = Math.min(opts.gatewaySize, opts.athletes - g * opts.gatewaySize);
    const members = await inPool(Array.from({ length: size }), 4, async (_, i) => {
      const n = g * opts.gatewaySize + i + 1;
      const email = `athlete${n}-${run}@sim.local`;
      const reg = await call<{ token: string; user: { id: string } }>(
        opts.baseUrl,
        'POST',
        '/api/v1/auth/register',
        null,
        {
          email,
          password,
          name: `Sim Athlete ${n}`,
          role: 'athlete',
        },
      );
      const { invite } = await call<{ invite: { code: string } }>(
        opts.baseUrl,
        'POST',
        `/api/v1/teams/${team.id}/invites`,
        coach.token,
        { email },
      );
      await call(opts.baseUrl, 'POST', `/api/v1/invites/${invite.code}/accept`, reg.token, {
        consent: { live: true, sessions: true, wellness: true },
      });
      const profile = await saveSimulatedProfile(opts.baseUrl, reg.token, n - 1);
      return { id: reg.user.id, email, token: reg.token, profile };
    });
    athletes.push(...members);
    const { key } = await call<{ key: string }>(opts.baseUrl, 'POST', '/api/v1/devices', coach.token, {
      name: `Sim gateway ${g + 1}`,
      kind: 'gateway',
      teamId: team.id,
    });
    gateways.push({ credential: key, athleteIds: members.map((m) => m.id) });
    opts.log(`setup: team ${g + 1}/${groups} with ${size} athletes and a gateway key`);
  }
  opts.log(`setup: coach ${coachEmail} / ${password}`);
  return { coach: { email: coachEmail, password, token: coach.token }, teamIds, gateways, athletes };
}
