import type { User } from '@athlete/contracts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { createSession } from './create-session.ts';
import { redeemSignupToken } from './redeem-account-token.ts';
import { toUserView } from './user-view.ts';

/**
 * Follows a sign-up link: in one transaction the link is spent (with the address's other pending
 * sign-ups) and the account made from what the registration held, then a session is opened. An
 * address that got an account since is a 409 and nothing is made (the rollback keeps the link
 * unspent, so every further click says the same).
 */
export async function completeSignup({
  deps,
  token,
  ip,
  userAgent,
}: {
  deps: Deps;
  token: string;
  ip: string;
  userAgent?: string | undefined;
}): Promise<{ user: User; token: string; expiresAt: Date }> {
  const userId = await deps.db.transaction(async (tx) => {
    const s = await redeemSignupToken({ tx, token });
    const [created] = await tx.query<{ id: string }>(
      `INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3::"Role", $4)
       ON CONFLICT (email) DO NOTHING RETURNING id`,
      [s.email, s.name, s.role, s.passwordHash],
    );
    if (!created) {
      throw new AppError(
        'EMAIL_TAKEN',
        'An account with this email address exists already. Sign in, or reset your password if you forgot it.',
      );
    }
    // Athletes get an empty profile, as registerUser gives them.
    if (s.role === 'athlete')
      await tx.query('INSERT INTO athlete_profiles (user_id) VALUES ($1)', [created.id]);
    return created.id;
  });
  const user = await deps.db.prisma.user.findUniqueOrThrow({ where: { id: userId } });
  const session = await createSession({ deps, userId, ip, userAgent });
  deps.log.info({ userId }, 'account created by a followed sign-up link');
  return { user: toUserView(user), token: session.token, expiresAt: session.expiresAt };
}
