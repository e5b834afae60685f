import { GarminClient, ProviderError, WhoopClient } from '@athlete/providers';
import { encryptedTokenColumns } from '../connections/connection-tokens.ts';
import { garminOAuth, whoopOAuth } from '../connections/oauth-clients.ts';
import { providerHooks, withProviderRetry } from '../connections/provider-budget.ts';
import { type ProviderId, requireProviderSettings } from '../connections/provider-config.ts';
import { storeRawResponse } from '../connections/store-raw.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { startSyncRun } from '../sync/sync-jobs.ts';

/**
 * The provider redirected back: consume the state (single use, unexpired, same provider),
 * exchange the code (with the PKCE verifier for Garmin), identify the provider-side user, store
 * the tokens encrypted, and queue the backfill once the connection row is committed. `origin`:
 * the origin the provider sent the browser back to (the code exchange repeats that callback URL).
 */
export async function completeConnect({
  deps,
  provider,
  state,
  code,
  origin,
}: {
  deps: Deps;
  provider: ProviderId;
  state: string;
  code: string;
  origin?: string;
}): Promise<{ userId: string; connectionId: string; runId: string }> {
  const pending = await deps.db.prisma.oAuthState.findUnique({ where: { state } });
  // Single use: delete before anything else, so a replayed callback finds nothing.
  const consumed = await deps.db.prisma.oAuthState.deleteMany({ where: { state } });
  if (!pending || consumed.count === 0 || pending.provider !== provider) {
    throw new AppError('BAD_REQUEST', 'Unknown or already used OAuth state: start connecting again', {
      field: 'query.state',
    });
  }
  if (pending.expiresAt.getTime() < Date.now()) {
    throw new AppError('BAD_REQUEST', 'The authorisation took too long: start connecting again', {
      field: 'query.state',
    });
  }

  const settings = requireProviderSettings(deps.config, provider);
  let identity: { providerUserId: string; scopes: string[] };
  let tokens: Awaited<ReturnType<ReturnType<typeof whoopOAuth>['exchangeCode']>>;
  try {
    if (provider === 'whoop') {
      tokens = await whoopOAuth(deps, origin).exchangeCode(code);
      const client = new WhoopClient({
        accessToken: tokens.accessToken,
        apiBaseUrl: settings.apiBaseUrl,
        hooks: providerHooks(deps, provider),
      });
      const profile = await withProviderRetry(deps, provider, () => client.getProfile());
      await storeRawResponse({
        deps,
        userId: pending.userId,
        source: 'whoop',
        kind: 'profile',
        body: profile,
      });
      identity = {
        providerUserId: String(profile.user_id),
        scopes: (tokens.scope ?? '').split(/\s+/).filter(Boolean),
      };
    } else {
      if (!pending.codeVerifier) throw new AppError('BAD_REQUEST', 'OAuth state has no PKCE verifier');
      tokens = await garminOAuth(deps, origin).exchangeCode({ code, codeVerifier: pending.codeVerifier });
      const client = new GarminClient({
        accessToken: tokens.accessToken,
        apiBaseUrl: settings.apiBaseUrl,
        hooks: providerHooks(deps, provider),
      });
      const providerUserId = await withProviderRetry(deps, provider, () => client.getUserId());
      const scopes = await withProviderRetry(deps, provider, () => client.getPermissions());
      await storeRawResponse({
        deps,
        userId: pending.userId,
        source: 'garmin',
        kind: 'user',
        body: { userId: providerUserId, permissions: scopes },
      });
      identity = { providerUserId, scopes };
    }
  } catch (err) {
    if (err instanceof ProviderError) {
      throw new AppError('PROVIDER_ERROR', `${provider} refused the authorisation: ${err.message}`);
    }
    throw err;
  }

  const values = {
    providerUserId: identity.providerUserId,
    scopes: identity.scopes,
    status: 'active' as const,
    lastError: null,
    ...encryptedTokenColumns(deps, tokens),
  };
  const connection = await deps.db.prisma.providerConnection.upsert({
    where: { userId_provider: { userId: pending.userId, provider } },
    create: { userId: pending.userId, provider, ...values },
    update: values,
    select: { id: true },
  });
  const run = await startSyncRun({ deps, connectionId: connection.id, kind: 'backfill' });
  deps.log.info({ userId: pending.userId, provider }, 'provider connected; backfill queued');
  return { userId: pending.userId, connectionId: connection.id, runId: run.id };
}
