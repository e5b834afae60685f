import type { QueryFn } from '@athlete/db';
import { AppError } from '../errors.ts';
import type { AccountTokenPurpose } from './issue-account-token.ts';
import { hashSecret } from './tokens.ts';

/**
 * Spends an emailed link inside the caller's transaction: the row is claimed with one UPDATE
 * (so two clicks at once cannot both succeed) and the account's other unused links of the same
 * purpose are deleted, as a newer link supersedes them. Refusals say which of unknown, used or
 * expired it was, so the page can tell the person what to do.
 */
export async function redeemAccountToken({
  tx,
  token,
  purpose,
}: {
  tx: { query: QueryFn };
  token: string;
  purpose: AccountTokenPurpose;
}): Promise<{ userId: string; newEmail: string | null }> {
  const hash = hashSecret(token);
  const claimed = await tx.query<{ user_id: string; new_email: string | null }>(
    `UPDATE account_tokens SET used_at = now()
      WHERE token_hash = $1 AND purpose = $2::"AccountTokenPurpose" AND used_at IS NULL AND expires_at > now()
      RETURNING user_id, new_email`,
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
      WHERE user_id = $1 AND purpose = $2::"AccountTokenPurpose" AND used_at IS NULL`,
    [row.user_id, purpose],
  );
  return { userId: row.user_id, newEmail: row.new_email };
}
