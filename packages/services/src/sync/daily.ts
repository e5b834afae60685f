import { mergeDaily } from '@athlete/core';
import type { DataSource, Prisma } from '@athlete/db';
import { DEFAULT_SOURCE_PRECEDENCE } from '../accounts/profile-view.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';

/** The per-day metrics a source can report (DailySummary columns). */
export const DAILY_METRICS = [
  'restingHr',
  'hrvRmssdMs',
  'sleepDurationS',
  'sleepScore',
  'recoveryScore',
  'strain',
  'steps',
  'caloriesKcal',
  'trainingLoad',
  'stressAvg',
  'weightKg',
  'bodyFatPct',
  'respiratoryRate',
  'skinTempC',
  'skinTempDeviationC',
] as const;
export type DailyMetric = (typeof DAILY_METRICS)[number];
export type DailyFields = Partial<Record<DailyMetric, number | null>>;

export const PROCESSING_LOCK_TTL_MS = 300_000;
const PROCESSING_LOCK_WAIT_MS = 60_000;

type DailyDeps = Pick<Deps, 'db' | 'platform'>;

const dayDate = (date: string) => new Date(`${date}T00:00:00.000Z`);

/** Runs fn holding the athlete-day processing lock (waits for another holder to finish). */
export async function withAthleteDayLock<T>(
  deps: Pick<Deps, 'platform'>,
  athleteId: string,
  date: string,
  fn: () => Promise<T>,
): Promise<T> {
  const lock = await deps.platform.locks.acquire(
    `athlete-day:${athleteId}:${date}`,
    PROCESSING_LOCK_TTL_MS,
    PROCESSING_LOCK_WAIT_MS,
  );
  if (!lock) throw new AppError('SERVICE_UNAVAILABLE', `athlete-day ${date} is busy; try again`);
  try {
    return await fn();
  } finally {
    await lock.release().catch(() => false);
  }
}

export interface DailyUpdate {
  /** Columns to write; omitted columns keep their stored value. */
  fields: DailyFields;
  /** Replaces the row's `data` JSON (provider bookkeeping, extra metrics). */
  data?: Prisma.InputJsonValue;
}

/**
 * Writes one source's row for an athlete-day and recomputes the merged row, both under the
 * athlete-day processing lock. `update` sees the stored row (or null) and returns what to write,
 * or null to leave the day alone (e.g. an older re-delivery).
 */
export async function applyDailyUpdate({
  deps,
  athleteId,
  date,
  source,
  update,
}: {
  deps: DailyDeps;
  athleteId: string;
  date: string;
  source: Exclude<DataSource, 'merged'>;
  update: (existing: { data: unknown } | null) => DailyUpdate | null;
}): Promise<boolean> {
  return withAthleteDayLock(deps, athleteId, date, async () => {
    const key = { athleteId, date: dayDate(date), source };
    const existing = await deps.db.prisma.dailySummary.findUnique({
      where: { athleteId_date_source: key },
      select: { data: true },
    });
    const change = update(existing);
    if (!change) return false;
    const data = change.data === undefined ? {} : { data: change.data };
    await deps.db.prisma.dailySummary.upsert({
      where: { athleteId_date_source: key },
      create: { ...key, ...change.fields, ...data },
      update: { ...change.fields, ...data },
    });
    await recomputeMergedDay(deps, athleteId, date);
    return true;
  });
}

/** Deletes one source's row for a day (the provider deleted the data) and re-merges. */
export async function deleteSourceDaily(
  deps: DailyDeps,
  athleteId: string,
  date: string,
  source: Exclude<DataSource, 'merged'>,
): Promise<void> {
  await withAthleteDayLock(deps, athleteId, date, async () => {
    await deps.db.prisma.dailySummary.deleteMany({ where: { athleteId, date: dayDate(date), source } });
    await recomputeMergedDay(deps, athleteId, date);
  });
}

/**
 * The athlete's declared precedence, or the default the profile shows
 * (accounts' DEFAULT_SOURCE_PRECEDENCE), so what the profile says is what the merge does.
 */
export async function sourcePrecedence(deps: Pick<Deps, 'db'>, athleteId: string): Promise<DataSource[]> {
  const profile = await deps.db.prisma.athleteProfile.findUnique({
    where: { userId: athleteId },
    select: { sourcePrecedence: true },
  });
  const declared = (profile?.sourcePrecedence ?? []).filter((s) => s !== 'merged');
  return declared.length > 0 ? declared : [...DEFAULT_SOURCE_PRECEDENCE];
}

/**
 * Rebuilds the 'merged' row of an athlete-day from every source row with core's mergeDaily;
 * `sources` records which source supplied each metric. Call with the athlete-day lock held.
 */
export async function recomputeMergedDay(
  deps: Pick<Deps, 'db'>,
  athleteId: string,
  date: string,
): Promise<void> {
  const rows = await deps.db.prisma.dailySummary.findMany({
    where: { athleteId, date: dayDate(date), source: { not: 'merged' } },
  });
  const key = { athleteId, date: dayDate(date), source: 'merged' as const };
  if (rows.length === 0) {
    await deps.db.prisma.dailySummary.deleteMany({ where: key });
    return;
  }
  const bySource: Partial<Record<DataSource, Record<string, number | null>>> = {};
  for (const row of rows) {
    bySource[row.source] = Object.fromEntries(DAILY_METRICS.map((m) => [m, row[m]]));
  }
  const merged = mergeDaily(bySource, await sourcePrecedence(deps, athleteId));
  const fields = Object.fromEntries(DAILY_METRICS.map((m) => [m, merged.metrics[m] ?? null])) as DailyFields;
  if (fields.steps != null) fields.steps = Math.round(fields.steps);
  await deps.db.prisma.dailySummary.upsert({
    where: { athleteId_date_source: key },
    create: { ...key, ...fields, sources: merged.sources },
    update: { ...fields, sources: merged.sources },
  });
}
