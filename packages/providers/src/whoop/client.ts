import type { z } from 'zod';
import { type AccessTokenSource, joinUrl, type ProviderHooks, ProviderHttp } from '../http/provider-http.ts';
import {
  type WhoopBodyMeasurement,
  type WhoopCycle,
  type WhoopProfile,
  type WhoopRecovery,
  type WhoopSleep,
  type WhoopWorkout,
  whoopBodyMeasurementSchema,
  whoopCycleSchema,
  whoopPageSchema,
  whoopProfileSchema,
  whoopRecoverySchema,
  whoopSleepSchema,
  whoopWorkoutSchema,
} from './schemas.ts';

export const WHOOP_API_BASE_URL = 'https://api.prod.whoop.com/developer';
/** WHOOP's documented maximum page size. */
export const WHOOP_MAX_PAGE_SIZE = 25;

export interface WhoopClientOptions {
  /** The user's access token, or a function returning a fresh one (called once per request). */
  accessToken: AccessTokenSource;
  /** Default `https://api.prod.whoop.com/developer`. */
  apiBaseUrl?: string;
  fetch?: typeof fetch;
  hooks?: ProviderHooks;
  timeoutMs?: number;
}

export interface WhoopRange {
  /** Inclusive lower bound on the record start. */
  start?: Date | string;
  /** Exclusive upper bound; WHOOP defaults it to now. */
  end?: Date | string;
}

export interface WhoopPageRequest extends WhoopRange {
  /** 1–25, default 25 (WHOOP's own default is 10). */
  limit?: number;
  nextToken?: string;
}

export interface WhoopPage<T> {
  records: T[];
  nextToken: string | undefined;
}

export type WhoopCollection = 'cycle' | 'recovery' | 'activity/sleep' | 'activity/workout';

function isoOrUndefined(value: Date | string | undefined): string | undefined {
  return value instanceof Date ? value.toISOString() : value;
}

/** Typed WHOOP v2 client for one user's token; read-only except `revokeAccess`. */
export class WhoopClient {
  readonly #http: ProviderHttp;
  readonly #baseUrl: string;
  readonly #accessToken: AccessTokenSource;

