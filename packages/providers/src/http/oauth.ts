import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ProviderHttp } from './provider-http.ts';

/** Tokens as the platform stores them; expiry instants are computed when the answer arrives. */
export interface OAuthTokenSet {
  accessToken: string;
  refreshToken: string | undefined;
  tokenType: string;
  scope: string | undefined;
  expiresInS: number;
  expiresAt: Date;
  refreshTokenExpiresAt: Date | undefined;
}

export const oauthTokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  token_type: z.string().default('bearer'),
  expires_in: z.number().int().nonnegative(),
  refresh_token_expires_in: z.number().int().nonnegative().optional(),
  scope: z.string().optional(),
});

export async function postTokenRequest(
  http: ProviderHttp,
  tokenUrl: string,
  form: Record<string, string>,
  nowMs: number,
): Promise<OAuthTokenSet> {
  const response = await http.json(
    {
      method: 'POST',
      url: tokenUrl,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    },
    oauthTokenResponseSchema,
  );
  return {
    accessToken: response.access_token,
    refreshToken: response.refresh_token,
    tokenType: response.token_type,
    scope: response.scope,
    expiresInS: response.expires_in,
    expiresAt: new Date(nowMs + response.expires_in * 1000),
    refreshTokenExpiresAt:
      response.refresh_token_expires_in === undefined
        ? undefined
        : new Date(nowMs + response.refresh_token_expires_in * 1000),
  };
}

/** A random URL-safe `state` (≥ 8 characters, as WHOOP may require). */
export function createOAuthState(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

export interface PkcePair {
  codeVerifier: string;
  codeChallenge: string;
  codeChallengeMethod: 'S256';
}

/** S256 challenge of a verifier (RFC 7636 §4.2). */
export function pkceChallenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
}

/** A fresh PKCE verifier (43–128 unreserved characters) and its S256 challenge. */
export function createPkcePair(): PkcePair {
  const codeVerifier = randomBytes(48).toString('base64url');
  return { codeVerifier, codeChallenge: pkceChallenge(codeVerifier), codeChallengeMethod: 'S256' };
}
