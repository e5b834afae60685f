import type { App } from '../../src/app.ts';
import type { World } from './world.ts';

/**
 * The authorization matrix: every route (HTTP and WebSocket) of the app must have a row saying
 * what each kind of caller gets. Each area declares its rows in `rows/<area>.ts` (default export
 * `AuthzRow[]`); matrix.test.ts fails when a route has no row or a row names no route.
 */
export const ACTORS = [
  'anonymous',
  /** The athlete the fixture revolves around. */
  'athlete',
  'otherAthlete',
  /** Coach of the athlete's team, where the athlete granted every consent. */
  'coach',
  /** Coach of another team of the athlete, where the athlete granted no consent. */
  'coachNoConsent',
  /** Coach of a team the athlete is not in. */
  'otherCoach',
  /** Personal ingest key bound to the athlete. */
  'boundKey',
  /** Personal ingest key bound to the other athlete. */
  'unboundKey',
  'admin',
] as const;
export type Actor = (typeof ACTORS)[number];

/** An exact status, a class, or any of several statuses. WebSockets: '2xx' = the socket opened. */
export type Expect = number | '2xx' | '4xx' | readonly number[];

export interface RowContext {
  app: App;
  world: World;
  actor: Actor;
}

export interface RequestSpec {
  /** Concrete URL (route parameters filled in); defaults to the row's url. */
  url?: string;
  payload?: unknown;
  headers?: Record<string, string>;
}

export interface AuthzRow {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The route as registered, e.g. `/api/v1/teams/:id`. */
  url: string;
  /** A WebSocket endpoint (GET with upgrade). */
  ws?: boolean;
  /**
   * Builds the request for one actor. Calls that change state should target resources made
   * here for the purpose, so the shared fixture stays as described for the next rows.
   */
  request?: (ctx: RowContext) => RequestSpec | Promise<RequestSpec>;
  /** Give user actors a fresh session token (for calls that end the session they use). */
  freshSession?: boolean;
  expect: Record<Actor, Expect>;
}

/** Every actor expects `base`, except the ones overridden. */
export function expectAll(
  base: Expect,
  overrides: Partial<Record<Actor, Expect>> = {},
): Record<Actor, Expect> {
  return Object.fromEntries(ACTORS.map((a) => [a, overrides[a] ?? base])) as Record<Actor, Expect>;
}

/** Signed-in users only: anonymous 401, ingest keys 403, users `base` unless overridden. */
export function usersOnly(
  base: Expect,
  overrides: Partial<Record<Actor, Expect>> = {},
): Record<Actor, Expect> {
  return expectAll(base, { anonymous: 401, boundKey: 403, unboundKey: 403, ...overrides });
}

export function matches(status: number, e: Expect): boolean {
  if (e === '2xx') return status >= 200 && status < 300;
  if (e === '4xx') return status >= 400 && status < 500;
  if (typeof e === 'number') return status === e;
  return e.includes(status);
}

export const routeKey = (method: string, url: string, ws = false) => `${ws ? 'WS' : method} ${url}`;
