import { type OAuthTokenSet, postTokenRequest } from '../http/oauth.ts';
import { type ProviderHooks, ProviderHttp } from '../http/provider-http.ts';

export const GARMIN_AUTHORIZE_URL = 'https://connect.garmin.com/oauth2Confirm';
export const GARMIN_TOKEN_URL = 'https://diauth.garmin.com/di-oauth2-service/oauth/token';

export interface GarminOAuthOptions {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Default `https://connect.garmin.com/oauth2Confirm`. */
  authorizeUrl?: string;
  /** Default `https://diauth.garmin.com/di-oauth2-service/oauth/token`. */
  tokenUrl?: string;
  fetch?: typeof fetch;
  hooks?: ProviderHooks;
  timeoutMs?: number;
  now?: () => number;
}

export interface GarminOAuth {
  /** Consent URL for OAuth 2.0 + PKCE (S256); keep the verifier server-side with the state. */
  authorizeUrl(params: { state: string; codeChallenge: string }): string;
  exchangeCode(params: { code: string; codeVerifier: string }): Promise<OAuthTokenSet>;
  /** The refresh token may rotate: store whatever comes back. */
  refresh(refreshToken: string): Promise<OAuthTokenSet>;
}

export function createGarminOAuth(options: GarminOAuthOptions): GarminOAuth {
  const http = new ProviderHttp({
    provider: 'garmin',
    fetch: options.fetch,
    hooks: options.hooks,
    timeoutMs: options.timeoutMs,
  });
  const tokenUrl = options.tokenUrl ?? GARMIN_TOKEN_URL;
  const now = options.now ?? Date.now;
  const credentials = { client_id: options.clientId, client_secret: options.clientSecret };

  return {
    authorizeUrl({ state, codeChallenge }) {
      const url = new URL(options.authorizeUrl ?? GARMIN_AUTHORIZE_URL);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('client_id', options.clientId);
      url.searchParams.set('redirect_uri', options.redirectUri);
      url.searchParams.set('code_challenge', codeChallenge);
      url.searchParams.set('code_challenge_method', 'S256');
      url.searchParams.set('state', state);
      return url.toString();
    },
    exchangeCode({ code, codeVerifier }) {
      return postTokenRequest(
        http,
        tokenUrl,
        {
          grant_type: 'authorization_code',
          code,
          code_verifier: codeVerifier,
          redirect_uri: options.redirectUri,
          ...credentials,
        },
        now(),
      );
    },
    refresh(refreshToken) {
      return postTokenRequest(
        http,
        tokenUrl,
        { grant_type: 'refresh_token', refresh_token: refreshToken, ...credentials },
        now(),
      );
    },
  };
}
