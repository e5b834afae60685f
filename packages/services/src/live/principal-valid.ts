import type { Principal } from '../access/index.ts';
import type { Deps } from '../deps.ts';

/**
 * Whether the credential behind a long-lived connection still works: the sign-in session is
 * neither revoked nor expired and its user is enabled, or the ingest key is not revoked and
 * its owner is enabled. Requests re-resolve their principal each time; sockets ask this when
 * access changes.
 */
export async function principalStillValid({
  deps,
  principal,
}: {
  deps: Pick<Deps, 'db'>;
  principal: Principal;
}): Promise<boolean> {
  if (principal.kind === 'user') {
    const rows = await deps.db.query(
      `SELECT 1 FROM auth_sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = $1::uuid AND s.user_id = $2::uuid AND s.revoked_at IS NULL AND s.expires_at > now()
          AND u.disabled_at IS NULL`,
      [principal.sessionId, principal.userId],
    );
    return rows.length > 0;
  }
  const rows = await deps.db.query(
    `SELECT 1 FROM devices d JOIN users u ON u.id = d.owner_id
      WHERE d.id = $1::uuid AND d.revoked_at IS NULL AND u.disabled_at IS NULL`,
    [principal.deviceId],
  );
  return rows.length > 0;
}
