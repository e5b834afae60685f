import type { UserPrincipal } from '../access/principal.ts';
import { publishAccessChanged } from '../access/publish-access-changed.ts';
import { verifyPassword } from '../accounts/password.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import {
  purgeAthleteFromSampleArchives,
  SAMPLE_ARCHIVE_LOCK,
  SAMPLE_ARCHIVE_LOCK_TTL_MS,
} from '../maintenance/sample-partitions.ts';

/** How long a deletion waits for a running partition archival before giving up (503). */
const ARCHIVE_LOCK_WAIT_MS = 120_000;

import { accountObjectPrefix } from './export-account.ts';

/**
 * Deletes an account after re-checking its password: every stored object (under
 * `accounts/{id}/` and any indexed elsewhere), then the samples (no foreign key: they are
 * partitioned) and the user row, whose foreign keys cascade to everything else, plus invites
 * addressed to the user's email, and last the account's rows in retired months' sample
 * archives. Teams the user created go with them.
 */
export async function deleteAccount({
  deps,
  principal,
  password,
}: {
  deps: Deps;
  principal: UserPrincipal;
  password: string;
}) {
  const { db, platform } = deps;
  const userId = principal.userId;
  const user = await db.prisma.user.findUnique({ where: { id: userId } });
  if (!user) throw new AppError('NOT_FOUND', 'Account not found');
  if (!(await verifyPassword(password, user.passwordHash))) {
    throw new AppError('FORBIDDEN', 'body.password: does not match your password', [
      { field: 'body.password', message: 'does not match your password' },
    ]);
  }

  const indexed = await db.query<{ key: string }>('SELECT key FROM raw_objects WHERE user_id = $1::uuid', [
    userId,
  ]);
  await platform.objects.deletePrefix(accountObjectPrefix(userId));
  for (const { key } of indexed) await platform.objects.delete(key);

  // Under the archival lock: an archival running meanwhile could otherwise copy rows of this
  // account into an archive after the purge.
  const lock = await platform.locks.acquire(
    SAMPLE_ARCHIVE_LOCK,
    SAMPLE_ARCHIVE_LOCK_TTL_MS,
    ARCHIVE_LOCK_WAIT_MS,
  );
  if (!lock)
    throw new AppError('SERVICE_UNAVAILABLE', 'Sample archival is running; try again in a few minutes');
  try {
    await db.transaction(async (tx) => {
      await tx.query('DELETE FROM samples WHERE athlete_id = $1::uuid', [userId]);
      await tx.query('DELETE FROM team_invites WHERE email = $1 OR accepted_by_id = $2::uuid', [
        user.email,
        userId,
      ]);
      await tx.query('DELETE FROM users WHERE id = $1::uuid', [userId]);
    });
    await purgeAthleteFromSampleArchives({ deps, athleteId: userId });
  } finally {
    await lock.release();
  }
  await platform.cache.deletePrefix(`athlete:${userId}:`);
  deps.log.info({ userId }, 'account deleted');
  await publishAccessChanged(deps, { userId, athleteId: userId });
}
