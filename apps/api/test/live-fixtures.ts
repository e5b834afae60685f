import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { seqAcked, wsIngestAckSchema } from '@athlete/contracts';
import { createSession, type Deps, hashSecret, newSecret } from '@athlete/services';
import { WebSocket } from 'ws';
import type { App } from '../src/app.ts';

/**
 * Test world for the live pipeline, written straight to the database through the accounts
 * services (real tokens and keys, resolved by the real auth plugin): a coach and a team with
 * two consenting athletes, an athlete outside it, a coach of another team, keys.
 */
export interface LiveWorld {
  coach: Actor;
  otherCoach: Actor;
  a1: Actor;
  a2: Actor;
  outsider: Actor;
  admin: Actor;
  teamId: string;
  otherTeamId: string;
  /** Gateway key of the team (writes for its consenting athletes). */
  gatewayKey: string;
  /** Personal key bound to a1. */
  a1Key: string;
}

export interface Actor {
  id: string;
  token: string;
  sessionId: string;
}

let counter = 0;

export async function createUser(
  deps: Deps,
  role: 'athlete' | 'coach' | 'admin',
  profile: { hrMax?: number; hrRest?: number; thresholds?: object } = {},
): Promise<Actor> {
  counter++;
  const user = await deps.db.prisma.user.create({
    data: {
      email: `${role}${counter}-${Math.random().toString(36).slice(2, 8)}@live.test`,
      name: `${role} ${counter}`,
      role,
      passwordHash: 'not-used',
      ...(role === 'athlete'
        ? {
            profile: {
              create: {
                hrMax: profile.hrMax ?? 190,
                hrRest: profile.hrRest ?? 50,
                thresholds: profile.thresholds,
              },
            },
          }
        : {}),
    },
  });
  const { token, sessionId } = await createSession({ deps, userId: user.id });
  return { id: user.id, token, sessionId };
}

export async function createKey(
  deps: Deps,
  opts: { ownerId: string; kind: 'personal' | 'gateway'; athleteId?: string; teamId?: string },
): Promise<{ key: string; deviceId: string }> {
  const key = newSecret('apk_');
  const device = await deps.db.prisma.device.create({
    data: {
      ownerId: opts.ownerId,
      name: `${opts.kind} device`,
      kind: opts.kind,
      athleteId: opts.athleteId ?? null,
      teamId: opts.teamId ?? null,
      keyHash: hashSecret(key),
      keyPrefix: key.slice(0, 12),
    },
  });
  return { key, deviceId: device.id };
}

export async function createLiveWorld(
  deps: Deps,
  profile: { hrMax?: number; hrRest?: number; thresholds?: object } = {},
): Promise<LiveWorld> {
  const [coach, otherCoach, a1, a2, outsider, admin] = await Promise.all([
    createUser(deps, 'coach'),
    createUser(deps, 'coach'),
    createUser(deps, 'athlete', profile),
    createUser(deps, 'athlete', profile),
    createUser(deps, 'athlete', profile),
    createUser(deps, 'admin'),
  ]);
  const team = await deps.db.prisma.team.create({ data: { name: 'Live Team', createdById: coach.id } });
  const otherTeam = await deps.db.prisma.team.create({
    data: { name: 'Other Team', createdById: otherCoach.id },
  });
  const all = { consentLive: true, consentSessions: true, consentWellness: true };
  await deps.db.prisma.teamMember.createMany({
    data: [
      { teamId: team.id, userId: coach.id, role: 'coach' },
      { teamId: team.id, userId: a1.id, role: 'athlete', ...all },
      { teamId: team.id, userId: a2.id, role: 'athlete', ...all },
      { teamId: otherTeam.id, userId: otherCoach.id, role: 'coach' },
      { teamId: otherTeam.id, userId: outsider.id, role: 'athlete', ...all },
    ],
  });
  const gateway = await createKey(deps, { ownerId: coach.id, kind: 'gateway', teamId: team.id });
  const personal = await createKey(deps, { ownerId: a1.id, kind: 'personal', athleteId: a1.id });
  return {
    coach,
    otherCoach,
    a1,
    a2,
    outsider,
    admin,
    teamId: team.id,
    otherTeamId: otherTeam.id,
    gatewayKey: gateway.key,
    a1Key: personal.key,
  };
}

/**
 * 40 nights of merged WHOOP values ending on `lastDay` (YYYY-MM-DD), the last with HRV low and
 * resting HR high: two flags, so that day's readiness says rest.
 */
