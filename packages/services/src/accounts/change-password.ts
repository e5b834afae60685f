import { publishAccessChanged } from '../access/publish-access-changed.ts';
import type { Deps } from '../deps.ts';
import { AppError, rateLimited } from '../errors.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { assertGuessResistant } from './password-strength.ts';

/** Wrong current passwords per account before the form is refused for a while. */
export const CHANGE_PASSWORD_LIMIT = { limit: 10, windowMs: 15 * 60_000 };

/**
 * Sets a new password after checking the current one, and signs out every other session: a
 * password changed because it leaked must not leave the intruder signed in.
 */
export async function changePassword({
  deps,
  userId,
  sessionId,
  currentPassword,
  newPassword,
}: {
  deps: Deps;
  userId: string;
  sessionId: string;
  currentPassword: string;
  newPassword: string;
}): Promise<void> {
  const key = `password-change:${userId}`;
  const budget = await deps.platform.rateLimiter.peek(
    key,
    CHANGE_PASSWORD_LIMIT.limit,
    CHANGE_PASSWORD_LIMIT.windowMs,
  );
  if (!budget.allowed) throw rateLimited('Too many wrong current passwords', budget.retryAfterMs);
  const user = await deps.db.prisma.user.findUnique({ where: { id: userId } });
  if (!user) throw new AppError('NOT_FOUND', 'Account not found');
  if (!(await verifyPassword(currentPassword, user.passwordHash))) {
    await deps.platform.rateLimiter.consume(key, CHANGE_PASSWORD_LIMIT.limit, CHANGE_PASSWORD_LIMIT.windowMs);
    throw new AppError('FORBIDDEN', 'body.currentPassword: does not match your password', [
      { field: 'body.currentPassword', message: 'does not match your password' },
    ]);
  }
  assertGuessResistant(newPassword, { field: 'body.newPassword', userInputs: [user.email, user.name] });
  await deps.db.prisma.user.update({
    where: { id: userId },
    data: { passwordHash: await hashPassword(newPassword) },
  });
  await deps.db.query(
    'UPDATE auth_sessions SET revoked_at = now() WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL',
    [userId, sessionId],
  );
  await deps.platform.rateLimiter.reset(key);
  await publishAccessChanged(deps, { userId });
}
