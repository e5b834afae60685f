import type { Deps } from '../deps.ts';
import { counter } from '../metrics.ts';

/** `accounts/{user_id}/biometric-data/{source}/{YYYYMMDD}_{HHMMSS}.json` (docs/ARCHITECTURE.md). */
const RAW_KEY =
  /^accounts\/[^/]+\/biometric-data\/[^/]+\/(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})[^/]*\.json$/;

/** When a raw object was fetched: from its key, else the store's last-modified time. */
export function rawObjectTime(key: string, lastModified?: Date): Date | undefined {
  const m = RAW_KEY.exec(key);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return Number.isNaN(t.getTime()) ? lastModified : t;
}

/**
 * Lifecycle for raw provider JSON: deletes raw objects fetched more than `retentionDays` ago.
 * Works on every object store (S3/Spaces and the filesystem); on S3 a bucket lifecycle rule
 * can do the same (docs/OPERATIONS.md). Only keys of the raw layout are touched.
 */
export async function expireRawObjects({
  deps,
  retentionDays = deps.config.RAW_RETENTION_DAYS,
  now = new Date(),
}: {
  deps: Pick<Deps, 'platform' | 'config' | 'log' | 'metrics'>;
  retentionDays?: number;
  now?: Date;
}): Promise<{ deleted: number; kept: number }> {
  if (retentionDays <= 0) return { deleted: 0, kept: 0 };
  const cutoff = now.getTime() - retentionDays * 86_400_000;
  const deletedTotal = counter(
    deps.metrics,
    'ap_maintenance_raw_objects_deleted_total',
    'Raw provider JSON objects deleted by the lifecycle job',
  );
  const expired: string[] = [];
  let kept = 0;
  for await (const info of deps.platform.objects.list('accounts/')) {
    const at = rawObjectTime(info.key, info.lastModified);
    if (!at) continue;
    if (at.getTime() < cutoff) expired.push(info.key);
    else kept++;
  }
  for (const key of expired) await deps.platform.objects.delete(key);
  deletedTotal.inc(expired.length);
  if (expired.length) deps.log.info({ deleted: expired.length, retentionDays }, 'raw provider JSON expired');
  return { deleted: expired.length, kept };
}
