import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSimulatedAthlete, type SimulatedAthlete } from '@athlete/core';
import { type APIRequestContext, type BrowserContext, expect, type Page } from '@playwright/test';

const here = dirname(fileURLToPath(import.meta.url));
export const SCREENSHOT_DIR = join(here, '..', '..', '..', 'artifacts', 'screenshots');
mkdirSync(SCREENSHOT_DIR, { recursive: true });

/** Saves a full-page screenshot of a main page to artifacts/screenshots/<name>.png. */
export async function snap(page: Page, name: string): Promise<void> {
  await page.evaluate(() => document.fonts?.ready);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

export const PASSWORD = 'correct-horse-battery';
const run = Date.now().toString(36);
export const email = (who: string) => `${who}.${run}@e2e.test`;

export interface Account {
  id: string;
  name: string;
  email: string;
  token: string;
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * A request context keeps the cookies that login/register set; once it holds a session cookie
 * the API wants the double-submit CSRF header on every state-changing request, as the SPA sends.
 */
async function csrf(request: APIRequestContext): Promise<Record<string, string>> {
  const cookie = (await request.storageState()).cookies.find((c) => c.name === 'ap_csrf');
  return cookie ? { 'x-csrf-token': cookie.value } : {};
}

export async function registerViaApi(
  request: APIRequestContext,
  name: string,
  role: 'athlete' | 'coach',
): Promise<Account> {
  const res = await request.post('/api/v1/auth/register', {
    headers: await csrf(request),
    data: {
      name,
      email: email(
        name
          .toLowerCase()
          .normalize('NFD')
          .replace(/[^a-z]+/g, '.'),
      ),
      password: PASSWORD,
      role,
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  const body = (await res.json()) as { user: { id: string; email: string }; token: string };
  return { id: body.user.id, name, email: body.user.email, token: body.token };
}

export async function loginViaApi(request: APIRequestContext, emailAddress: string): Promise<Account> {
  const res = await request.post('/api/v1/auth/login', {
    headers: await csrf(request),
    data: { email: emailAddress, password: PASSWORD },
  });
  expect(res.status(), await res.text()).toBe(200);
  const body = (await res.json()) as { user: { id: string; name: string; email: string }; token: string };
  return { id: body.user.id, name: body.user.name, email: body.user.email, token: body.token };
}

export async function apiCall<T>(
  request: APIRequestContext,
  token: string,
  method: 'get' | 'post' | 'put' | 'delete',
  path: string,
  data?: unknown,
): Promise<T> {
  const headers = { ...(method === 'get' ? {} : await csrf(request)), ...auth(token) };
  const res = await request[method](path, { headers, ...(data === undefined ? {} : { data }) });
  expect(res.ok(), `${method.toUpperCase()} ${path} → ${res.status()} ${await res.text()}`).toBe(true);
  return (await res.json().catch(() => null)) as T;
}

/** Coach invites, athlete accepts with full consent. */
export async function joinTeam(request: APIRequestContext, coach: Account, teamId: string, athlete: Account) {
  const { invite } = await apiCall<{ invite: { code: string } }>(
    request,
    coach.token,
    'post',
    `/api/v1/teams/${teamId}/invites`,
    {
      email: athlete.email,
    },
  );
  await apiCall(request, athlete.token, 'post', `/api/v1/invites/${invite.code}/accept`, {
    consent: { live: true, sessions: true, wellness: true },
  });
}

export interface Streamer {
  stop(): void;
  /** Overrides the streamed HR of one athlete (null: back to the model). */
  setHr(athleteId: string, hr: number | null): void;
  readonly sent: number;
}

interface Streamed {
  account: Account;
  sim: SimulatedAthlete;
  capHr: number;
}

/**
 * Streams simulated athletes to POST /api/v1/ingest: first a backlog of `backlogS` seconds (so
 * the session has a track and a history), then one sample per athlete per second.
 */
export async function startStreaming(
  request: APIRequestContext,
  athletes: Array<{ account: Account; seed: number; hrMax: number; capHr?: number }>,
  backlogS: number,
): Promise<Streamer> {
  const streamed: Streamed[] = athletes.map((a, i) => ({
    account: a.account,
    sim: createSimulatedAthlete({ seed: a.seed, hrMax: a.hrMax, hrRest: 52, startOffsetM: i * 60 }),
    capHr: a.capHr ?? 250,
  }));
  const overrides = new Map<string, number>();
  let sent = 0;
  const sample = (s: Streamed, ts: number) => {
    const step = s.sim.step(1);
    if (!step) return null;
    const hr = overrides.get(s.account.id) ?? Math.min(s.capHr, Math.round(step.hr));
    const rr = step.rr
      .filter((v) => v >= 200 && v <= 3000)
      .slice(0, 20)
      .map(Math.round);
    return {
      ts,
      hr,
      ...(rr.length ? { rr } : {}),
      speed: Math.min(30, step.speed),
      cadence: Math.min(300, step.cadence),
      distance: step.distance,
      lat: step.lat,
      lon: step.lon,
      alt: step.alt,
    };
  };
  const post = async (s: Streamed, samples: unknown[]) => {
    if (!samples.length) return;
    const res = await request.post('/api/v1/ingest', {
      headers: { ...(await csrf(request)), ...auth(s.account.token) },
      data: { samples },
    });
    if (res.status() !== 202) throw new Error(`ingest → ${res.status()} ${await res.text()}`);
    sent += samples.length;
  };
  const now = Date.now();
  await Promise.all(
    streamed.map((s) => {
      const backlog: unknown[] = [];
      for (let t = backlogS; t >= 1; t--) {
        const x = sample(s, now - t * 1000);
        if (x) backlog.push(x);
      }
      return post(s, backlog);
    }),
  );
  let stopped = false;
  const timer = setInterval(() => {
    if (stopped) return;
    const ts = Date.now();
    for (const s of streamed) {
      const x = sample(s, ts);
      // A post still in flight when the test stops (its browser context closing) is no failure.
      if (x)
        void post(s, [x]).catch((err) => {
          if (!stopped) console.error('[e2e] ingest failed', err);
        });
    }
  }, 1000);
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
    setHr(athleteId, hr) {
      if (hr === null) overrides.delete(athleteId);
      else overrides.set(athleteId, hr);
    },
    get sent() {
      return sent;
    },
  };
}

/**
 * A fake Web Bluetooth heart-rate strap (service 0x180D, characteristic 0x2A37) for every page
 * of the context: it notifies the given 0x2A37 payloads in turn, one every `everyMs`.
 */
export async function installFakeStrap(ctx: BrowserContext, payloads: number[][], everyMs = 1000) {
  await ctx.addInitScript(
    ({ payloads, everyMs }: { payloads: number[][]; everyMs: number }) => {
      class FakeCharacteristic extends EventTarget {
        value: DataView | null = null;
        async startNotifications() {
          let i = 0;
          setInterval(() => {
            this.value = new DataView(Uint8Array.from(payloads[i++ % payloads.length]!).buffer);
            this.dispatchEvent(new Event('characteristicvaluechanged'));
          }, everyMs);
          return this;
        }
      }
      const characteristic = new FakeCharacteristic();
      const server = {
        connected: true,
        connect: async () => server,
        disconnect() {},
        getPrimaryService: async (uuid: number) => {
          if (uuid !== 0x180d) throw new Error('no such service');
          return {
            getCharacteristic: async (c: number) => {
              if (c !== 0x2a37) throw new Error('no such characteristic');
              return characteristic;
            },
          };
        },
      };
      const device = Object.assign(new EventTarget(), {
        id: 'fake-h10',
        name: 'Polar H10 FAKE',
        gatt: server,
      });
      Object.defineProperty(navigator, 'bluetooth', {
        configurable: true,
        value: { getAvailability: async () => true, requestDevice: async () => device },
      });
    },
    { payloads, everyMs },
  );
}

/**
 * A coach's team of consenting athletes (HR max 192) streaming simulated data, HR capped at
 * 150 so alerts come only when a spec pushes HR above a threshold itself.
 */
export async function streamingTeam(
  coachRequest: APIRequestContext,
  request: APIRequestContext,
  opts: { coach: string; team: string; athletes: Array<{ name: string; seed: number }> },
): Promise<{ coach: Account; team: { id: string }; athletes: Account[]; streamer: Streamer }> {
  const coach = await registerViaApi(coachRequest, opts.coach, 'coach');
  const { team } = await apiCall<{ team: { id: string } }>(
    coachRequest,
    coach.token,
    'post',
    '/api/v1/teams',
    {
      name: opts.team,
    },
  );
  const athletes: Account[] = [];
  for (const a of opts.athletes) {
    const account = await registerViaApi(request, a.name, 'athlete');
    await joinTeam(request, coach, team.id, account);
    await apiCall(request, account.token, 'put', '/api/v1/me/profile', { hrMax: 192, hrRest: 50 });
    athletes.push(account);
  }
  const streamer = await startStreaming(
    request,
    athletes.map((account, i) => ({ account, seed: opts.athletes[i]!.seed, hrMax: 192, capHr: 150 })),
    30,
  );
  return { coach, team, athletes, streamer };
}
