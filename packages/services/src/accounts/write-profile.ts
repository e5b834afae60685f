import { isDeepStrictEqual } from 'node:util';
import {
  PROFILE_SOURCED_FIELDS,
  type ProfileSourcedField,
  type ProfileSources,
  type ProfileValueSource,
} from '@athlete/contracts';
import { type AthleteProfile, Prisma } from '@athlete/db';
import type { Deps } from '../deps.ts';
import { publishProfileChanged } from '../live/profile.ts';
import { readProfileSources } from './profile-view.ts';

/** What live processing reads from a profile (deriveLiveProfile): a change to one must reach open sessions. */
const LIVE_FIELDS = ['birthYear', 'sex', 'hrMax', 'hrRest', 'hrZones', 'thresholds'] as const;
const STORED_FIELDS = [...LIVE_FIELDS, 'weightKg', 'sourcePrecedence', 'sources'] as const;

/**
 * The fields to write: sourced fields (HR max, weight, …) as plain values, so writeProfile can
 * tell what changed and who supplied it; `sources` is writeProfile's own.
 */
export type ProfileChange = Omit<Prisma.AthleteProfileUpdateInput, 'sources' | 'user'> &
  Partial<Pick<AthleteProfile, ProfileSourcedField>>;

/**
 * Applies who supplies `change` to the sourced fields. A provider writes a field only when it is
 * unset or that provider filled it (never the athlete's value, another provider's, or one set
 * before sources were recorded), and never clears one. A changed value records its source (none
 * when the writer gave none); a cleared one forgets it, so providers may fill it again. An
 * unchanged value keeps its source, so re-saving a form does not take it from the provider.
 */
function attribute(
  change: ProfileChange,
  current: AthleteProfile,
  source: ProfileValueSource | undefined,
): { data: ProfileChange; sources: ProfileSources } {
  const data: ProfileChange = { ...change };
  const stored = readProfileSources(current.sources);
  const sources = { ...stored };
  for (const field of PROFILE_SOURCED_FIELDS) {
    if (!(field in data) || data[field] === undefined) continue;
    const value = data[field];
    if (source !== undefined && source !== 'user') {
      if (value === null || (current[field] !== null && stored[field] !== source)) {
        delete data[field];
        continue;
      }
    }
    if (isDeepStrictEqual(value, current[field])) continue;
    sources[field] = value === null ? null : (source ?? null);
  }
  return { data, sources };
}

/** The stored JSON form: only the fields whose source is known. */
const sourcesJson = (sources: ProfileSources) =>
  Object.fromEntries(Object.entries(sources).filter(([, s]) => s !== null));

/**
 * `change` without the values it would not change (JSON null written as DbNull reads back as
 * null), so a form saved as it was writes nothing and leaves updatedAt alone.
 */
function withoutUnchanged(change: ProfileChange, current: AthleteProfile): ProfileChange {
  const stored = (v: unknown) => (v === Prisma.DbNull || v === Prisma.JsonNull ? null : v);
  return Object.fromEntries(
    Object.entries(change).filter(
      ([field, value]) => !isDeepStrictEqual(stored(value), current[field as keyof AthleteProfile]),
    ),
  ) as ProfileChange;
}

const changed = (before: AthleteProfile, after: AthleteProfile, fields: readonly (keyof AthleteProfile)[]) =>
  fields.some((f) => !isDeepStrictEqual(before[f], after[f]));

/**
 * The one way to write an athlete's profile (the profile API, provider syncs, the demo world).
 * `change` sees the stored row (an empty one, `created`, when the athlete had none) with the row
 * locked, so what it decides from (HR rest below HR max) still holds when the write lands; it
 * returns the fields to write (those equal to the stored value are left out, so a write that
 * changes nothing keeps updatedAt), or null to leave the profile alone. `source` says who supplies
 * them ('user' for the athlete, a provider for its sync; see `attribute` for what a provider may
 * write); the row's `sources` records it per field.
 * After commit, cached reads are dropped if anything changed, and a change to a field live
 * processing reads is announced on live.profile-changed, so open live sessions on every API
 * process swap the new HR max, zones and thresholds in at once (and nothing is published when a
 * sync re-writes the same values).
 */
export async function writeProfile({
  deps,
  userId,
  source,
  change,
}: {
  deps: Pick<Deps, 'db' | 'platform' | 'log'>;
  userId: string;
  /** Who supplies the values; omitted, a changed value's source is left unrecorded. */
  source?: ProfileValueSource;
  change: (current: AthleteProfile, context: { created: boolean }) => ProfileChange | null;
}): Promise<AthleteProfile> {
  const { before, after } = await deps.db.prisma.$transaction(async (tx) => {
    const inserted = await tx.athleteProfile.createMany({ data: [{ userId }], skipDuplicates: true });
    const created = inserted.count === 1;
    // A row we just inserted is ours until commit; an existing one is locked for the read-decide-write.
    if (!created)
      await tx.$queryRaw`SELECT 1 FROM athlete_profiles WHERE user_id = ${userId}::uuid FOR UPDATE`;
    const current = await tx.athleteProfile.findUniqueOrThrow({ where: { userId } });
    const proposed = change(current, { created });
    if (proposed === null) return { before: current, after: current };
    const attributed = attribute(proposed, current, source);
    const { sources } = attributed;
    const fields = withoutUnchanged(attributed.data, current);
    const data: Prisma.AthleteProfileUpdateInput = isDeepStrictEqual(
      sources,
      readProfileSources(current.sources),
    )
      ? fields
      : { ...fields, sources: sourcesJson(sources) };
    if (Object.keys(data).length === 0) return { before: current, after: current };
    return { before: current, after: await tx.athleteProfile.update({ where: { userId }, data }) };
  });
  if (changed(before, after, STORED_FIELDS)) {
    await deps.platform.cache.deletePrefix(`athlete:${userId}:`);
  }
  if (changed(before, after, LIVE_FIELDS)) await publishProfileChanged(deps, userId);
  return after;
}
