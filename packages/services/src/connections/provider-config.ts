import type { Config } from '@athlete/config';
import { joinUrl } from '@athlete/providers';
import { AppError } from '../errors.ts';

export const PROVIDER_IDS = ['whoop', 'garmin'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export interface ProviderSettings {
  provider: ProviderId;
  clientId: string;
  clientSecret: string;
  /** Our callback, registered with the provider. */
  redirectUri: string;
  /** Base of the data API the clients call (WHOOP `/developer`, Garmin `/wellness-api/rest`). */
  apiBaseUrl: string;
  /** Where the browser goes to consent: WHOOP: base of `/auth`; Garmin: the consent page. */
  authorizeBaseUrl: string;
  /** What this server calls for tokens: WHOOP: base of `/token`; Garmin: the token endpoint. */
  tokenUrl: string;
}

type ProviderConfig = Pick<
  Config,
  | 'PUBLIC_URL'
  | 'PORT'
  | 'WHOOP_CLIENT_ID'
  | 'WHOOP_CLIENT_SECRET'
  | 'WHOOP_API_URL'
  | 'WHOOP_OAUTH_URL'
  | 'WHOOP_AUTHORIZE_URL'
  | 'GARMIN_CLIENT_ID'
  | 'GARMIN_CLIENT_SECRET'
  | 'GARMIN_API_URL'
  | 'GARMIN_OAUTH_URL'
  | 'GARMIN_TOKEN_URL'
>;

/**
 * Our public base URL: PUBLIC_URL when configured; otherwise the origin the browser used
 * (`origin`, from the request), so a user who opened the site as http://127.0.0.1:3000 or a LAN
 * address comes back there, signed in, rather than to localhost; localhost:PORT as a last resort.
 */
export function publicBaseUrl(config: Pick<Config, 'PUBLIC_URL' | 'PORT'>, origin?: string): string {
  return (config.PUBLIC_URL ?? origin ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
}

/**
 * Read from the configuration each time: the sandbox plugin may repoint the URLs at boot.
 * `origin`: the browser's origin, used for the callback only when PUBLIC_URL is not set.
 */
export function providerSettings(
  config: ProviderConfig,
  provider: ProviderId,
  origin?: string,
): ProviderSettings | null {
  const redirectUri = `${publicBaseUrl(config, origin)}/api/v1/integrations/${provider}/callback`;
  if (provider === 'whoop') {
    if (!config.WHOOP_CLIENT_ID || !config.WHOOP_CLIENT_SECRET) return null;
    return {
      provider,
      clientId: config.WHOOP_CLIENT_ID,
      clientSecret: config.WHOOP_CLIENT_SECRET,
      redirectUri,
      apiBaseUrl: config.WHOOP_API_URL,
      authorizeBaseUrl: config.WHOOP_AUTHORIZE_URL ?? config.WHOOP_OAUTH_URL,
      tokenUrl: config.WHOOP_OAUTH_URL,
    };
  }
  if (!config.GARMIN_CLIENT_ID || !config.GARMIN_CLIENT_SECRET) return null;
  return {
    provider,
    clientId: config.GARMIN_CLIENT_ID,
    clientSecret: config.GARMIN_CLIENT_SECRET,
    redirectUri,
    apiBaseUrl: joinUrl(config.GARMIN_API_URL, 'wellness-api/rest'),
    authorizeBaseUrl: config.GARMIN_OAUTH_URL,
    tokenUrl: config.GARMIN_TOKEN_URL,
  };
}

export function requireProviderSettings(
  config: ProviderConfig,
  provider: ProviderId,
  origin?: string,
): ProviderSettings {
  const settings = providerSettings(config, provider, origin);
  if (!settings) {
    const prefix = provider.toUpperCase();
    throw new AppError(
      'PROVIDER_NOT_CONFIGURED',
      `${provider} is not configured: set ${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET (or PROVIDER_SANDBOX=true)`,
    );
  }
  return settings;
}
