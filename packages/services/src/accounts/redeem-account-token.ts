import type { QueryFn } from '@athlete/db';
import { AppError } from '../errors.ts';
import type { AccountTokenPurpose, PendingSignup } from './issue-account-token.ts';
import { hashSecret } from './tokens.ts';

interface ClaimedRow {
  user_id: string | null;
  new_email: string | null;
  signup_name: string | null;
  signup_role: PendingSignup['role'] | null;
  password_hash: string | null;
}

/**
 * Spends an emailed link inside the caller's transaction: the row is claimed with one UPDATE
 * (so two clicks at once cannot both succeed) and the other unused links of the same purpose
 * for the same account (or, for a sign-up, the same address) are deleted, as a newer link
 * supersedes them. Refusals say which of unknown, used or expired it was, so the page can tell
 * the person what to do.
 */
async function claimAccountToken(
  tx: { query: QueryFn },
  token: string,
  purpose: AccountTokenPurpose,
): Promise<ClaimedRow> {
  const hash = hashSecret(token);
  const claimed = await tx.query<ClaimedRow>(
    `UPDATE account_tokens SET used_at = now()
      WHERE token_hash = $1 AND purpose = $2::"AccountTokenPurpose" AND used_at IS NULL AND expires_at > now()
      RETURNING user_id, new_email, signup_name, signup_role::text AS signup_role, password_hash`,
    [hash, purpose],
  );
  const row = claimed[0];
  if (!row) {
    const found = await tx.query<{ used_at: Date | null }>(
      `SELECT used_at FROM account_tokens WHERE token_hash = $1 AND purpose = $2::"AccountTokenPurpose"`,
      [hash, purpose],
    );
    const seen = found[0];
    if (!seen) throw new AppError('TOKEN_INVALID', 'This link is not valid. Ask for a new one.');
    if (seen.used_at) throw new AppError('TOKEN_USED', 'This link has already been used. Ask for a new one.');
    throw new AppError('TOKEN_EXPIRED', 'This link has expired. Ask for a new one.');
  }
  await tx.query(
    `DELETE FROM account_tokens
      WHERE purpose = $1::"AccountTokenPurpose" AND used_at IS NULL
        AND (user_id = $2::uuid OR ($2::uuid IS NULL AND user_id IS NULL AND new_email = $3))`,
    [purpose, row.user_id, row.new_email],
  );
  return row;
}

/** Spends a password reset or email change link: see claimAccountToken. */
export async function redeemAccountToken({
  tx,
  token,
  purpose,
}: {
  tx: { query: QueryFn };
  token: string;
  purpose: Exclude<AccountTokenPurpose, 'signup'>;
}): Promise<{ userId: string; newEmail: string | null }> {
  const row = await claimAccountToken(tx, token, purpose);
  // These purposes are always issued for an account (only sign-up rows lack one).
  if (!row.user_id) throw new AppError('TOKEN_INVALID', 'This link is not valid. Ask for a new one.');
  return { userId: row.user_id, newEmail: row.new_email };
}

/** Spends a sign-up link and gives back what the account is to be made of. */
export async function redeemSignupToken({
  tx,
  token,
}: {
  tx: { query: QueryFn };
  token: string;
}): Promise<PendingSignup & { email: string }> {
  const row = await claimAccountToken(tx, token, 'signup');
  // The table's CHECK holds these together for every row without a user.
  if (!row.new_email || !row.signup_name || !row.signup_role || !row.password_hash) {
    throw new AppError('TOKEN_INVALID', 'This link is not valid. Ask for a new one.');
  }
  return {
    email: row.new_email,
    name: row.signup_name,
    role: row.signup_role,
    passwordHash: row.password_hash,
  };
}
