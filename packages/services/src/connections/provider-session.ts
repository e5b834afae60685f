import { GarminClient, ProviderAuthError, WhoopClient } from '@athlete/providers';
import type { Deps } from '../deps.ts';
import { getAccessToken, refreshAccessToken } from './connection-tokens.ts';
import { providerHooks, withProviderRetry } from './provider-budget.ts';
import { type ProviderId, requireProviderSettings } from './provider-config.ts';

type SessionDeps = Pick<Deps, 'config' | 'db' | 'platform' | 'metrics' | 'log'>;

/** A provider client bound to one connection: budgeted, 429-aware, refreshing on 401 once. */
export interface ProviderSession<C> {
  client: C;
  /** Calls the provider through the retry policy; counts requests for the run. */
  call<T>(fn: (client: C) => Promise<T>): Promise<T>;
  readonly requests: number;
}

function bind<C>(
  deps: SessionDeps,
  provider: ProviderId,
  connectionId: string,
  make: (token: () => Promise<string>, hooks: ReturnType<typeof providerHooks>) => C,
): ProviderSession<C> {
  let token: string | undefined;
  let requests = 0;
  const tokenSource = async () => {
    token ??= await getAccessToken({ deps, connectionId });
    return token;
  };
  const hooks = providerHooks(deps, provider);
  const counted = {
    ...hooks,
    beforeRequest: async (info: Parameters<NonNullable<typeof hooks.beforeRequest>>[0]) => {
      await hooks.beforeRequest?.(info);
      requests++;
    },
  };
  const client = make(tokenSource, counted);
  return {
    client,
    get requests() {
      return requests;
    },
    async call(fn) {
      return withProviderRetry(deps, provider, async () => {
        try {
          return await fn(client);
        } catch (err) {
          // One refresh per 401: the token may have expired early or been rotated elsewhere.
          if (!(err instanceof ProviderAuthError) || err.status !== 401 || token === undefined) throw err;
          token = await refreshAccessToken({ deps, connectionId, staleAccessToken: token });
          return fn(client);
        }
      });
    },
  };
}

export function whoopSession(deps: SessionDeps, connectionId: string): ProviderSession<WhoopClient> {
  const s = requireProviderSettings(deps.config, 'whoop');
  return bind(
    deps,
    'whoop',
    connectionId,
    (accessToken, hooks) => new WhoopClient({ accessToken, apiBaseUrl: s.apiBaseUrl, hooks }),
  );
}

export function garminSession(deps: SessionDeps, connectionId: string): ProviderSession<GarminClient> {
  const s = requireProviderSettings(deps.config, 'garmin');
  return bind(
    deps,
    'garmin',
    connectionId,
    (accessToken, hooks) => new GarminClient({ accessToken, apiBaseUrl: s.apiBaseUrl, hooks }),
  );
}
