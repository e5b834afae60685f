import { type OAuthTokenSet, postTokenRequest } from '../http/oauth.ts';
import type { ProviderHooks } from '../http/provider-http.ts';
import { ProviderHttp } from '../http/provider-http.ts';

export const WHOOP_OAUTH_BASE_URL = 'https://api.prod.whoop.com/oauth/oauth2';

export const WHOOP_SCOPES = [
  'offline',
  'read:profile',
  'read:body_measurement',
  'read:cycles',
  'read:recovery',
  'read:sleep',
  'read:workout',
] as const;
export type WhoopScope = (typeof WHOOP_SCOPES)[number];

export interface WhoopOAuthOptions {
  clientId: string;
  clientSecret: string;
  /** Must match one registered in the WHOOP Developer Dashboard exactly. */
  redirectUri: string;
  /** Default `https://api.prod.whoop.com/oauth/oauth2` (`/auth` and `/token` hang off it). */
  oauthBaseUrl?: string;
  /** Base of the browser's `/auth` page when it differs from the token endpoint's (default: oauthBaseUrl). */
  authorizeBaseUrl?: string;
  fetch?: typeof fetch;
  hooks?: ProviderHooks;
  timeoutMs?: number;
  now?: () => number;
}

export interface WhoopOAuth {
  /** The consent URL. `state` must be ≥ 8 characters; scopes default to all, `offline` always included. */
  authorizeUrl(params: { state: string; scopes?: readonly WhoopScope[] }): string;
  exchangeCode(code: string): Promise<OAuthTokenSet>;
  /**
   * Trades a refresh token for new tokens. WHOOP returns a new refresh token every time and the
   * old one must be assumed dead: the caller serialises refreshes per user and stores the result.
   */
  refresh(refreshToken: string): Promise<OAuthTokenSet>;
}

export function createWhoopOAuth(options: WhoopOAuthOptions): WhoopOAuth {
  const base = (options.oauthBaseUrl ?? WHOOP_OAUTH_BASE_URL).replace(/\/+$/, '');
  const authorizeBase = (options.authorizeBaseUrl ?? base).replace(/\/+$/, '');
  const http = new ProviderHttp({
    provider: 'whoop',
    fetch: options.fetch,
    hooks: options.hooks,
    timeoutMs: options.timeoutMs,
  });
  const now = options.now ?? Date.now;
  const credentials = { client_id: options.clientId, client_secret: options.clientSecret };

  return {
    authorizeUrl({ state, scopes = WHOOP_SCOPES }) {
      if (state.length < 8) throw new RangeError('WHOOP state must be at least 8 characters');
      const scopeSet = new Set<string>(scopes);
      scopeSet.add('offline');
      const url = new URL(`${authorizeBase}/auth`);
      url.searchParams.set('client_id', options.clientId);
      url.searchParams.set('redirect_uri', options.redirectUri);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('scope', [...scopeSet].join(' '));
      url.searchParams.set('state', state);
      return url.toString();
    },
    exchangeCode(code) {
      return postTokenRequest(
        http,
        `${base}/token`,
        { grant_type: 'authorization_code', code, redirect_uri: options.redirectUri, ...credentials },
        now(),
      );
    },
    refresh(refreshToken) {
      return postTokenRequest(
        http,
        `${base}/token`,
        { grant_type: 'refresh_token', refresh_token: refreshToken, scope: 'offline', ...credentials },
        now(),
      );
    },
  };
}
