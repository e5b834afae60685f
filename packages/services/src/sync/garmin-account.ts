import type { GarminNotification } from '@athlete/providers';
import type { Deps } from '../deps.ts';

type AccountEvent = Extract<GarminNotification, { kind: 'deregistration' | 'permissionsChange' }>;

/** Garmin data permissions without which nothing reaches us. */
const DATA_PERMISSIONS = ['HEALTH_EXPORT', 'ACTIVITY_EXPORT'];

/**
 * Deregistration (the user disconnected us in Garmin Connect, or we deleted the registration):
 * the connection is revoked and its tokens erased. A permission change records what the user
 * now shares, and flags the connection when no data permission is left.
 */
export async function applyGarminAccountEvents({
  deps,
  connectionId,
  events,
}: {
  deps: Pick<Deps, 'db' | 'log'>;
  connectionId: string;
  events: AccountEvent[];
}): Promise<void> {
  for (const event of events) {
    if (event.kind === 'deregistration') {
      await deps.db.prisma.providerConnection.update({
        where: { id: connectionId },
        data: {
          status: 'revoked',
          accessTokenEnc: null,
          refreshTokenEnc: null,
          tokenKeyId: null,
          expiresAt: null,
          lastError: 'Garmin deregistered this user: connect again to resume syncing',
        },
      });
      await deps.db.prisma.syncRun.updateMany({
        where: { connectionId, status: { in: ['queued', 'running', 'waiting'] } },
        data: { status: 'failed', error: 'connection revoked by Garmin', finishedAt: new Date() },
      });
      deps.log.info({ connectionId }, 'garmin deregistration: connection revoked');
    } else {
      const sharesData = event.permissions.some((p) => DATA_PERMISSIONS.includes(p));
      await deps.db.prisma.providerConnection.update({
        where: { id: connectionId },
        data: {
          scopes: event.permissions,
          lastError: sharesData
            ? null
            : 'No Garmin data permission is granted (HEALTH_EXPORT or ACTIVITY_EXPORT)',
        },
      });
    }
  }
}
