import type { UserPrincipal } from '../access/principal.ts';
import { publishAccessChanged } from '../access/publish-access-changed.ts';
import { verifyPassword } from '../accounts/password.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { accountObjectPrefix } from './export-account.ts';
import { purgePendingErasures } from './pending-erasures.ts';
import { enqueueErasurePurge, enqueueSettledErasurePurges } from './privacy-jobs.ts';

/**
 * How long the deletion waits for a running archival before leaving the archive purge to the
 * privacy.erasure-purge job (the account is deleted either way).
 */
const ARCHIVE_LOCK_WAIT_MS = 15_000;

/**
 * Deletes an account after re-checking its password: every stored object (under
 * `accounts/{id}/` and any indexed elsewhere), then the samples (no foreign key: they are
 * partitioned) and the user row, whose foreign keys cascade to everything else, plus invites
 * addressed to the user's email, and last the account's rows in retired months' sample
 * archives. Teams the user created go with them.
 *
 * The archives are purged after the database commits, which records the erasure as pending
 * (`pending_erasures`) in the same transaction: if the purge fails or cannot start (object store
 * down, a corrupt archive, the process killed), the account is still gone and the
 * privacy.erasure-purge job retries until every archive is clean. Live samples of the account
 * still buffered by any API process are dropped on the access.changed notice; a batch already
 * on its way to the database is caught by the purge repeated once the erasure has settled
 * (ERASURE_SETTLE_MS), which keeps the record until then.
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

  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM samples WHERE athlete_id = $1::uuid', [userId]);
    await tx.query('DELETE FROM sample_quarantine WHERE athlete_id = $1::uuid', [userId]);
    await tx.query('DELETE FROM team_invites WHERE email = $1 OR accepted_by_id = $2::uuid', [
      user.email,
      userId,
    ]);
    await tx.query('DELETE FROM users WHERE id = $1::uuid', [userId]);
    await tx.query('INSERT INTO pending_erasures (user_id) VALUES ($1::uuid) ON CONFLICT DO NOTHING', [
      userId,
    ]);
  });
  await platform.cache.deletePrefix(`athlete:${userId}:`);
  deps.log.info({ userId }, 'account deleted');
  await publishAccessChanged(deps, { userId, athleteId: userId });

  const purge = await purgePendingErasures({ deps, userId, lockWaitMs: ARCHIVE_LOCK_WAIT_MS }).catch(
    (err: unknown) => {
      deps.log.warn({ err, userId }, 'account erasure: archive purge could not be attempted');
      return undefined;
    },
  );
  if (purge?.purged.includes(userId)) return;
  if (purge?.settling.some((s) => s.userId === userId)) {
    await enqueueSettledErasurePurges(deps, purge).catch((err: unknown) =>
      deps.log.warn({ err, userId }, 'account erasure: could not queue the settled purge; the sweep will'),
    );
    return;
  }
  // Recorded as pending: the job retries it with backoff, and the sweep finds it even if this fails.
  await enqueueErasurePurge(deps, userId).catch((err: unknown) =>
    deps.log.warn({ err, userId }, 'account erasure: could not queue the archive purge; the sweep will'),
  );
}
