import { createOAuthState, createPkcePair } from '@athlete/providers';
import { garminOAuth, whoopOAuth } from '../connections/oauth-clients.ts';
import type { ProviderId } from '../connections/provider-config.ts';
import type { Deps } from '../deps.ts';

/** An authorisation must complete within this long. */
export const OAUTH_STATE_TTL_MS = 10 * 60_000;

/**
 * Starts the OAuth dance: stores a random `state` (and for Garmin a PKCE verifier) for this user,
 * and returns the provider's consent URL to redirect the browser to. `origin` is the browser's
 * origin: the callback goes back there when PUBLIC_URL is not configured.
 */
export async function startConnect({
  deps,
  userId,
  provider,
  origin,
}: {
  deps: Pick<Deps, 'db' | 'config' | 'platform' | 'metrics' | 'log'>;
  userId: string;
  provider: ProviderId;
  origin?: string;
}): Promise<{ url: string }> {
  const state = createOAuthState();
  const pkce = provider === 'garmin' ? createPkcePair() : null;
  const url =
    provider === 'whoop'
      ? whoopOAuth(deps, origin).authorizeUrl({ state })
      : garminOAuth(deps, origin).authorizeUrl({ state, codeChallenge: pkce!.codeChallenge });
  const now = Date.now();
  await deps.db.prisma.oAuthState.deleteMany({ where: { expiresAt: { lt: new Date(now) } } });
  await deps.db.prisma.oAuthState.create({
    data: {
      state,
      userId,
      provider,
      codeVerifier: pkce?.codeVerifier ?? null,
      expiresAt: new Date(now + OAUTH_STATE_TTL_MS),
    },
  });
  return { url };
}
