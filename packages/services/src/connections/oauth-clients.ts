import { createGarminOAuth, createWhoopOAuth, type GarminOAuth, type WhoopOAuth } from '@athlete/providers';
import type { Deps } from '../deps.ts';
import { providerHooks } from './provider-budget.ts';
import { requireProviderSettings } from './provider-config.ts';

/**
 * WHOOP's OAuth endpoints for this configuration; token calls share the provider budget.
 * `origin`: the browser's origin for the callback URL when PUBLIC_URL is not set.
 */
export function whoopOAuth(
  deps: Pick<Deps, 'config' | 'platform' | 'metrics' | 'log'>,
  origin?: string,
): WhoopOAuth {
  const s = requireProviderSettings(deps.config, 'whoop', origin);
  return createWhoopOAuth({
    clientId: s.clientId,
    clientSecret: s.clientSecret,
    redirectUri: s.redirectUri,
    oauthBaseUrl: s.tokenUrl,
    authorizeBaseUrl: s.authorizeBaseUrl,
    hooks: providerHooks(deps, 'whoop'),
  });
}

export function garminOAuth(
  deps: Pick<Deps, 'config' | 'platform' | 'metrics' | 'log'>,
  origin?: string,
): GarminOAuth {
  const s = requireProviderSettings(deps.config, 'garmin', origin);
  return createGarminOAuth({
    clientId: s.clientId,
    clientSecret: s.clientSecret,
    redirectUri: s.redirectUri,
    authorizeUrl: s.authorizeBaseUrl,
    tokenUrl: s.tokenUrl,
    hooks: providerHooks(deps, 'garmin'),
  });
}
