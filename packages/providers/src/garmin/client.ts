import { z } from 'zod';
import { ProviderRequestError } from '../errors.ts';
import { type AccessTokenSource, joinUrl, type ProviderHooks, ProviderHttp } from '../http/provider-http.ts';
import { chunkBackfillRange, chunkRange, type EpochRange, toEpochSeconds } from './backfill.ts';
import { garminPermissionsSchema, garminUserIdSchema } from './schemas.ts';
import {
  type GarminBackfillType,
  type GarminSummaryOf,
  type GarminSummaryType,
  garminBackfillMaxDays,
  garminSummarySchemas,
} from './summary-types.ts';

export const GARMIN_API_BASE_URL = 'https://apis.garmin.com/wellness-api/rest';
/** Pull requests may span at most 24 h of upload time. */
export const GARMIN_MAX_PULL_RANGE_S = 86_400;

export interface GarminClientOptions {
  accessToken: AccessTokenSource;
  /** Default `https://apis.garmin.com/wellness-api/rest`. */
  apiBaseUrl?: string;
  fetch?: typeof fetch;
  hooks?: ProviderHooks;
  timeoutMs?: number;
}

export interface GarminTimeRange {
  start: Date | number;
  end: Date | number;
}

export interface BackfillWindowResult {
  type: GarminBackfillType;
  startS: number;
  endS: number;
  /** `accepted` (202) or `duplicate` (409: that range was already requested, nothing to do). */
  status: 'accepted' | 'duplicate';
}

/** Garmin Health + Activity API client for one user's OAuth 2.0 token. */
export class GarminClient {
  readonly #http: ProviderHttp;
  readonly #baseUrl: string;
  readonly #accessToken: AccessTokenSource;

  constructor(options: GarminClientOptions) {
    this.#http = new ProviderHttp({
      provider: 'garmin',
      fetch: options.fetch,
      hooks: options.hooks,
      timeoutMs: options.timeoutMs,
    });
    this.#baseUrl = options.apiBaseUrl ?? GARMIN_API_BASE_URL;
    this.#accessToken = options.accessToken;
  }

  /** The stable Garmin user id (survives re-authorisation). */
  async getUserId(): Promise<string> {
    const body = await this.#http.json(
      { url: joinUrl(this.#baseUrl, 'user/id'), accessToken: this.#accessToken },
      garminUserIdSchema,
    );
    return body.userId;
  }

  /** What the user granted, which may be less than the app asked for. */
  getPermissions(): Promise<string[]> {
    return this.#http.json(
      { url: joinUrl(this.#baseUrl, 'user/permissions'), accessToken: this.#accessToken },
      garminPermissionsSchema,
    );
  }

  /** Disconnect: `DELETE user/registration` (204); Garmin then sends a final deregistration. */
  async deleteRegistration(): Promise<void> {
    await this.#http.send({
      method: 'DELETE',
      url: joinUrl(this.#baseUrl, 'user/registration'),
      accessToken: this.#accessToken,
    });
  }

  /**
   * Pulls summaries uploaded in [start, end), split into the documented ≤ 24 h windows.
   * Production apps are ping/push driven; this serves callbacks' siblings, tests and the sandbox.
   */
  async pullSummaries<T extends GarminSummaryType>(
    type: T,
    uploadRange: GarminTimeRange,
  ): Promise<GarminSummaryOf<T>[]> {
    const range = { startS: toEpochSeconds(uploadRange.start), endS: toEpochSeconds(uploadRange.end) };
    const results: GarminSummaryOf<T>[] = [];
    for (const window of chunkRange(range, GARMIN_MAX_PULL_RANGE_S)) {
      const page = await this.#http.json(
        {
          url: joinUrl(this.#baseUrl, type),
          accessToken: this.#accessToken,
          query: { uploadStartTimeInSeconds: window.startS, uploadEndTimeInSeconds: window.endS },
        },
        z.array(garminSummarySchemas[type]),
      );
      results.push(...(page as GarminSummaryOf<T>[]));
    }
    return results;
  }

  dailies(range: GarminTimeRange) {
    return this.pullSummaries('dailies', range);
  }
  sleeps(range: GarminTimeRange) {
    return this.pullSummaries('sleeps', range);
  }
  hrv(range: GarminTimeRange) {
    return this.pullSummaries('hrv', range);
  }
  stressDetails(range: GarminTimeRange) {
    return this.pullSummaries('stressDetails', range);
  }
  bodyComps(range: GarminTimeRange) {
    return this.pullSummaries('bodyComps', range);
  }
  userMetrics(range: GarminTimeRange) {
    return this.pullSummaries('userMetrics', range);
  }
  activities(range: GarminTimeRange) {
    return this.pullSummaries('activities', range);
  }
  activityDetails(range: GarminTimeRange) {
    return this.pullSummaries('activityDetails', range);
  }

  /**
   * GETs a ping's `callbackURL` exactly as given and validates the summaries. The URL must be on
   * the configured API origin, so a forged ping cannot make us send our token elsewhere.
   */
  async fetchCallback<T extends GarminSummaryType>(
    type: T,
    callbackURL: string,
  ): Promise<GarminSummaryOf<T>[]> {
    this.#assertOwnOrigin(callbackURL);
    const body = await this.#http.json(
      { url: callbackURL, accessToken: this.#accessToken },
      z.array(garminSummarySchemas[type]),
    );
    return body as GarminSummaryOf<T>[];
  }

  /**
   * Downloads an activity file from its ping callback URL (valid 24 h, one download: a second
   * one is a 410 `ProviderRequestError`).
   */
  async downloadActivityFile(callbackURL: string): Promise<Uint8Array> {
    this.#assertOwnOrigin(callbackURL);
    const response = await this.#http.send({
      url: callbackURL,
      accessToken: this.#accessToken,
      headers: { accept: 'application/octet-stream, */*' },
    });
    return new Uint8Array(await response.arrayBuffer());
  }

  /**
   * Asks Garmin to re-send history for [start, end) (when the data was recorded), split into
   * windows of the per-type maximum (90 days Health, 30 days Activity). Data arrives later by
   * ping/push. A 409 means the window was already requested and counts as done.
   */
  async requestBackfill(type: GarminBackfillType, range: GarminTimeRange): Promise<BackfillWindowResult[]> {
    const epochRange: EpochRange = { startS: toEpochSeconds(range.start), endS: toEpochSeconds(range.end) };
    const results: BackfillWindowResult[] = [];
    for (const window of chunkBackfillRange(epochRange, garminBackfillMaxDays(type))) {
      const response = await this.#http.send({
        url: joinUrl(this.#baseUrl, `backfill/${type}`),
        accessToken: this.#accessToken,
        query: { summaryStartTimeInSeconds: window.startS, summaryEndTimeInSeconds: window.endS },
        acceptStatuses: [409],
      });
      await response.body?.cancel();
      results.push({ type, ...window, status: response.status === 409 ? 'duplicate' : 'accepted' });
    }
    return results;
  }

  #assertOwnOrigin(url: string): void {
    if (new URL(url).origin !== new URL(this.#baseUrl).origin) {
      throw new ProviderRequestError(
        'garmin',
        400,
        `refusing callback URL outside ${this.#baseUrl}: ${url}`,
        '',
      );
    }
  }
}
