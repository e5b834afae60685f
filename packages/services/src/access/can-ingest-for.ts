import type { Deps } from '../deps.ts';
import type { Principal } from './principal.ts';
import { isUuid } from './uuid.ts';

/**
 * True when the principal may write samples for this athlete: the athlete themselves, a
 * personal key bound to them, or a gateway key of a team where they are a member with live
 * consent. A gateway acts for its owner, so it stops when the owner no longer coaches the team
 * (admins' gateways excepted, as admins may create them without being members).
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
    `SELECT 1 FROM team_members a JOIN users o ON o.id = $3::uuid
      WHERE a.team_id = $1::uuid AND a.user_id = $2::uuid AND a.role = 'athlete' AND a.consent_live
        AND (o.role = 'admin' OR EXISTS (SELECT 1 FROM team_members c
              WHERE c.team_id = a.team_id AND c.user_id = o.id AND c.role = 'coach'))`,
    [principal.teamId, athleteId, principal.ownerId],
  );
  return rows.length > 0;
}
