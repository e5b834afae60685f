import type { Deps } from '../deps.ts';
import { AppError, rateLimited } from '../errors.ts';
import { appLink } from '../mail/app-link.ts';
import { composeMail } from '../mail/compose-mail.ts';
import { sendMail } from '../mail/send-mail.ts';
import { CHANGE_PASSWORD_LIMIT } from './change-password.ts';
import { issueAccountToken } from './issue-account-token.ts';
import { verifyPassword } from './password.ts';

export const emailTaken = () =>
  new AppError('EMAIL_TAKEN', 'Another account already uses this email address', [
    { field: 'body.newEmail', message: 'is already used by another account' },
  ]);

/**
 * Starts an email change: checks the current password (wrong ones share the password form's
 * budget), refuses an address another account has (409), and mails a confirmation link to the
 * NEW address. Nothing changes until that link is followed, so a typo cannot lock anyone out.
 */
export async function requestEmailChange({
  deps,
  userId,
  newEmail,
  password,
}: {
  deps: Deps;
  userId: string;
  newEmail: string;
  password: string;
}): Promise<{ pendingEmail: string; expiresAt: string }> {
  const key = `password-change:${userId}`;
  const { limit, windowMs } = CHANGE_PASSWORD_LIMIT;
  const budget = await deps.platform.rateLimiter.peek(key, limit, windowMs);
  if (!budget.allowed) throw rateLimited('Too many wrong passwords', budget.retryAfterMs);
  const user = await deps.db.prisma.user.findUnique({ where: { id: userId } });
  if (!user) throw new AppError('NOT_FOUND', 'Account not found');
  if (!(await verifyPassword(password, user.passwordHash))) {
    await deps.platform.rateLimiter.consume(key, limit, windowMs);
    throw new AppError('FORBIDDEN', 'body.password: does not match your password', [
      { field: 'body.password', message: 'does not match your password' },
    ]);
  }
  if (newEmail === user.email) {
    throw new AppError('VALIDATION_ERROR', 'body.newEmail: is already your email address', [
      { field: 'body.newEmail', message: 'is already your email address' },
    ]);
  }
  if (await deps.db.prisma.user.findUnique({ where: { email: newEmail }, select: { id: true } })) {
    throw emailTaken();
  }
  const minutes = deps.config.EMAIL_CHANGE_TTL_MINUTES;
  const { token, expiresAt } = await issueAccountToken({
    deps,
    userId,
    purpose: 'email_change',
    ttlMinutes: minutes,
    newEmail,
  });
  const link = appLink(deps.config, `/confirm-email?token=${token}`);
  try {
    await sendMail({
      deps,
      message: composeMail({
        kind: 'email-change-confirm',
        to: newEmail,
        name: user.name,
        link,
        hours: Math.max(1, Math.round(minutes / 60)),
      }),
    });
  } catch (err) {
    deps.log.error({ err, userId }, 'could not send the email change confirmation');
    throw new AppError(
      'MAIL_FAILED',
      'The confirmation email could not be sent. Try again in a few minutes.',
    );
  }
  return { pendingEmail: newEmail, expiresAt: expiresAt.toISOString() };
}
