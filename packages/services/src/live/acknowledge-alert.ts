import type { Alert } from '@athlete/contracts';
import { canViewAthlete, isUuid, type Principal } from '../access/index.ts';
import { AppError } from '../errors.ts';
import { toAlertOut, WITH_ACKNOWLEDGER } from '../sessions/serialize.ts';
import type { LiveParts } from './parts.ts';

/**
 * A coach (or admin) who may watch the athlete live acknowledges an alert. Idempotent: a
 * second acknowledgement keeps the first time and person. The change is pushed to viewers.
 */
export async function acknowledgeAlert({
  parts,
  principal,
  alertId,
}: {
  parts: LiveParts;
  principal: Principal | null;
  alertId: string;
}): Promise<Alert> {
  const { deps } = parts;
  if (principal?.kind !== 'user') throw new AppError('UNAUTHENTICATED', 'Sign in to acknowledge alerts');
  const alert = isUuid(alertId)
    ? await deps.db.prisma.alert.findUnique({ where: { id: alertId }, include: WITH_ACKNOWLEDGER })
    : null;
  if (!alert || !(await canViewAthlete({ deps, principal, athleteId: alert.athleteId, scope: 'live' }))) {
    throw new AppError('NOT_FOUND', 'Alert not found');
  }
  if (principal.role !== 'coach' && principal.role !== 'admin') {
    throw new AppError('FORBIDDEN', 'Only a coach or an admin can acknowledge alerts');
  }
  if (alert.acknowledgedAt) return toAlertOut(alert);
  await deps.db.prisma.alert.updateMany({
    where: { id: alert.id, acknowledgedAt: null },
    data: { acknowledgedAt: new Date(), acknowledgedById: principal.userId },
  });
  const row = await deps.db.prisma.alert.findUniqueOrThrow({
    where: { id: alert.id },
    include: WITH_ACKNOWLEDGER,
  });
  const out = toAlertOut(row);
  parts.invalidate(row.athleteId);
  parts.hub.publishEvent(row.athleteId, { type: 'alert', alert: out });
  return out;
}
