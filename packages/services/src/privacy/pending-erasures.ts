import { setTimeout as sleep } from 'node:timers/promises';
import type { Deps } from '../deps.ts';
import {
  purgeAthleteFromSampleArchives,
  SAMPLE_ARCHIVE_LOCK,
  SAMPLE_ARCHIVE_LOCK_TTL_MS,
} from '../maintenance/sample-partitions.ts';

/** How much of a failure's message is kept in `pending_erasures.last_error`. */
const MAX_ERROR_CHARS = 1_000;

/**
 * How long an erasure record is kept after the deletion, the purge then repeated. Live samples
 * accepted just before the deletion may sit in a write-behind batch already sent to the database
 * (other buffered ones are dropped on access.changed), which the deletion cannot recall; the
 * samples table has no foreign key to stop it. While the database is up such a batch commits
 * within seconds (a batch holds ~1 s of samples plus its round trip), so two minutes leaves a
 * wide margin, and the purge after it deletes whatever landed late.
 */
export const ERASURE_SETTLE_MS = 2 * 60_000;

export interface PendingErasuresOutcome {
  /** Accounts whose archives are clean now (their records deleted). */
  purged: string[];
  /**
   * Accounts purged now but deleted less than {@link ERASURE_SETTLE_MS} ago: their records stay
   * until `settlesAt`, when a late write-behind batch may still have to be purged.
   */
  settling: Array<{ userId: string; settlesAt: Date }>;
  /** Accounts still pending after this attempt, with what stopped them. */
  failed: Array<{ userId: string; error: string }>;
  /** The archive lock was held elsewhere (an archival, another purge): nothing was tried. */
  locked: boolean;
}

/**
 * Finishes account erasures recorded in `pending_erasures`: for each, samples written for the
 * account after its deletion (a write-behind batch in flight) are deleted, then every retired
 * month's archive is rewritten without the account's rows; the record is deleted only once all
 * of that succeeded past the settle time (before it, the record is kept, reported `settling`,
 * with its failures cleared). A failure is recorded on the record (attempts, last_error) and the others
 * go on. Runs under the sample archive lock, so no archival copies rows meanwhile.
 *
 * With `userId`, only that account, whenever it was last tried (the deletion's own attempt, the
 * queue's retries). Without, every account due: deleted at least the settle time ago and, if
 * its last attempt failed, not tried within 2^attempts minutes (at most 6 hours), so an archive that stays unreadable is not
 * re-read every few minutes.
 * `lockWaitMs` is how long to wait for the lock before reporting `locked`.
 */
export async function purgePendingErasures({
  deps,
  userId,
  lockWaitMs = 0,
  now = new Date(),
}: {
  deps: Pick<Deps, 'db' | 'platform' | 'log'>;
  userId?: string;
  lockWaitMs?: number;
  now?: Date;
}): Promise<PendingErasuresOutcome> {
  const outcome: PendingErasuresOutcome = { purged: [], settling: [], failed: [], locked: false };
  const due = await deps.db.query<{ user_id: string; requested_at: Date }>(
    userId
      ? 'SELECT user_id::text AS user_id, requested_at FROM pending_erasures WHERE user_id = $1::uuid'
      : `SELECT user_id::text AS user_id, requested_at FROM pending_erasures
          WHERE requested_at <= $2
            AND (attempts = 0 OR last_attempt_at IS NULL
             OR last_attempt_at + least(interval '1 minute' * power(2, attempts), interval '6 hours') <= $1)
          ORDER BY requested_at`,
    userId ? [userId] : [now, new Date(now.getTime() - ERASURE_SETTLE_MS)],
  );
  if (due.length === 0) return outcome;

  const deadline = Date.now() + lockWaitMs;
  for (;;) {
    const run = await deps.platform.locks.withLock(
      SAMPLE_ARCHIVE_LOCK,
      SAMPLE_ARCHIVE_LOCK_TTL_MS,
      async () => {
        for (const record of due) await purgeOne(deps, record, now, outcome);
      },
    );
    if (run.acquired) return outcome;
    if (Date.now() >= deadline) return { ...outcome, locked: true };
    await sleep(Math.min(250, Math.max(1, deadline - Date.now())));
  }
}

async function purgeOne(
  deps: Pick<Deps, 'db' | 'platform' | 'log'>,
  { user_id: userId, requested_at: requestedAt }: { user_id: string; requested_at: Date },
  now: Date,
  outcome: PendingErasuresOutcome,
): Promise<void> {
  try {
    await deps.db.query('DELETE FROM samples WHERE athlete_id = $1::uuid', [userId]);
    // Refused live samples of the account (write-behind quarantine) go with the rest.
    await deps.db.query('DELETE FROM sample_quarantine WHERE athlete_id = $1::uuid', [userId]);
    const removed = await purgeAthleteFromSampleArchives({ deps, athleteId: userId });
    const settlesAt = new Date(requestedAt.getTime() + ERASURE_SETTLE_MS);
    if (settlesAt > now) {
      // Clean for now: not a failure, so no backoff holds the final purge back.
      await deps.db.query(
        `UPDATE pending_erasures SET attempts = 0, last_attempt_at = $2, last_error = NULL
          WHERE user_id = $1::uuid`,
        [userId, now],
      );
      outcome.settling.push({ userId, settlesAt });
      deps.log.info({ userId, archivedRowsRemoved: removed, settlesAt }, 'account erasure settling');
      return;
    }
    await deps.db.query('DELETE FROM pending_erasures WHERE user_id = $1::uuid', [userId]);
    outcome.purged.push(userId);
    deps.log.info({ userId, archivedRowsRemoved: removed }, 'account erasure complete');
  } catch (err) {
    const error = (err instanceof Error ? err.message : String(err)).slice(0, MAX_ERROR_CHARS);
    await deps.db.query(
      `UPDATE pending_erasures SET attempts = attempts + 1, last_attempt_at = now(), last_error = $2
        WHERE user_id = $1::uuid`,
      [userId, error],
    );
    outcome.failed.push({ userId, error });
    deps.log.warn({ err, userId }, 'account erasure incomplete: archived samples not purged yet');
  }
}
