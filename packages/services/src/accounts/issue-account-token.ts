import { randomBytes } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { hashSecret } from './tokens.ts';

export type AccountTokenPurpose = 'password_reset' | 'email_change';

/**
 * Creates the secret of an emailed link: 32 random bytes (base64url), of which only the SHA-256
 * is stored, valid `ttlMinutes`. Rows expired over a day ago are swept on the way, so the table
 * holds only what may still be clicked (or told apart as used/expired for a while).
 */
export async function issueAccountToken({
  deps,
  userId,
  purpose,
  ttlMinutes,
  newEmail,
}: {
  deps: Deps;
  userId: string;
  purpose: AccountTokenPurpose;
  ttlMinutes: number;
  newEmail?: string;
}): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlMinutes * 60_000);
  await deps.db.query("DELETE FROM account_tokens WHERE expires_at < now() - interval '1 day'");
  await deps.db.query(
    `INSERT INTO account_tokens (user_id, purpose, token_hash, new_email, expires_at)
     VALUES ($1, $2::"AccountTokenPurpose", $3, $4, $5)`,
    [userId, purpose, hashSecret(token), newEmail ?? null, expiresAt],
  );
  return { token, expiresAt };
}
