import type { LoginBody, User } from '@athlete/contracts';
import type { Deps } from '../deps.ts';
import { AppError, rateLimited } from '../errors.ts';
import { createSession } from './create-session.ts';
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from './password.ts';
import { toUserView } from './user-view.ts';

/**
 * Attempts per window before login is refused with 429. The budget is per (account, address)
 * pair, so a stranger guessing a coach's password locks only themselves out, and per address,
 * so one address cannot spread guesses over many accounts.
 */
export const LOGIN_LIMITS = {
  perAccountAddress: { limit: 10, windowMs: 15 * 60_000 },
  perAddress: { limit: 100, windowMs: 15 * 60_000 },
};

/**
 * Rate-limiter keys of the two login budgets. The pair key holds the account's login epoch
 * (0 for unknown addresses): a password reset bumps it, so every lock built up against the
 * account from any address stops applying at once.
 */
export const loginThrottleKey = {
  accountAddress: (email: string, ip: string, epoch = 0) => `login:pair:${email}:${epoch}:${ip}`,
  address: (ip: string) => `login:address:${ip}`,
};

async function throttle(deps: Deps, key: string, { limit, windowMs }: { limit: number; windowMs: number }) {
  const r = await deps.platform.rateLimiter.consume(key, limit, windowMs);
  if (!r.allowed) throw rateLimited('Too many sign-in attempts', r.retryAfterMs);
}

/**
 * Checks credentials and opens a session. Attempts are throttled per (account, address) and per
 * address; a successful login clears that pair's budget. Unknown emails cost the same time as wrong
 * passwords and get the same answer.
 */
export async function login({
  deps,
  input,
  ip,
  userAgent,
}: {
  deps: Deps;
  input: LoginBody;
  ip: string;
  userAgent?: string | undefined;
}): Promise<{ user: User; token: string; sessionId: string; expiresAt: Date }> {
  await throttle(deps, loginThrottleKey.address(ip), LOGIN_LIMITS.perAddress);
  const user = await deps.db.prisma.user.findUnique({ where: { email: input.email } });
  const pairKey = loginThrottleKey.accountAddress(input.email, ip, user?.loginEpoch ?? 0);
  await throttle(deps, pairKey, LOGIN_LIMITS.perAccountAddress);
  if (!user) {
    await burnPasswordCheck(input.password);
    throw new AppError('INVALID_CREDENTIALS', 'Email or password is wrong');
  }
  if (!(await verifyPassword(input.password, user.passwordHash))) {
    throw new AppError('INVALID_CREDENTIALS', 'Email or password is wrong');
  }
  if (user.disabledAt) throw new AppError('ACCOUNT_DISABLED', 'This account has been disabled');
  await deps.platform.rateLimiter.reset(pairKey);
  if (needsRehash(user.passwordHash)) {
    await deps.db.prisma.user.update({
      where: { id: user.id },
      data: { passwordHash: await hashPassword(input.password) },
    });
  }
  const session = await createSession({ deps, userId: user.id, ip, userAgent });
  return { user: toUserView(user), ...session };
}
