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
  /** WHOOP: OAuth base (`/auth`, `/token`); Garmin: consent page. */
  authorizeBaseUrl: string;
  /** Garmin only: the token endpoint. */
  tokenUrl: string | undefined;
}

type ProviderConfig = Pick<
  Config,
  | 'PUBLIC_URL'
  | 'PORT'
  | 'WHOOP_CLIENT_ID'
  | 'WHOOP_CLIENT_SECRET'
  | 'WHOOP_API_URL'
  | 'WHOOP_OAUTH_URL'
  | 'GARMIN_CLIENT_ID'
  | 'GARMIN_CLIENT_SECRET'
  | 'GARMIN_API_URL'
  | 'GARMIN_OAUTH_URL'
  | 'GARMIN_TOKEN_URL'
>;

export function publicBaseUrl(config: Pick<Config, 'PUBLIC_URL' | 'PORT'>): string {
  return (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
}

/** Read from the configuration each time: the sandbox plugin may repoint the URLs at boot. */
export function providerSettings(config: ProviderConfig, provider: ProviderId): ProviderSettings | null {
  const redirectUri = `${publicBaseUrl(config)}/api/v1/integrations/${provider}/callback`;
  if (provider === 'whoop') {
    if (!config.WHOOP_CLIENT_ID || !config.WHOOP_CLIENT_SECRET) return null;
    return {
      provider,
      clientId: config.WHOOP_CLIENT_ID,
      clientSecret: config.WHOOP_CLIENT_SECRET,
      redirectUri,
      apiBaseUrl: config.WHOOP_API_URL,
      authorizeBaseUrl: config.WHOOP_OAUTH_URL,
      tokenUrl: undefined,
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

export function requireProviderSettings(config: ProviderConfig, provider: ProviderId): ProviderSettings {
  const settings = providerSettings(config, provider);
  if (!settings) {
    const prefix = provider.toUpperCase();
    throw new AppError(
      'PROVIDER_NOT_CONFIGURED',
      `${provider} is not configured: set ${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET (or PROVIDER_SANDBOX=true)`,
    );
  }
  return settings;
}
