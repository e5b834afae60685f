import type { Deps } from '../deps.ts';
import { appLink } from '../mail/app-link.ts';
import { composeMail } from '../mail/compose-mail.ts';
import { sendMail } from '../mail/send-mail.ts';
import { issueAccountToken } from './issue-account-token.ts';

/** Reset mails per address and hour; beyond it requests are dropped silently (no mail bombing). */
export const RESET_MAILS_PER_ADDRESS = { limit: 5, windowMs: 3_600_000 };

/**
 * The background half of "forgot password": looks the address up and, for an enabled account,
 * mails a single-use reset link. Unknown and disabled addresses get nothing, which only the
 * mailbox owner can observe: the request itself was answered the same way before this ran.
 */
export async function sendPasswordResetMail({
  deps,
  email,
}: {
  deps: Deps;
  email: string;
}): Promise<{ sent: boolean }> {
  const budget = await deps.platform.rateLimiter.consume(
    `password-reset-mail:${email}`,
    RESET_MAILS_PER_ADDRESS.limit,
    RESET_MAILS_PER_ADDRESS.windowMs,
  );
  if (!budget.allowed) return { sent: false };
  const user = await deps.db.prisma.user.findUnique({ where: { email } });
  if (!user || user.disabledAt) return { sent: false };
  const minutes = deps.config.PASSWORD_RESET_TTL_MINUTES;
  const { token } = await issueAccountToken({
    deps,
    userId: user.id,
    purpose: 'password_reset',
    ttlMinutes: minutes,
  });
  const link = appLink(deps.config, `/reset-password?token=${token}`);
  await sendMail({
    deps,
    message: composeMail({ kind: 'password-reset', to: user.email, name: user.name, link, minutes }),
  });
  return { sent: true };
}
