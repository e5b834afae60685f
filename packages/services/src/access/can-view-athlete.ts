import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import type { AccessScope, Principal } from './principal.ts';
import { isUuid } from './uuid.ts';

export interface ViewAthleteOptions {
  deps: Deps;
  principal: Principal | null;
  athleteId: string;
  scope: AccessScope;
}

const CONSENT_COLUMN: Record<AccessScope, string> = {
  live: 'consent_live',
  sessions: 'consent_sessions',
  wellness: 'consent_wellness',
};

/**
 * True when the principal may see this athlete's data of the given scope: the athlete, an
 * admin, or a coach of a team where the athlete is a member who granted that consent. Device
 * principals never read.
 */
export async function canViewAthlete({
  deps,
  principal,
  athleteId,
  scope,
}: ViewAthleteOptions): Promise<boolean> {
  if (principal?.kind !== 'user') return false;
  if (principal.userId === athleteId) return true;
  if (!isUuid(athleteId)) return false;
  if (principal.role === 'admin') return true;
  const rows = await deps.db.query(
    `SELECT 1 FROM team_members a
       JOIN team_members c ON c.team_id = a.team_id AND c.user_id = $2 AND c.role = 'coach'
      WHERE a.user_id = $1 AND a.role = 'athlete' AND a.${CONSENT_COLUMN[scope]}
      LIMIT 1`,
    [athleteId, principal.userId],
  );
  return rows.length > 0;
}

/** Throws 401 (anonymous), 404 (no such athlete) or 403 (exists, not allowed). */
export async function assertCanViewAthlete(opts: ViewAthleteOptions): Promise<void> {
  if (await canViewAthlete(opts)) return;
  if (!opts.principal) throw new AppError('UNAUTHENTICATED', 'Sign in to see this athlete');
  const exists = isUuid(opts.athleteId)
    ? await opts.deps.db.query('SELECT 1 FROM users WHERE id = $1::uuid', [opts.athleteId])
    : [];
  if (exists.length === 0) throw new AppError('NOT_FOUND', 'Athlete not found');
  throw new AppError('FORBIDDEN', `You are not allowed to see this athlete's ${opts.scope} data`);
}

/**
 * Athletes of a team whose data of this scope the principal may see: every consenting athlete
 * for a coach of the team or an admin; only themselves for an athlete member; none otherwise.
 */
export async function viewableAthleteIdsForTeam({
  deps,
  principal,
  teamId,
  scope,
}: {
  deps: Deps;
  principal: Principal | null;
  teamId: string;
  scope: AccessScope;
}): Promise<string[]> {
  if (principal?.kind !== 'user' || !isUuid(teamId)) return [];
  const rows = await deps.db.query<{ user_id: string; role: string; consented: boolean }>(
    `SELECT user_id, role::text AS role, ${CONSENT_COLUMN[scope]} AS consented
       FROM team_members WHERE team_id = $1::uuid`,
    [teamId],
  );
  const mine = rows.find((r) => r.user_id === principal.userId);
  if (principal.role === 'admin' || mine?.role === 'coach') {
    return rows.filter((r) => r.role === 'athlete' && r.consented).map((r) => r.user_id);
  }
  if (mine?.role === 'athlete') return [principal.userId];
  return [];
}
