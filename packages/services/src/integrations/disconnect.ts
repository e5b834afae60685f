import { GarminClient, WhoopClient } from '@athlete/providers';
import { getAccessToken } from '../connections/connection-tokens.ts';
import { providerHooks, withProviderRetry } from '../connections/provider-budget.ts';
import { type ProviderId, providerSettings } from '../connections/provider-config.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';

/**
 * Disconnect: revoke our access at the provider (WHOOP `DELETE /v2/user/access`, Garmin
 * `DELETE user/registration`), then erase the tokens and mark the connection disconnected. The
 * data already imported stays. A provider that cannot be reached does not block the user:
 * the tokens are erased either way and the failure is recorded.
 */
export async function disconnectProvider({
  deps,
  userId,
  provider,
}: {
  deps: Pick<Deps, 'db' | 'config' | 'platform' | 'metrics' | 'log'>;
  userId: string;
  provider: ProviderId;
}): Promise<{ revokedAtProvider: boolean }> {
  const connection = await deps.db.prisma.providerConnection.findUnique({
    where: { userId_provider: { userId, provider } },
  });
  if (!connection || connection.status === 'disconnected') {
    throw new AppError('NOT_FOUND', `${provider} is not connected`);
  }
  let revokedAtProvider = false;
  const settings = providerSettings(deps.config, provider);
  if (settings && connection.status !== 'revoked' && connection.tokenKeyId) {
    try {
      const accessToken = await getAccessToken({ deps, connectionId: connection.id });
      const hooks = providerHooks(deps, provider);
      if (provider === 'whoop') {
        const client = new WhoopClient({ accessToken, apiBaseUrl: settings.apiBaseUrl, hooks });
        await withProviderRetry(deps, provider, () => client.revokeAccess());
      } else {
        const client = new GarminClient({ accessToken, apiBaseUrl: settings.apiBaseUrl, hooks });
        await withProviderRetry(deps, provider, () => client.deleteRegistration());
      }
      revokedAtProvider = true;
    } catch (err) {
      deps.log.warn(
        { err: err instanceof Error ? err.message : String(err), provider },
        'revocation at provider failed',
      );
    }
  }
  await deps.db.prisma.providerConnection.update({
    where: { id: connection.id },
    data: {
      status: 'disconnected',
      accessTokenEnc: null,
      refreshTokenEnc: null,
      tokenKeyId: null,
      expiresAt: null,
      lastError: revokedAtProvider ? null : `Could not revoke access at ${provider}; tokens were erased here`,
    },
  });
  await deps.db.prisma.syncRun.updateMany({
    where: { connectionId: connection.id, status: { in: ['queued', 'running', 'waiting'] } },
    data: { status: 'failed', error: 'disconnected', finishedAt: new Date() },
  });
  return { revokedAtProvider };
}
