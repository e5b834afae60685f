import { createHash } from 'node:crypto';
import type { Session } from '@athlete/contracts';
import { type SessionSample, summariseSession } from '@athlete/core';
import type { Prisma } from '@athlete/db';
import {
  fileCreditRule,
  IMPORT_SAMPLE_BOUNDS,
  type ParsedActivity,
  type ParsedActivityFile,
  sessionFromActivity,
} from '@athlete/providers';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { toSessionOut } from '../sessions/serialize.ts';
import { insertActivitySamples, summaryProfile } from '../sync/provider-sessions.ts';
import { parseActivityFileInWorker } from './parse-in-worker.ts';

const CONTENT_TYPES = {
  fit: 'application/vnd.ant.fit',
  gpx: 'application/gpx+xml',
  tcx: 'application/vnd.garmin.tcx+xml',
};

/** The stored import's externalId: the file's SHA-256, with ":N" for leg N ≥ 2 of a multisport file. */
const legExternalId = (sha256: string, leg: number) => (leg === 1 ? sha256 : `${sha256}:${leg}`);

export interface ImportActivityFileResult {
  /** One per activity in the file (the legs of a multisport file, in time order). */
  sessions: Session[];
}

/**
 * Imports an uploaded FIT/GPX/TCX file as closed sessions of source `file`, one per activity in
 * the file. Refusals: 409 CONFLICT naming the stored session when the same file was imported
 * before or when stored samples already cover the file's time (the samples table keeps one row
 * per athlete and instant, so an overlapping file could only be stored in part); 400
 * INVALID_FILE / 413 PAYLOAD_TOO_LARGE naming the problem. All or nothing: a failure stores
 * nothing.
 */
export async function importActivityFile({
  deps,
  userId,
  filename,
  bytes,
}: {
  deps: Deps;
  userId: string;
  filename: string | undefined;
  bytes: Buffer;
}): Promise<ImportActivityFileResult> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const existing = await deps.db.prisma.trainingSession.findFirst({
    where: { athleteId: userId, source: 'file', OR: [{ externalId: sha256 }, { fileGroup: sha256 }] },
    orderBy: { startedAt: 'asc' },
    select: { id: true },
  });
  if (existing) {
    throw new AppError('CONFLICT', 'This file was already imported', { sessionId: existing.id });
  }
  if (bytes.length === 0) {
    throw new AppError('INVALID_FILE', `${filename ?? 'file'}: file is empty`, {
      field: 'file',
      reason: 'EMPTY',
    });
  }

  const parsed = await parseActivityFileInWorker({ bytes, filename });
  await refuseOverlap(deps, userId, parsed);

  const key = `accounts/${userId}/imports/${sha256}.${parsed.format}`;
  await deps.platform.objects.put(key, bytes, { contentType: CONTENT_TYPES[parsed.format] });
  const profile = await summaryProfile(deps, userId);
  const legs = parsed.activities.length;
  const creditRule = fileCreditRule(parsed.recordingIntervalS);

  const rows = parsed.activities.map((activity, i) => {
    const summary = summariseSession(activity.samples as SessionSample[], profile, {
      mode: 'until-next',
      maxS: creditRule.maxCreditS,
      pausesAt: new Set(activity.pausesAt),
    });
    const session = sessionFromActivity(activity, legExternalId(sha256, i + 1));
    const data: Prisma.TrainingSessionUncheckedCreateInput = {
      athleteId: userId,
      source: 'file',
      externalId: session.externalId,
      sport: session.sport,
      name: activity.name,
      status: 'closed',
      startedAt: session.startedAt,
      endedAt: session.endedAt,
      lastSampleAt: summary.endTs === null ? null : new Date(summary.endTs),
      durationS: session.durationS,
      movingTimeS: activity.movingTimeS,
      distanceM: activity.distanceM ?? (summary.sampleCount > 0 ? summary.distanceM : null),
      avgHr: bounded('hr', activity.avgHr) ?? summary.avgHr,
      maxHr: roundOrNull(bounded('hr', activity.maxHr) ?? summary.maxHr),
      avgSpeed: bounded('speed', activity.avgSpeed) ?? summary.avgSpeed,
      maxSpeed: bounded('speed', activity.maxSpeed) ?? summary.maxSpeed,
      totalAscentM: nonNegative(activity.totalAscentM),
      calories: nonNegative(activity.calories),
      timeInZonesS: summary.sampleCount > 0 ? summary.timeInZonesS : [],
      trimp: summary.trimp,
      summary: (summary.sampleCount > 0 ? summary : undefined) as unknown as
        | Prisma.InputJsonValue
        | undefined,
      sourceSport: activity.sourceSport,
      sourceSubSport: activity.sourceSubSport,
      deviceName: parsed.device,
      fileGroup: legs > 1 ? sha256 : null,
      fileLeg: legs > 1 ? i + 1 : null,
      importInfo: importInfo(parsed, i, creditRule) as Prisma.InputJsonValue,
    };
    return { activity, data };
  });

  const sessionIds = await deps.db.prisma.$transaction(async (tx) => {
    await tx.rawObject.upsert({
      where: { key },
      create: {
        userId,
        source: 'file',
        key,
        kind: `import-${parsed.format}`,
        externalId: sha256,
        contentType: CONTENT_TYPES[parsed.format],
        bytes: bytes.length,
        sha256,
      },
      update: {},
    });
    const ids: string[] = [];
    for (const { activity, data } of rows) {
      const { id } = await tx.trainingSession.create({ data, select: { id: true } });
      ids.push(id);
      if (activity.laps.length > 0) {
        await tx.sessionLap.createMany({ data: activity.laps.map((lap, index) => lapRow(id, index, lap)) });
      }
    }
    return ids;
  });

  // Samples go through the partitioned-table writer, outside Prisma's transaction: on any failure
  // (or a concurrent import taking the same instants) the sessions are removed again.
  try {
    for (const [i, { activity }] of rows.entries()) {
      if (activity.samples.length === 0) continue;
      const stored = await insertActivitySamples(deps, userId, sessionIds[i]!, activity.samples);
      if (stored !== activity.samples.length) {
        throw new AppError('CONFLICT', 'Samples of another session were stored for the same time meanwhile', {
          field: 'file',
        });
      }
    }
  } catch (err) {
    await deps.db.query('DELETE FROM samples WHERE athlete_id = $1 AND session_id = ANY($2::uuid[])', [
      userId,
      sessionIds,
    ]);
    await deps.db.prisma.trainingSession.deleteMany({ where: { id: { in: sessionIds } } });
    throw err;
  }
  await deps.platform.cache.deletePrefix(`athlete:${userId}:`);
  const stored = await deps.db.prisma.trainingSession.findMany({
    where: { id: { in: sessionIds } },
    orderBy: { startedAt: 'asc' },
  });
  return { sessions: stored.map(toSessionOut) };
}

