import { publishAccessChanged } from '../access/publish-access-changed.ts';
import type { Deps } from '../deps.ts';

/** Ends a session (logout). Open live subscriptions opened with it are re-checked. */
export async function revokeSession({
  deps,
  sessionId,
  userId,
}: {
  deps: Deps;
  sessionId: string;
  userId: string;
}) {
  await deps.db.query('UPDATE auth_sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [
    sessionId,
  ]);
  await publishAccessChanged(deps, { userId });
}
