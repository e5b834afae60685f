import type { Device } from '@athlete/contracts';
import type { UserPrincipal } from '../access/principal.ts';
import type { Deps } from '../deps.ts';
import { toDeviceView } from './device-view.ts';

/** The caller's devices, newest first, revoked ones included (marked). */
export async function listDevices({
  deps,
  principal,
}: {
  deps: Deps;
  principal: UserPrincipal;
}): Promise<Device[]> {
  const rows = await deps.db.prisma.device.findMany({
    where: { ownerId: principal.userId },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
  });
  return rows.map(toDeviceView);
}
