import { setTimeout as sleep } from 'node:timers/promises';
import type { Deps } from '../deps.ts';
import {
  purgeAthleteFromSampleArchives,
  SAMPLE_ARCHIVE_LOCK,
  SAMPLE_ARCHIVE_LOCK_TTL_MS,
} from '../maintenance/sample-partitions.ts';

/** How much of a failure's message is kept in `pending_erasures.last_error`. */
const MAX_ERROR_CHARS = 1_000;

export interface PendingErasuresOutcome {
  /** Accounts whose archives are clean now (their records deleted). */
  purged: string[];
  /** Accounts still pending after this attempt, with what stopped them. */
  failed: Array<{ userId: string; error: string }>;
  /** The archive lock was held elsewhere (an archival, another purge): nothing was tried. */
  locked: boolean;
}

/**
 * Finishes account erasures recorded in `pending_erasures`: for each, samples written for the
 * account after its deletion (a write-behind batch in flight) are deleted, then every retired
 * month's archive is rewritten without the account's rows; the record is deleted only once all
 * of that succeeded. A failure is recorded on the record (attempts, last_error) and the others
 * go on. Runs under the sample archive lock, so no archival copies rows meanwhile.
 *
 * With `userId`, only that account, whenever it was last tried (the deletion's own attempt, the
 * queue's retries). Without, every account due: not tried within 2^attempts minutes (at most
 * 6 hours), so an archive that stays unreadable is not re-read every few minutes.
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
  const outcome: PendingErasuresOutcome = { purged: [], failed: [], locked: false };
  const due = await deps.db.query<{ user_id: string }>(
    userId
      ? 'SELECT user_id::text AS user_id FROM pending_erasures WHERE user_id = $1::uuid'
      : `SELECT user_id::text AS user_id FROM pending_erasures
          WHERE last_attempt_at IS NULL
             OR last_attempt_at + least(interval '1 minute' * power(2, attempts), interval '6 hours') <= $1
          ORDER BY requested_at`,
    [userId ?? now],
  );
  if (due.length === 0) return outcome;

  const deadline = Date.now() + lockWaitMs;
  for (;;) {
    const run = await deps.platform.locks.withLock(
      SAMPLE_ARCHIVE_LOCK,
      SAMPLE_ARCHIVE_LOCK_TTL_MS,
      async () => {
        for (const { user_id: id } of due) await purgeOne(deps, id, outcome);
      },
    );
    if (run.acquired) return outcome;
    if (Date.now() >= deadline) return { ...outcome, locked: true };
    await sleep(Math.min(250, Math.max(1, deadline - Date.now())));
  }
}

async function purgeOne(
  deps: Pick<Deps, 'db' | 'platform' | 'log'>,
  userId: string,
  outcome: PendingErasuresOutcome,
): Promise<void> {
  try {
    await deps.db.query('DELETE FROM samples WHERE athlete_id = $1::uuid', [userId]);
    const removed = await purgeAthleteFromSampleArchives({ deps, athleteId: userId });
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
