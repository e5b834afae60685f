import type { Deps } from '../deps.ts';
import type { Principal } from './principal.ts';
import { isUuid } from './uuid.ts';

/**
 * The athletes among `athleteIds` the principal may write samples for: the athlete
 * themselves, a personal key bound to them, or a gateway key of a team where they are a member
 * with live consent and an enabled account. A gateway acts for its owner, so it stops when the
 * owner no longer coaches the team (admins' gateways excepted, as admins may create them
 * without being members) or is disabled. (A disabled user's sessions and personal keys stop
 * resolving, so the other cases need no such check.)
 * One query however many athletes a gateway message names; `canIngestFor` is the one-athlete
 * case of this rule.
 */
export async function ingestableAthletes({
  deps,
  principal,
  athleteIds,
}: {
  deps: Pick<Deps, 'db'>;
  principal: Principal | null;
  athleteIds: Iterable<string>;
}): Promise<Set<string>> {
  const allowed = new Set<string>();
  if (!principal) return allowed;
  if (principal.kind === 'user' || principal.deviceKind === 'personal') {
    const self = principal.kind === 'user' ? principal.userId : principal.athleteId;
    for (const id of athleteIds) if (id === self) allowed.add(id);
    return allowed;
  }
  if (!principal.teamId) return allowed;
  const ids = [...new Set(athleteIds)].filter(isUuid);
  if (ids.length === 0) return allowed;
  const rows = await deps.db.query<{ user_id: string }>(
    `SELECT a.user_id::text AS user_id FROM team_members a
       JOIN users u ON u.id = a.user_id AND u.disabled_at IS NULL
       JOIN users o ON o.id = $3::uuid AND o.disabled_at IS NULL
      WHERE a.team_id = $1::uuid AND a.user_id = ANY($2::uuid[]) AND a.role = 'athlete' AND a.consent_live
        AND (o.role = 'admin' OR EXISTS (SELECT 1 FROM team_members c
              WHERE c.team_id = a.team_id AND c.user_id = o.id AND c.role = 'coach'))`,
    [principal.teamId, ids, principal.ownerId],
  );
  // Postgres prints uuids in lower case; answer in the caller's spelling.
  const members = new Set(rows.map((r) => r.user_id));
  for (const id of ids) if (members.has(id.toLowerCase())) allowed.add(id);
  return allowed;
}
