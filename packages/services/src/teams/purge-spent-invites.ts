import type { Deps } from '../deps.ts';

/**
 * Deletes team invites that can no longer be accepted (revoked, accepted or expired) once that
 * happened more than `retentionDays` ago. An invite still pending is never touched: it is not
 * revoked or accepted and expires after `now`, so none of the three conditions can hold.
 * Accepting a deleted invite's link answers 404 like any unknown code.
 */
export async function purgeSpentInvites({
  deps,
  retentionDays = deps.config.INVITE_RETENTION_DAYS,
  now = new Date(),
}: {
  deps: Pick<Deps, 'db' | 'config' | 'log'>;
  retentionDays?: number;
  now?: Date;
}): Promise<{ deleted: number }> {
  if (retentionDays <= 0) return { deleted: 0 };
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const { count } = await deps.db.prisma.teamInvite.deleteMany({
    where: {
      OR: [{ revokedAt: { lt: cutoff } }, { acceptedAt: { lt: cutoff } }, { expiresAt: { lt: cutoff } }],
    },
  });
  if (count > 0) deps.log.info({ deleted: count, retentionDays }, 'spent team invites deleted');
  return { deleted: count };
}
