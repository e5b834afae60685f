import type { OAuthTokenSet } from '@athlete/providers';
import { ProviderAuthError } from '@athlete/providers';
import { decryptToken, encryptToken } from '../crypto/token-cipher.ts';
import { loadTokenKeyring } from '../crypto/token-keys.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { garminOAuth, whoopOAuth } from './oauth-clients.ts';
import type { ProviderId } from './provider-config.ts';

/** Refresh this long before expiry, so a token never expires mid-request. */
const REFRESH_MARGIN_MS = 2 * 60_000;
const REFRESH_LOCK_TTL_MS = 60_000;
/** A refresh waiting behind another gives up after this long. */
const REFRESH_WAIT_MS = 45_000;

type TokenDeps = Pick<Deps, 'config' | 'db' | 'platform' | 'metrics' | 'log'>;

/** The columns written for a fresh token set: ciphertexts and the key id, never plaintext. */
export function encryptedTokenColumns(deps: Pick<Deps, 'config'>, tokens: OAuthTokenSet) {
  const ring = loadTokenKeyring(deps.config);
  const access = encryptToken(ring, tokens.accessToken, 'access');
  return {
    accessTokenEnc: access.ciphertext,
    refreshTokenEnc:
      tokens.refreshToken === undefined
        ? null
        : encryptToken(ring, tokens.refreshToken, 'refresh').ciphertext,
    tokenKeyId: access.keyId,
    expiresAt: tokens.expiresAt,
  };
}

interface StoredTokens {
  accessToken: string | null;
  refreshToken: string | null;
  expiresAt: Date | null;
  provider: ProviderId;
}

async function readTokens(deps: TokenDeps, connectionId: string): Promise<StoredTokens> {
  const c = await deps.db.prisma.providerConnection.findUnique({
    where: { id: connectionId },
    select: {
      provider: true,
      status: true,
      accessTokenEnc: true,
      refreshTokenEnc: true,
      tokenKeyId: true,
      expiresAt: true,
    },
  });
  if (!c) throw new AppError('NOT_FOUND', 'connection not found');
  if (c.status === 'disconnected' || c.status === 'revoked' || !c.tokenKeyId) {
    throw new ProviderAuthError(c.provider, `${c.provider} connection is ${c.status}; reconnect it`);
  }
  const ring = loadTokenKeyring(deps.config);
  return {
    provider: c.provider,
    accessToken: c.accessTokenEnc ? decryptToken(ring, c.tokenKeyId, c.accessTokenEnc, 'access') : null,
    refreshToken: c.refreshTokenEnc ? decryptToken(ring, c.tokenKeyId, c.refreshTokenEnc, 'refresh') : null,
    expiresAt: c.expiresAt,
  };
}

const fresh = (t: StoredTokens) =>
  t.accessToken !== null && (t.expiresAt === null || t.expiresAt.getTime() - Date.now() > REFRESH_MARGIN_MS);

/**
 * Exchanges the refresh token for new tokens, serialised per connection across processes: the
 * refresh token rotates (WHOOP issues a new one each time), so two concurrent exchanges would
 * burn it. A caller that waited behind another refresh re-reads the row and reuses the new token.
 * `staleAccessToken` is the token a provider just refused (401): anything else counts as new.
 */
export async function refreshAccessToken({
  deps,
  connectionId,
  staleAccessToken,
}: {
  deps: TokenDeps;
  connectionId: string;
  staleAccessToken?: string;
}): Promise<string> {
  const lock = await deps.platform.locks.acquire(
    `token-refresh:${connectionId}`,
    REFRESH_LOCK_TTL_MS,
    REFRESH_WAIT_MS,
  );
  if (!lock) throw new AppError('SERVICE_UNAVAILABLE', 'token refresh is taking too long; try again');
  try {
    const current = await readTokens(deps, connectionId);
    const replacedMeanwhile =
      current.accessToken !== null &&
      staleAccessToken !== undefined &&
      current.accessToken !== staleAccessToken;
    if (fresh(current) && (staleAccessToken === undefined || replacedMeanwhile)) return current.accessToken!;
    if (!current.refreshToken) {
      throw new ProviderAuthError(
        current.provider,
        `${current.provider} gave no refresh token; reconnect it`,
      );
    }
    let tokens: OAuthTokenSet;
    try {
      tokens =
        current.provider === 'whoop'
          ? await whoopOAuth(deps).refresh(current.refreshToken)
          : await garminOAuth(deps).refresh(current.refreshToken);
    } catch (err) {
      if (err instanceof ProviderAuthError) {
        await deps.db.prisma.providerConnection.update({
          where: { id: connectionId },
          data: {
            status: 'error',
            lastError: 'The provider refused our refresh token: reconnect the account',
          },
        });
      }
      throw err;
    }
    // Keep the old refresh token when the provider does not rotate it.
    const merged = { ...tokens, refreshToken: tokens.refreshToken ?? current.refreshToken };
    await deps.db.prisma.providerConnection.update({
      where: { id: connectionId },
      data: encryptedTokenColumns(deps, merged),
    });
    deps.log.info({ connectionId, provider: current.provider }, 'provider token refreshed');
    return tokens.accessToken;
  } finally {
    await lock.release().catch(() => false);
  }
}

/** A valid access token for the connection, refreshed first when it is about to expire. */
export async function getAccessToken({ deps, connectionId }: { deps: TokenDeps; connectionId: string }) {
  const current = await readTokens(deps, connectionId);
  if (fresh(current)) return current.accessToken!;
  return refreshAccessToken({ deps, connectionId });
}
