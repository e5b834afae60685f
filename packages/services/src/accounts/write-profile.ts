import { isDeepStrictEqual } from 'node:util';
import type { AthleteProfile, Prisma } from '@athlete/db';
import type { Deps } from '../deps.ts';
import { publishProfileChanged } from '../live/profile.ts';

/** What live processing reads from a profile (deriveLiveProfile): a change to one must reach open sessions. */
const LIVE_FIELDS = ['birthYear', 'sex', 'hrMax', 'hrRest', 'hrZones', 'thresholds'] as const;
const STORED_FIELDS = [...LIVE_FIELDS, 'weightKg', 'sourcePrecedence'] as const;

const changed = (before: AthleteProfile, after: AthleteProfile, fields: readonly (keyof AthleteProfile)[]) =>
  fields.some((f) => !isDeepStrictEqual(before[f], after[f]));

/**
 * The one way to write an athlete's profile (the profile API, provider syncs, the demo world).
 * `change` sees the stored row (an empty one, `created`, when the athlete had none) with the row
 * locked, so what it decides from (HR rest below HR max, "fill only what is unset") still holds
 * when the write lands; it returns the fields to write, or null to leave the profile alone.
 * After commit, cached reads are dropped if anything changed, and a change to a field live
 * processing reads is announced on live.profile-changed, so open live sessions on every API
 * process swap the new HR max, zones and thresholds in at once (and nothing is published when a
 * sync re-writes the same values).
 */
export async function writeProfile({
  deps,
  userId,
  change,
}: {
  deps: Pick<Deps, 'db' | 'platform' | 'log'>;
  userId: string;
  change: (current: AthleteProfile, context: { created: boolean }) => Prisma.AthleteProfileUpdateInput | null;
}): Promise<AthleteProfile> {
  const { before, after } = await deps.db.prisma.$transaction(async (tx) => {
    const inserted = await tx.athleteProfile.createMany({ data: [{ userId }], skipDuplicates: true });
    const created = inserted.count === 1;
    // A row we just inserted is ours until commit; an existing one is locked for the read-decide-write.
    if (!created)
      await tx.$queryRaw`SELECT 1 FROM athlete_profiles WHERE user_id = ${userId}::uuid FOR UPDATE`;
    const current = await tx.athleteProfile.findUniqueOrThrow({ where: { userId } });
    const data = change(current, { created });
    if (data === null || Object.keys(data).length === 0) return { before: current, after: current };
    return { before: current, after: await tx.athleteProfile.update({ where: { userId }, data }) };
  });
  if (changed(before, after, STORED_FIELDS)) {
    await deps.platform.cache.deletePrefix(`athlete:${userId}:`);
  }
  if (changed(before, after, LIVE_FIELDS)) await publishProfileChanged(deps, userId);
  return after;
}