export async function seedRestDay(deps: Deps, athleteId: string, lastDay: string): Promise<void> {
  await deps.db.prisma.dailySummary.createMany({
    data: Array.from({ length: 40 }, (_, i) => {
      const last = i === 39;
      return {
        athleteId,
        date: new Date(Date.parse(lastDay) - (39 - i) * 86_400_000),
        source: 'merged' as const,
        hrvRmssdMs: last ? 40 : 70 + (i % 5),
        restingHr: last ? 62 : 48 + (i % 3),
        sleepDurationS: 27_000 + (i % 4) * 600,
        sources: { hrvRmssdMs: 'whoop', restingHr: 'whoop', sleepDurationS: 'whoop' },
      };
    }),
  });
}

/** Listens on a free loopback port; returns the ws:// base. */
export async function listen(app: App): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/** A WebSocket client that records every JSON message it receives. */
export class TestSocket {
  readonly messages: Array<Record<string, unknown>> = [];
  closeCode: number | null = null;
  readonly ws: WebSocket;
  #waiters: Array<() => void> = [];

  constructor(url: string, token?: string) {
    this.ws = new WebSocket(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    this.ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as Record<string, unknown>);
      for (const w of this.#waiters.splice(0)) w();
    });
    this.ws.on('close', (code) => {
      this.closeCode = code;
      for (const w of this.#waiters.splice(0)) w();
    });
    this.ws.on('error', () => {});
  }

  static async open(url: string, token?: string): Promise<TestSocket> {
    const s = new TestSocket(url, token);
    await once(s.ws, 'open');
    return s;
  }

  /** Resolves with the handshake's HTTP status when the server refuses the upgrade. */
  static refused(url: string, token?: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
      ws.on('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.on('open', () => {
        ws.close();
        reject(new Error('upgrade was accepted'));
      });
      ws.on('error', () => {});
    });
  }

  send(message: object): void {
    this.ws.send(JSON.stringify(message));
  }

  /** Waits until a received message satisfies `match` (or the socket closes / times out). */
  async waitFor(
    match: (m: Record<string, unknown>) => boolean,
    timeoutMs = 5_000,
  ): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      if (this.closeCode !== null)
        throw new Error(`socket closed (${this.closeCode}) before the message came`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; got ${JSON.stringify(this.messages).slice(0, 800)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async waitClosed(timeoutMs = 5_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.closeCode === null) {
      if (Date.now() > deadline) throw new Error('socket did not close');
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.closeCode;
  }

  close(): void {
    this.ws.close();
  }
}

/** Live samples in a frame, flattened. */
export function framesSamples(messages: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  return messages
    .filter((m) => m.type === 'samples')
    .flatMap((m) => m.samples as Array<Record<string, unknown>>);
}

/** `n` plausible samples one second apart ending now-ish. */
export function samplesFor(
  athleteId: string | undefined,
  n: number,
  opts: { start?: number; hr?: (i: number) => number; seqFrom?: number } = {},
): Array<Record<string, unknown>> {
  const start = opts.start ?? Date.now() - n * 1000;
  return Array.from({ length: n }, (_, i) => ({
    ...(athleteId ? { athleteId } : {}),
    ts: start + i * 1000,
    seq: (opts.seqFrom ?? 0) + i,
    hr: opts.hr ? opts.hr(i) : 120 + (i % 10),
    speed: 3 + (i % 5) * 0.1,
    distance: i * 3,
    lat: 51.5 + i * 1e-5,
    lon: -0.01,
  }));
}

/** Whether a received message is an ingest ack naming `seq`. */
export function acks(m: Record<string, unknown>, seq: number): boolean {
  const ack = wsIngestAckSchema.safeParse(m);
  return ack.success && seqAcked(ack.data.ranges, seq);
}

/**
 * Runs test DDL on the samples table (a trigger standing in for a fault). The writer may be
 * retrying inserts meanwhile, and a trigger change on the partitioned table can deadlock with
 * one of them (40P01) or wait on it: that is the test's own doing, so it waits briefly and retries.
 */
export async function samplesDdl(db: Deps['db'], ...statements: string[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        await tx.query(`SET LOCAL lock_timeout = '3s'`);
        for (const sql of statements) await tx.query(sql);
      });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (attempt >= 5 || (code !== '40P01' && code !== '55P03')) throw err;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
}
