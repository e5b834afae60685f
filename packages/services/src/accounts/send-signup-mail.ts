import type { Deps } from '../deps.ts';
import { appLink } from '../mail/app-link.ts';
import { composeMail } from '../mail/compose-mail.ts';
import { sendMail } from '../mail/send-mail.ts';
import { newLinkToken } from './issue-account-token.ts';
import { hashSecret } from './tokens.ts';

/** Sign-up mails per address and hour; beyond it the pending sign-up is dropped silently. */
export const SIGNUP_MAILS_PER_ADDRESS = { limit: 5, windowMs: 3_600_000 };

/**
 * The background half of a verified sign-up. A free address gets a single-use link that makes
 * the account (the pending row's secret is replaced here, so only the mail holds it); an address
 * with an enabled account gets a notice that someone tried, with ways to sign in or reset the
 * password, and the pending row is dropped so it can never become a second account.
 */
export async function sendSignupMail({
  deps,
  pendingId,
}: {
  deps: Deps;
  pendingId: string;
}): Promise<{ sent: 'link' | 'notice' | 'none' }> {
  const [pending] = await deps.db.query<{ email: string; name: string }>(
    `SELECT new_email AS email, signup_name AS name FROM account_tokens
      WHERE id = $1 AND purpose = 'signup' AND used_at IS NULL AND expires_at > now()`,
    [pendingId],
  );
  if (!pending) return { sent: 'none' };
  const drop = () => deps.db.query('DELETE FROM account_tokens WHERE id = $1', [pendingId]);
  const budget = await deps.platform.rateLimiter.consume(
    `signup-mail:${pending.email}`,
    SIGNUP_MAILS_PER_ADDRESS.limit,
    SIGNUP_MAILS_PER_ADDRESS.windowMs,
  );
  if (!budget.allowed) {
    await drop();
    return { sent: 'none' };
  }
  const user = await deps.db.prisma.user.findUnique({ where: { email: pending.email } });
  if (user) {
    if (!user.disabledAt) {
      await sendMail({
        deps,
        message: composeMail({
          kind: 'signup-existing',
          to: user.email,
          name: user.name,
          signInLink: appLink(deps.config, '/login'),
          resetLink: appLink(deps.config, '/forgot-password'),
        }),
      });
    }
    // After the mail: a failed send is retried with the row still there.
    await drop();
    return { sent: user.disabledAt ? 'none' : 'notice' };
  }
  const token = newLinkToken();
  const rotated = await deps.db.query(
    'UPDATE account_tokens SET token_hash = $2 WHERE id = $1 AND used_at IS NULL RETURNING id',
    [pendingId, hashSecret(token)],
  );
  if (rotated.length === 0) return { sent: 'none' };
  await sendMail({
    deps,
    message: composeMail({
      kind: 'signup-confirm',
      to: pending.email,
      name: pending.name,
      link: appLink(deps.config, `/complete-signup?token=${token}`),
      hours: Math.max(1, Math.round(deps.config.SIGNUP_LINK_TTL_MINUTES / 60)),
    }),
  });
  return { sent: 'link' };
}
