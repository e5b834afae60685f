import { createHash, randomBytes } from 'node:crypto';

export const SESSION_TOKEN_PREFIX = 'aps_';
export const INGEST_KEY_PREFIX = 'apk_';

/** An opaque secret: prefix + 32 random bytes in base64url. Only its hash is ever stored. */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** SHA-256 hex of a token or key: the lookup value stored in the database. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