/** 409 naming the stored session when samples already cover any activity's time. */
async function refuseOverlap(deps: Deps, userId: string, parsed: ParsedActivityFile): Promise<void> {
  for (const activity of parsed.activities) {
    const first = activity.samples[0];
    const last = activity.samples.at(-1);
    if (first === undefined || last === undefined) continue;
    const hit = await deps.db.query<{ session_id: string | null; started_at: Date | null }>(
      `SELECT s.session_id, t.started_at FROM samples s LEFT JOIN training_sessions t ON t.id = s.session_id
        WHERE s.athlete_id = $1 AND s.ts BETWEEN $2 AND $3 LIMIT 1`,
      [userId, new Date(first.ts), new Date(last.ts)],
    );
    const row = hit[0];
    if (row === undefined) continue;
    const what = row.started_at
      ? `the session started ${row.started_at.toISOString()}`
      : 'samples stored without a session';
    throw new AppError(
      'CONFLICT',
      `This file covers the same time as ${what} (${activity.startedAt.toISOString()} onward); it was not imported`,
      { sessionId: row.session_id },
    );
  }
}

function importInfo(
  parsed: ParsedActivityFile,
  index: number,
  creditRule: { recordingIntervalS: number; maxCreditS: number },
) {
  return {
    format: parsed.format,
    leg: { index: index + 1, of: parsed.activities.length },
    incomplete: parsed.partial,
    notes: [...parsed.issues.map((issue) => issue.message), ...parsed.notes],
    creditRule,
  };
}

function lapRow(sessionId: string, lapIndex: number, lap: ParsedActivity['laps'][number]) {
  return {
    sessionId,
    lapIndex,
    startedAt: lap.startedAt,
    elapsedS: nonNegative(lap.elapsedS),
    movingTimeS: nonNegative(lap.movingTimeS),
    distanceM: nonNegative(lap.distanceM),
    avgHr: bounded('hr', lap.avgHr),
    maxHr: roundOrNull(bounded('hr', lap.maxHr)),
    avgSpeed: bounded('speed', lap.avgSpeed),
    maxSpeed: bounded('speed', lap.maxSpeed),
    avgPower: bounded('power', lap.avgPower),
    avgCadence: bounded('cadence', lap.avgCadence),
    totalAscentM: nonNegative(lap.totalAscentM),
    calories: nonNegative(lap.calories),
  };
}

/** A device total outside the sample bounds (HR 255 = "invalid" in FIT) is not kept. */
function bounded(field: keyof typeof IMPORT_SAMPLE_BOUNDS, value: number | null): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const { min, max } = IMPORT_SAMPLE_BOUNDS[field];
  if (field === 'hr' && value === 0) return null;
  return value >= min && value <= max ? value : null;
}

function nonNegative(value: number | null): number | null {
  return value !== null && Number.isFinite(value) && value >= 0 && value < 1e9 ? value : null;
}

const roundOrNull = (value: number | null) => (value === null ? null : Math.round(value));
