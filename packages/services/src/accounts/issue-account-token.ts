import { randomBytes } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { hashSecret } from './tokens.ts';

export type AccountTokenPurpose = 'password_reset' | 'email_change' | 'signup';

/** What a pending sign-up (a `signup` row, which has no user yet) will make the account of. */
export interface PendingSignup {
  name: string;
  role: 'athlete' | 'coach';
  passwordHash: string;
}

/** The secret an emailed link carries: 32 random bytes, base64url (43 characters). */
export const newLinkToken = () => randomBytes(32).toString('base64url');

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
  signup,
}: {
  deps: Deps;
  /** Null only for a sign-up, whose account is made when the link is followed. */
  userId: string | null;
  purpose: AccountTokenPurpose;
  ttlMinutes: number;
  newEmail?: string;
  signup?: PendingSignup;
}): Promise<{ id: string; token: string; expiresAt: Date }> {
  const token = newLinkToken();
  const expiresAt = new Date(Date.now() + ttlMinutes * 60_000);
  await deps.db.query("DELETE FROM account_tokens WHERE expires_at < now() - interval '1 day'");
  const [row] = await deps.db.query<{ id: string }>(
    `INSERT INTO account_tokens
       (user_id, purpose, token_hash, new_email, expires_at, signup_name, signup_role, password_hash)
     VALUES ($1, $2::"AccountTokenPurpose", $3, $4, $5, $6, $7::"Role", $8)
     RETURNING id`,
    [
      userId,
      purpose,
      hashSecret(token),
      newEmail ?? null,
      expiresAt,
      signup?.name ?? null,
      signup?.role ?? null,
      signup?.passwordHash ?? null,
    ],
  );
  return { id: row!.id, token, expiresAt };
}
