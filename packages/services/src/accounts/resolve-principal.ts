import type { Principal } from '../access/principal.ts';
import type { Deps } from '../deps.ts';
import { hashSecret, INGEST_KEY_PREFIX, SESSION_TOKEN_PREFIX } from './tokens.ts';

/** lastUsedAt is written at most this often per session or key. */
const TOUCH_INTERVAL_MS = 60_000;

interface SessionRow {
  id: string;
  user_id: string;
  role: 'athlete' | 'coach' | 'admin';
  last_used_at: Date;
}

interface DeviceRow {
  id: string;
  owner_id: string;
  kind: 'personal' | 'gateway';
  athlete_id: string | null;
  team_id: string | null;
  last_used_at: Date | null;
}

function touchLater(deps: Deps, sql: string, id: string) {
  deps.db.query(sql, [id]).catch((err: unknown) => deps.log.warn({ err }, 'could not record last use'));
}

/**
 * Turns a presented credential into a principal, or null when it is unknown, expired, revoked,
 * or belongs to a disabled account. Session tokens (`aps_…`) give user principals; ingest keys
 * (`apk_…`) give device principals.
 */
export async function resolvePrincipal({
  deps,
  credential,
  via,
}: {
  deps: Deps;
  credential: string;
  via: 'cookie' | 'bearer';
}): Promise<Principal | null> {
  if (credential.length > 200) return null;
  const hash = hashSecret(credential);
  const stale = new Date(Date.now() - TOUCH_INTERVAL_MS);

  if (credential.startsWith(SESSION_TOKEN_PREFIX)) {
    const [s] = await deps.db.query<SessionRow>(
      `SELECT s.id, s.user_id, u.role::text AS role, s.last_used_at
         FROM auth_sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.disabled_at IS NULL`,
      [hash],
    );
    if (!s) return null;
    if (s.last_used_at < stale) {
      touchLater(deps, 'UPDATE auth_sessions SET last_used_at = now() WHERE id = $1', s.id);
    }
    return { kind: 'user', userId: s.user_id, role: s.role, sessionId: s.id, via };
  }

  if (credential.startsWith(INGEST_KEY_PREFIX) && via === 'bearer') {
    const [d] = await deps.db.query<DeviceRow>(
      `SELECT d.id, d.owner_id, d.kind::text AS kind, d.athlete_id, d.team_id, d.last_used_at
         FROM devices d JOIN users o ON o.id = d.owner_id
         LEFT JOIN users a ON a.id = d.athlete_id
        WHERE d.key_hash = $1 AND d.revoked_at IS NULL AND o.disabled_at IS NULL AND a.disabled_at IS NULL`,
      [hash],
    );
    if (!d) return null;
    if (d.last_used_at === null || d.last_used_at < stale) {
      touchLater(deps, 'UPDATE devices SET last_used_at = now() WHERE id = $1', d.id);
    }
    return {
      kind: 'device',
      deviceId: d.id,
      ownerId: d.owner_id,
      deviceKind: d.kind,
      athleteId: d.athlete_id,
      teamId: d.team_id,
    };
  }
  return null;
}
