import type { CreateDeviceBody, Device } from '@athlete/contracts';
import type { UserPrincipal } from '../access/principal.ts';
import { hashSecret, INGEST_KEY_PREFIX, newSecret } from '../accounts/tokens.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { teamAccess } from '../teams/team-access.ts';
import { toDeviceView } from './device-view.ts';

/** Characters of the key kept for display ("apk_AbCd…"). */
const DISPLAY_PREFIX_LENGTH = 12;

/**
 * Registers a device and issues its ingest key (returned once; only its SHA-256 is stored).
 * A personal device writes for the caller; a gateway writes for the consenting athletes of a
 * team the caller coaches.
 */
export async function createDevice({
  deps,
  principal,
  input,
}: {
  deps: Deps;
  principal: UserPrincipal;
  input: CreateDeviceBody;
}): Promise<{ device: Device; key: string }> {
  let athleteId: string | null = null;
  let teamId: string | null = null;
  if (input.kind === 'personal') {
    if (input.teamId) {
      throw new AppError('VALIDATION_ERROR', 'body.teamId: only gateway devices belong to a team', [
        { field: 'body.teamId', message: 'only gateway devices belong to a team' },
      ]);
    }
    if (input.athleteId && input.athleteId !== principal.userId) {
      throw new AppError('FORBIDDEN', 'A personal device can only write for your own account');
    }
    athleteId = principal.userId;
  } else {
    if (!input.teamId) {
      throw new AppError('VALIDATION_ERROR', 'body.teamId: is required for a gateway', [
        { field: 'body.teamId', message: 'is required for a gateway' },
      ]);
    }
    if (input.athleteId) {
      throw new AppError(
        'VALIDATION_ERROR',
        'body.athleteId: a gateway writes for its team, not one athlete',
        [{ field: 'body.athleteId', message: 'a gateway writes for its team, not one athlete' }],
      );
    }
    await teamAccess({ deps, principal, teamId: input.teamId, need: 'coach' });
    teamId = input.teamId;
  }
  const key = newSecret(INGEST_KEY_PREFIX);
  const device = await deps.db.prisma.device.create({
    data: {
      ownerId: principal.userId,
      name: input.name,
      kind: input.kind,
      athleteId,
      teamId,
      keyHash: hashSecret(key),
      keyPrefix: key.slice(0, DISPLAY_PREFIX_LENGTH),
    },
  });
  return { device: toDeviceView(device), key };
}
