import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ProviderHooks,
  ProviderRateLimitError,
  type ProviderResponseInfo,
  ProviderUnavailableError,
} from '@athlete/providers';
import type { Deps } from '../deps.ts';
import type { ProviderId } from './provider-config.ts';
import { providerMetrics } from './provider-metrics.ts';

export interface BudgetWindow {
  name: string;
  limit: number;
  windowMs: number;
}

/**
 * App-wide request budgets per provider, shared by every process through the rate limiter
 * (Redis DB 3 in services mode). WHOOP documents 100/min and 10,000/day per app. Garmin
 * documents no general request limit (only backfill days per minute): a backfill is answered
 * with one ping per upload day and type, each fetched once, so its budget is a generous guard.
 */
export const PROVIDER_BUDGETS: Record<ProviderId, BudgetWindow[]> = {
  whoop: [
    { name: 'min', limit: 100, windowMs: 60_000 },
    { name: 'day', limit: 10_000, windowMs: 86_400_000 },
  ],
  garmin: [
    { name: 'min', limit: 1_000, windowMs: 60_000 },
    { name: 'day', limit: 100_000, windowMs: 86_400_000 },
  ],
};

/** Waiting longer than this inside a job is pointless: the job fails and retries later instead. */
const MAX_WAIT_MS = 5 * 60_000;
/** Below this share of a window left (per the provider's headers), requests are spread out. */
const SLOW_DOWN_BELOW = 0.1;

const budgetKey = (provider: ProviderId, window: BudgetWindow) => `provider:${provider}:${window.name}`;

/** Per-process pacing state from the provider's own headers (adaptive slow-down). */
const pacing = new Map<ProviderId, number>();

const remainingGauge = (deps: Pick<Deps, 'metrics'>) => providerMetrics(deps).remaining;
const requestsCounter = (deps: Pick<Deps, 'metrics'>) => providerMetrics(deps).requests;

/** Takes one unit from every window of the provider's budget, waiting while one is exhausted. */
export async function takeProviderBudget(
  deps: Pick<Deps, 'platform' | 'metrics'>,
  provider: ProviderId,
  budgets: BudgetWindow[] = PROVIDER_BUDGETS[provider],
): Promise<void> {
  const started = Date.now();
  for (;;) {
    const paceUntil = pacing.get(provider) ?? 0;
    if (paceUntil > Date.now()) await sleep(paceUntil - Date.now());
    let waitMs = 0;
    for (const window of budgets) {
      const result = await deps.platform.rateLimiter.consume(
        budgetKey(provider, window),
        window.limit,
        window.windowMs,
      );
      if (window.name === 'min') remainingGauge(deps).set({ provider }, result.remaining);
      if (!result.allowed) {
        // Units taken from earlier windows stay spent: we err on the side of fewer requests.
        waitMs = Math.max(1, result.retryAfterMs);
        break;
      }
    }
    if (waitMs === 0) return;
    if (Date.now() - started + waitMs > MAX_WAIT_MS) {
      throw new ProviderRateLimitError(provider, waitMs, `${provider} request budget exhausted; retry later`);
    }
    await sleep(waitMs);
  }
}

/** Reads the provider's X-RateLimit-* headers: gauge, app-wide block at zero, pacing when low. */
export async function observeProviderResponse(
  deps: Pick<Deps, 'platform' | 'metrics'>,
  provider: ProviderId,
  info: ProviderResponseInfo,
): Promise<void> {
  requestsCounter(deps).inc({ provider, status: String(info.status) });
  const rl = info.rateLimit;
  if (!rl || rl.remaining === undefined) return;
  remainingGauge(deps).set({ provider }, rl.remaining);
  const resetMs = (rl.resetS ?? 60) * 1000;
  if (rl.remaining <= 0) {
    await blockProvider(deps, provider, resetMs);
  } else if (rl.limit !== undefined && rl.remaining < rl.limit * SLOW_DOWN_BELOW) {
    // Spread what is left over the rest of the window instead of bursting into a 429.
    pacing.set(provider, Date.now() + Math.ceil(resetMs / rl.remaining));
  }
}

/** Stops every process from calling the provider until `afterMs` from now (429, Retry-After). */
export async function blockProvider(
  deps: Pick<Deps, 'platform'>,
  provider: ProviderId,
  afterMs: number,
  budgets: BudgetWindow[] = PROVIDER_BUDGETS[provider],
): Promise<void> {
  const first = budgets[0];
  if (first) await deps.platform.rateLimiter.blockUntil(budgetKey(provider, first), Date.now() + afterMs);
}

/** Hooks for a provider client: take budget before, read headers after. */
export function providerHooks(
  deps: Pick<Deps, 'platform' | 'metrics' | 'log'>,
  provider: ProviderId,
): ProviderHooks {
  return {
    beforeRequest: () => takeProviderBudget(deps, provider),
    onResponse: (info) => {
      observeProviderResponse(deps, provider, info).catch((err) =>
        deps.log.warn({ err, provider }, 'could not record provider rate-limit headers'),
      );
    },
  };
}

export interface ProviderRetryOptions {
  /** 429s tolerated for one call before giving up (the job then retries with backoff). */
  maxRateLimited?: number;
  /** 5xx/network failures retried in place. */
  maxUnavailable?: number;
}

/**
 * Runs one provider call, honouring 429 (Retry-After / X-RateLimit-Reset, else exponential) by
 * blocking the provider app-wide and retrying, and retrying brief 5xx/network failures.
 */
export async function withProviderRetry<T>(
  deps: Pick<Deps, 'platform'>,
  provider: ProviderId,
  fn: () => Promise<T>,
  opts: ProviderRetryOptions = {},
): Promise<T> {
  const maxRateLimited = opts.maxRateLimited ?? 20;
  const maxUnavailable = opts.maxUnavailable ?? 3;
  let rateLimited = 0;
  let unavailable = 0;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ProviderRateLimitError && rateLimited < maxRateLimited) {
        rateLimited++;
        const waitMs = Math.min(err.retryAfterMs ?? 500 * 2 ** Math.min(rateLimited, 6), MAX_WAIT_MS);
        await blockProvider(deps, provider, Math.max(waitMs, 50));
        continue;
      }
      if (err instanceof ProviderUnavailableError && unavailable < maxUnavailable) {
        unavailable++;
        await sleep(250 * 2 ** unavailable);
        continue;
      }
      throw err;
    }
  }
}
