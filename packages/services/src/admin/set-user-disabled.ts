import type { UserPrincipal } from '../access/principal.ts';
import { publishAccessChanged } from '../access/publish-access-changed.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { ADMIN_USER_COLUMNS, type AdminUserRow, toAdminUserView } from './admin-user-view.ts';

/**
 * Disables or re-enables an account. Disabling revokes every session (sign-in is needed again)
 * and stops the account's ingest keys at once (keys of a disabled owner or athlete do not
 * resolve; they work again after re-enabling). Both are announced on `access.changed`: a
 * live process then drops its cached ingest verdicts, so a connected team gateway stops (or
 * resumes) writing for the athlete at once.
 */
export async function setUserDisabled({
  deps,
  principal,
  userId,
  disabled,
}: {
  deps: Deps;
  principal: UserPrincipal;
  userId: string;
  disabled: boolean;
}) {
  if (disabled && userId === principal.userId)
    throw new AppError('CONFLICT', 'You cannot disable your own account');
  const found = await deps.db.prisma.user.findUnique({ where: { id: userId }, select: { id: true } });
  if (!found) throw new AppError('NOT_FOUND', 'User not found');
  await deps.db.transaction(async (tx) => {
    await tx.query(
      disabled
        ? 'UPDATE users SET disabled_at = coalesce(disabled_at, now()), updated_at = now() WHERE id = $1::uuid'
        : 'UPDATE users SET disabled_at = NULL, updated_at = now() WHERE id = $1::uuid',
      [userId],
    );
    if (disabled) {
      await tx.query(
        'UPDATE auth_sessions SET revoked_at = now() WHERE user_id = $1::uuid AND revoked_at IS NULL',
        [userId],
      );
    }
  });
  await publishAccessChanged(deps, { userId, athleteId: userId });
  const [row] = await deps.db.query<AdminUserRow>(
    `SELECT ${ADMIN_USER_COLUMNS} FROM users u WHERE u.id = $1::uuid`,
    [userId],
  );
  return toAdminUserView(row!);
}
