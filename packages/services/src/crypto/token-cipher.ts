import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../errors.ts';
import type { TokenKeyring } from './token-keys.ts';

const VERSION = 'v1';
const IV_BYTES = 12;

export interface EncryptedToken {
  /** `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
  ciphertext: string;
  keyId: string;
}

/**
 * AES-256-GCM with a fresh 96-bit IV per value. The key id and a purpose label are bound as
 * associated data, so a ciphertext cannot be replayed under another key id or as another field.
 */
export function encryptToken(ring: TokenKeyring, plaintext: string, purpose: string): EncryptedToken {
  const { id, key } = ring.primary;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`${VERSION}|${id}|${purpose}`));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return {
    ciphertext: [
      VERSION,
      iv.toString('base64url'),
      tag.toString('base64url'),
      body.toString('base64url'),
    ].join('.'),
    keyId: id,
  };
}

export function decryptToken(ring: TokenKeyring, keyId: string, ciphertext: string, purpose: string): string {
  const key = ring.byId.get(keyId);
  if (!key) throw new AppError('INTERNAL', `token encrypted with unknown key id "${keyId}"`);
  const [version, iv, tag, body] = ciphertext.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined) {
    throw new AppError('INTERNAL', 'stored token has an unknown format');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(`${VERSION}|${keyId}|${purpose}`));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new AppError('INTERNAL', 'stored token failed authentication (wrong key or tampered)');
  }
}
