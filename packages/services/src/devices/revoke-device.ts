import type { Device } from '@athlete/contracts';
import type { UserPrincipal } from '../access/principal.ts';
import { publishAccessChanged } from '../access/publish-access-changed.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { toDeviceView } from './device-view.ts';

/** Revokes a device's key at once (owner or admin). Idempotent. */
export async function revokeDevice({
  deps,
  principal,
  deviceId,
}: {
  deps: Deps;
  principal: UserPrincipal;
  deviceId: string;
}): Promise<Device> {
  const device = await deps.db.prisma.device.findUnique({ where: { id: deviceId } });
  if (!device || (device.ownerId !== principal.userId && principal.role !== 'admin')) {
    throw new AppError('NOT_FOUND', 'Device not found');
  }
  if (device.revokedAt) return toDeviceView(device);
  const revoked = await deps.db.prisma.device.update({
    where: { id: deviceId },
    data: { revokedAt: new Date() },
  });
  await publishAccessChanged(deps, {
    userId: device.ownerId,
    ...(device.athleteId ? { athleteId: device.athleteId } : {}),
    ...(device.teamId ? { teamId: device.teamId } : {}),
  });
  return toDeviceView(revoked);
}
