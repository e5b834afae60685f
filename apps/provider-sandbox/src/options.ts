import type { SandboxProvider } from './state/tokens.ts';
import type { FaultSettings, RateLimitSettings } from './state/traffic.ts';

export interface SandboxClientConfig {
  clientId: string;
  clientSecret: string;
  /** Shown on the consent page. */
  name: string;
  /** When non-empty, redirect_uri must equal one of these exactly (as WHOOP and Garmin require). */
  redirectUris: string[];
}

export interface SandboxOptions {
  /** Days of history per user. Default 365. */
  days?: number;
  /** The sandbox clock (data end, token expiry, rate-limit windows). Default `Date.now`. */
  now?: () => number;
  /** URL prefix standing in for `https://api.prod.whoop.com`. Default `/whoop`. */
  whoopPrefix?: string;
  /** URL prefix standing in for Garmin's hosts. Default `/garmin`. */
  garminPrefix?: string;
  whoopClient?: Partial<SandboxClientConfig>;
  garminClient?: Partial<SandboxClientConfig>;
  /** WHOOP's documented app limits; `false` turns enforcement off. Default 100/min, 10,000/day. */
  whoopRateLimits?: RateLimitSettings | false;
  /** Default 3600 (WHOOP documents 1 h). */
  whoopAccessTokenTtlS?: number;
  /** Default 86,400. */
  garminAccessTokenTtlS?: number;
  /** Where backfilled Garmin data is announced (ping or push), like the Endpoint Configuration tool. */
  garminNotificationUrl?: string;
  /** Default `ping`. */
  garminDelivery?: 'ping' | 'push';
  /** Delay before backfill notifications go out. Default 10 ms. */
  backfillDelayMs?: number;
  /** Base URL clients reach the sandbox at (used in Garmin callback URLs). Default: the listen address. */
  publicUrl?: string;
  faults?: Partial<Record<SandboxProvider, FaultSettings>>;
  logger?: boolean;
}

export interface ResolvedSandboxOptions {
  days: number;
  now: () => number;
  whoopPrefix: string;
  garminPrefix: string;
  whoopClient: SandboxClientConfig;
  garminClient: SandboxClientConfig;
  whoopRateLimits: RateLimitSettings | false;
  whoopAccessTokenTtlS: number;
  garminAccessTokenTtlS: number;
  garminNotificationUrl: string | undefined;
  garminDelivery: 'ping' | 'push';
  backfillDelayMs: number;
  publicUrl: string | undefined;
  faults: Partial<Record<SandboxProvider, FaultSettings>>;
  logger: boolean;
}

export const SANDBOX_WHOOP_CLIENT: SandboxClientConfig = {
  clientId: 'sandbox-whoop-client',
  clientSecret: 'sandbox-whoop-secret',
  name: 'Athlete Platform (sandbox)',
  redirectUris: [],
};

export const SANDBOX_GARMIN_CLIENT: SandboxClientConfig = {
  clientId: 'sandbox-garmin-client',
  clientSecret: 'sandbox-garmin-secret',
  name: 'Athlete Platform (sandbox)',
  redirectUris: [],
};

export function resolveOptions(options: SandboxOptions): ResolvedSandboxOptions {
  const days = options.days ?? 365;
  if (!Number.isInteger(days) || days < 1 || days > 3_650)
    throw new RangeError(`days must be 1–3650, got ${days}`);
  const prefix = (value: string | undefined, fallback: string) => (value ?? fallback).replace(/\/+$/, '');
  return {
    days,
    now: options.now ?? Date.now,
    whoopPrefix: prefix(options.whoopPrefix, '/whoop'),
    garminPrefix: prefix(options.garminPrefix, '/garmin'),
    whoopClient: { ...SANDBOX_WHOOP_CLIENT, ...options.whoopClient },
    garminClient: { ...SANDBOX_GARMIN_CLIENT, ...options.garminClient },
    whoopRateLimits: options.whoopRateLimits ?? { perMinute: 100, perDay: 10_000 },
    whoopAccessTokenTtlS: options.whoopAccessTokenTtlS ?? 3_600,
    garminAccessTokenTtlS: options.garminAccessTokenTtlS ?? 86_400,
    garminNotificationUrl: options.garminNotificationUrl,
    garminDelivery: options.garminDelivery ?? 'ping',
    backfillDelayMs: options.backfillDelayMs ?? 10,
    publicUrl: options.publicUrl?.replace(/\/+$/, ''),
    faults: options.faults ?? {},
    logger: options.logger ?? false,
  };
}
