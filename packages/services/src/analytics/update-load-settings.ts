import type { LoadSettings } from '@athlete/contracts';
import type { Principal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { athleteLoadProfile } from './inputs.ts';

/** Sets the athlete's fitness (CTL) and fatigue (ATL) time constants; null restores the default. */
export async function updateLoadSettings({
  deps,
  principal,
  athleteId,
  ctlDays,
  atlDays,
}: {
  deps: Deps;
  principal: Principal | null;
  athleteId: string;
  ctlDays: number | null;
  atlDays: number | null;
}): Promise<LoadSettings> {
  if (principal?.kind !== 'user') throw new AppError('UNAUTHENTICATED', 'Sign in to change load settings');
  if (principal.userId !== athleteId && principal.role !== 'admin')
    throw new AppError('FORBIDDEN', 'Only the athlete changes their load settings');
  if (ctlDays !== null && atlDays !== null && atlDays >= ctlDays)
    throw new AppError('VALIDATION_ERROR', 'atlDays must be shorter than ctlDays', { field: 'atlDays' });
  const user = await deps.db.prisma.user.findUnique({ where: { id: athleteId }, select: { id: true } });
  if (!user) throw new AppError('NOT_FOUND', 'Athlete not found');
  await deps.db.prisma.athleteProfile.upsert({
    where: { userId: athleteId },
    create: { userId: athleteId, ctlDays, atlDays },
    update: { ctlDays, atlDays },
  });
  return (await athleteLoadProfile(deps, athleteId)).settings;
}
