import { createHash, randomBytes } from 'node:crypto';
import type { Deps } from '../deps.ts';

export type RawSource = 'whoop' | 'garmin';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * `accounts/{user_id}/biometric-data/{source}/{YYYYMMDD}_{HHMMSS}_{kind}_{nonce}.{ext}` (UTC).
 * The documented prefix `{YYYYMMDD}_{HHMMSS}` stays first so the raw lifecycle job reads the
 * fetch time from the key; `_{kind}_{nonce}` keeps keys unique when several responses land in
 * the same second (pages of one run, or two processes), and says what the object holds.
 */
export function rawObjectKey(params: {
  userId: string;
  source: RawSource;
  kind: string;
  at?: Date;
  ext?: string;
}): string {
  const at = params.at ?? new Date();
  const stamp =
    `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}_` +
    `${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}`;
  const kind = params.kind.replace(/[^A-Za-z0-9-]+/g, '-');
  const nonce = `${pad(at.getUTCMilliseconds(), 3)}${randomBytes(3).toString('hex')}`;
  return `accounts/${params.userId}/biometric-data/${params.source}/${stamp}_${kind}_${nonce}.${params.ext ?? 'json'}`;
}

export interface StoredRaw {
  key: string;
  id: string;
}

/**
 * Keeps a provider response exactly as it came (JSON or a file) in the object store and indexes
 * it with a RawObject row. The object is written first: a row never points at nothing.
 */
export async function storeRawResponse({
  deps,
  userId,
  source,
  kind,
  body,
  externalId,
  contentType = 'application/json',
  ext = 'json',
}: {
  deps: Pick<Deps, 'db' | 'platform'>;
  userId: string;
  source: RawSource;
  kind: string;
  body: unknown;
  externalId?: string;
  contentType?: string;
  ext?: string;
}): Promise<StoredRaw> {
  const bytes =
    body instanceof Uint8Array
      ? Buffer.from(body)
      : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const key = rawObjectKey({ userId, source, kind, ext });
  await deps.platform.objects.put(key, bytes, { contentType });
  const row = await deps.db.prisma.rawObject.create({
    data: {
      userId,
      source,
      key,
      kind,
      externalId: externalId ?? null,
      contentType,
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    },
    select: { id: true },
  });
  return { key, id: row.id };
}
