import { publishAccessChanged } from '../access/publish-access-changed.ts';
import type { Deps } from '../deps.ts';
import { hashPassword } from './password.ts';
import { assertGuessResistant } from './password-strength.ts';
import { redeemAccountToken } from './redeem-account-token.ts';

/**
 * Sets a new password from a reset link. In one transaction: the link is spent (and the
 * account's other reset links dropped), the password replaced, every session of the account
 * signed out, and the login epoch bumped so the sign-in throttle locks against the account
 * from any address no longer apply: the owner's way back in after someone hammered the login.
 */
export async function resetPassword({
  deps,
  token,
  password,
}: {
  deps: Deps;
  token: string;
  password: string;
}): Promise<{ userId: string }> {
  // Before the link is spent: a refused password leaves it usable.
  assertGuessResistant(password, { field: 'body.password', userInputs: [] });
  // Hash before the transaction: scrypt takes ~100 ms and must not hold a connection.
  const passwordHash = await hashPassword(password);
  const userId = await deps.db.transaction(async (tx) => {
    const { userId } = await redeemAccountToken({ tx, token, purpose: 'password_reset' });
    await tx.query(
      'UPDATE users SET password_hash = $2, login_epoch = login_epoch + 1, updated_at = now() WHERE id = $1',
      [userId, passwordHash],
    );
    await tx.query('UPDATE auth_sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [
      userId,
    ]);
    return userId;
  });
  await deps.platform.rateLimiter.reset(`password-change:${userId}`);
  await publishAccessChanged(deps, { userId });
  deps.log.info({ userId }, 'password reset by emailed link; every session signed out');
  return { userId };
}
