import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '@athlete/config';
import { AppError } from '../errors.ts';

export interface TokenKey {
  id: string;
  key: Buffer;
}

/** The keys that protect provider tokens at rest: the first encrypts, every one decrypts. */
export interface TokenKeyring {
  primary: TokenKey;
  byId: ReadonlyMap<string, TokenKey>;
  /** Where the keys came from (never the keys themselves), for logs. */
  origin: 'config' | 'generated';
}

/** Where the embedded mode keeps its generated key (relative to DATA_DIR). */
export const GENERATED_KEY_FILE = join('secrets', 'token-encryption.key');
const DEFAULT_KEY_ID = 'k1';

function decodeKey(id: string, base64: string): TokenKey {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== 32) {
    throw new AppError(
      'INTERNAL',
      `TOKEN_ENCRYPTION_KEYS: key "${id}" must be base64 of exactly 32 bytes (got ${key.length})`,
    );
  }
  return { id, key };
}

/** Parses "keyId:base64,keyId:base64" (or a bare base64 key, id "k1"). */
export function parseTokenKeys(value: string): TokenKey[] {
  const parts = value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new AppError('INTERNAL', 'TOKEN_ENCRYPTION_KEYS is empty');
  const keys = parts.map((part) => {
    const colon = part.indexOf(':');
    if (colon < 0) {
      if (parts.length > 1)
        throw new AppError('INTERNAL', 'TOKEN_ENCRYPTION_KEYS: every key needs an id (id:base64)');
      return decodeKey(DEFAULT_KEY_ID, part);
    }
    const id = part.slice(0, colon).trim();
    if (!/^[A-Za-z0-9_.-]{1,32}$/.test(id)) {
      throw new AppError('INTERNAL', `TOKEN_ENCRYPTION_KEYS: invalid key id "${id}"`);
    }
    return decodeKey(id, part.slice(colon + 1));
  });
  const ids = new Set(keys.map((k) => k.id));
  if (ids.size !== keys.length) throw new AppError('INTERNAL', 'TOKEN_ENCRYPTION_KEYS: duplicate key id');
  return keys;
}

/** Reads the generated key under DATA_DIR, creating it (mode 0600) on first start. */
function generatedKey(dataDir: string): TokenKey {
  const file = join(dataDir, GENERATED_KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // `wx` fails if another process created it meanwhile; then we read theirs.
    try {
      writeFileSync(file, `${DEFAULT_KEY_ID}:${randomBytes(32).toString('base64')}\n`, {
        flag: 'wx',
        mode: 0o600,
      });
      chmodSync(file, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const [key] = parseTokenKeys(readFileSync(file, 'utf8'));
  return key!;
}

const cache = new Map<string, TokenKeyring>();

/**
 * The keyring for this configuration. TOKEN_ENCRYPTION_KEYS wins; without it a key is generated
 * under DATA_DIR and reused, which suits the embedded single node. In production with an
 * external database (several processes that would not share DATA_DIR) a missing key is refused.
 */
export function loadTokenKeyring(
  config: Pick<Config, 'TOKEN_ENCRYPTION_KEYS' | 'DATA_DIR' | 'DATABASE_URL' | 'NODE_ENV'>,
): TokenKeyring {
  const cacheKey = `${config.TOKEN_ENCRYPTION_KEYS ?? ''}|${config.DATA_DIR}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  let keys: TokenKey[];
  let origin: TokenKeyring['origin'];
  if (config.TOKEN_ENCRYPTION_KEYS) {
    keys = parseTokenKeys(config.TOKEN_ENCRYPTION_KEYS);
    origin = 'config';
  } else {
    if (config.NODE_ENV === 'production' && config.DATABASE_URL) {
      throw new AppError(
        'PROVIDER_NOT_CONFIGURED',
        'TOKEN_ENCRYPTION_KEYS must be set in production with an external database (api and worker must share it)',
      );
    }
    keys = [generatedKey(config.DATA_DIR)];
    origin = 'generated';
  }
  const ring: TokenKeyring = { primary: keys[0]!, byId: new Map(keys.map((k) => [k.id, k])), origin };
  cache.set(cacheKey, ring);
  return ring;
}