  constructor(options: WhoopClientOptions) {
    this.#http = new ProviderHttp({
      provider: 'whoop',
      fetch: options.fetch,
      hooks: options.hooks,
      timeoutMs: options.timeoutMs,
    });
    this.#baseUrl = options.apiBaseUrl ?? WHOOP_API_BASE_URL;
    this.#accessToken = options.accessToken;
  }

  getProfile(): Promise<WhoopProfile> {
    return this.#get('v2/user/profile/basic', whoopProfileSchema);
  }

  getBodyMeasurement(): Promise<WhoopBodyMeasurement> {
    return this.#get('v2/user/measurement/body', whoopBodyMeasurementSchema);
  }

  listCycles(request: WhoopPageRequest = {}): Promise<WhoopPage<WhoopCycle>> {
    return this.#page('cycle', whoopCycleSchema, request);
  }

  listRecoveries(request: WhoopPageRequest = {}): Promise<WhoopPage<WhoopRecovery>> {
    return this.#page('recovery', whoopRecoverySchema, request);
  }

  listSleeps(request: WhoopPageRequest = {}): Promise<WhoopPage<WhoopSleep>> {
    return this.#page('activity/sleep', whoopSleepSchema, request);
  }

  listWorkouts(request: WhoopPageRequest = {}): Promise<WhoopPage<WhoopWorkout>> {
    return this.#page('activity/workout', whoopWorkoutSchema, request);
  }

  /** Every cycle in the range, following `next_token` until the last page. */
  allCycles(range: WhoopRange = {}): Promise<WhoopCycle[]> {
    return collectPages((nextToken) => this.listCycles({ ...range, nextToken }));
  }

  allRecoveries(range: WhoopRange = {}): Promise<WhoopRecovery[]> {
    return collectPages((nextToken) => this.listRecoveries({ ...range, nextToken }));
  }

  allSleeps(range: WhoopRange = {}): Promise<WhoopSleep[]> {
    return collectPages((nextToken) => this.listSleeps({ ...range, nextToken }));
  }

  allWorkouts(range: WhoopRange = {}): Promise<WhoopWorkout[]> {
    return collectPages((nextToken) => this.listWorkouts({ ...range, nextToken }));
  }

  getCycle(cycleId: number): Promise<WhoopCycle> {
    return this.#get(`v2/cycle/${cycleId}`, whoopCycleSchema);
  }

  /** The recovery of a cycle, or null when the cycle has none (404: e.g. strap not worn). */
  async getRecoveryForCycle(cycleId: number): Promise<WhoopRecovery | null> {
    const response = await this.#http.send({
      url: joinUrl(this.#baseUrl, `v2/cycle/${cycleId}/recovery`),
      accessToken: this.#accessToken,
      acceptStatuses: [404],
    });
    if (response.status === 404) return null;
    return this.#http.parse(response, whoopRecoverySchema, `GET cycle ${cycleId} recovery`);
  }

  getSleepForCycle(cycleId: number): Promise<WhoopSleep> {
    return this.#get(`v2/cycle/${cycleId}/sleep`, whoopSleepSchema);
  }

  getSleep(sleepId: string): Promise<WhoopSleep> {
    return this.#get(`v2/activity/sleep/${encodeURIComponent(sleepId)}`, whoopSleepSchema);
  }

  getWorkout(workoutId: string): Promise<WhoopWorkout> {
    return this.#get(`v2/activity/workout/${encodeURIComponent(workoutId)}`, whoopWorkoutSchema);
  }

  /** `DELETE /v2/user/access`: revokes the token and stops webhooks for the user (204). */
  async revokeAccess(): Promise<void> {
    await this.#http.send({
      method: 'DELETE',
      url: joinUrl(this.#baseUrl, 'v2/user/access'),
      accessToken: this.#accessToken,
    });
  }

  #get<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> {
    return this.#http.json({ url: joinUrl(this.#baseUrl, path), accessToken: this.#accessToken }, schema);
  }

  async #page<S extends z.ZodType>(
    collection: WhoopCollection,
    record: S,
    request: WhoopPageRequest,
  ): Promise<WhoopPage<z.output<S>>> {
    const limit = request.limit ?? WHOOP_MAX_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 1 || limit > WHOOP_MAX_PAGE_SIZE) {
      throw new RangeError(`limit must be an integer from 1 to ${WHOOP_MAX_PAGE_SIZE}, got ${limit}`);
    }
    const page = await this.#http.json(
      {
        url: joinUrl(this.#baseUrl, `v2/${collection}`),
        accessToken: this.#accessToken,
        // camelCase `nextToken` in the query, snake_case `next_token` in the answer.
        query: {
          limit,
          start: isoOrUndefined(request.start),
          end: isoOrUndefined(request.end),
          nextToken: request.nextToken,
        },
      },
      whoopPageSchema(record),
    );
    return { records: page.records as z.output<S>[], nextToken: page.next_token ?? undefined };
  }
}

/** Follows next tokens until the last page; refuses a token that repeats (a server loop). */
export async function collectPages<T>(
  fetchPage: (nextToken: string | undefined) => Promise<WhoopPage<T>>,
): Promise<T[]> {
  const records: T[] = [];
  const seen = new Set<string>();
  let nextToken: string | undefined;
  do {
    const page = await fetchPage(nextToken);
    records.push(...page.records);
    nextToken = page.nextToken;
    if (nextToken !== undefined) {
      if (seen.has(nextToken)) throw new Error(`WHOOP paging loop: next_token ${nextToken} repeated`);
      seen.add(nextToken);
    }
  } while (nextToken !== undefined);
  return records;
}
