import type { Deps } from '../deps.ts';
import { composeMail } from '../mail/compose-mail.ts';
import { sendMail } from '../mail/send-mail.ts';
import { redeemAccountToken } from './redeem-account-token.ts';
import { emailTaken } from './request-email-change.ts';

const isUniqueViolation = (err: unknown) =>
  typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505';

/**
 * Applies an email change when the link mailed to the new address is followed, then tells the
 * old address (best effort: the change has committed). Another account may have taken the
 * address since the request: that is a 409 and the link stays unused.
 */
export async function confirmEmailChange({
  deps,
  token,
}: {
  deps: Deps;
  token: string;
}): Promise<{ email: string }> {
  const changed = await deps.db
    .transaction(async (tx) => {
      const { userId, newEmail } = await redeemAccountToken({ tx, token, purpose: 'email_change' });
      const [before] = await tx.query<{ email: string; name: string }>(
        'SELECT email, name FROM users WHERE id = $1 FOR UPDATE',
        [userId],
      );
      await tx.query('UPDATE users SET email = $2, updated_at = now() WHERE id = $1', [userId, newEmail]);
      return { userId, oldEmail: before!.email, name: before!.name, newEmail: newEmail! };
    })
    .catch((err: unknown) => {
      throw isUniqueViolation(err) ? emailTaken() : err;
    });
  try {
    await sendMail({
      deps,
      message: composeMail({
        kind: 'email-changed-notice',
        to: changed.oldEmail,
        name: changed.name,
        newEmail: changed.newEmail,
      }),
    });
  } catch (err) {
    deps.log.error({ err, userId: changed.userId }, 'could not notify the old address of an email change');
  }
  deps.log.info({ userId: changed.userId }, 'email address changed by confirmed link');
  return { email: changed.newEmail };
}
