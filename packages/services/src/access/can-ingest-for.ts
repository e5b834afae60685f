import type { Deps } from '../deps.ts';
import type { Principal } from './principal.ts';
import { isUuid } from './uuid.ts';

/**
 * True when the principal may write samples for this athlete: the athlete themselves, a
 * personal key bound to them, or a gateway key of a team where they are a member with live
 * consent.
 */
export async function canIngestFor({
  deps,
  principal,
  athleteId,
}: {
  deps: Deps;
  principal: Principal | null;
  athleteId: string;
}): Promise<boolean> {
  if (!principal) return false;
  if (principal.kind === 'user') return principal.userId === athleteId;
  if (principal.deviceKind === 'personal') return principal.athleteId === athleteId;
  if (!principal.teamId || !isUuid(athleteId)) return false;
  const rows = await deps.db.query(
    `SELECT 1 FROM team_members WHERE team_id = $1::uuid AND user_id = $2::uuid AND role = 'athlete' AND consent_live`,
    [principal.teamId, athleteId],
  );
  return rows.length > 0;
}
