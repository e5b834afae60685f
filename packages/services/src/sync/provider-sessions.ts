import { athleteZones, type SessionSample, type SummaryProfile, summariseSession } from '@athlete/core';
import type { Prisma, SampleRow } from '@athlete/db';
import type { ActivitySample, NormalisedSession } from '@athlete/providers';
import type { Deps } from '../deps.ts';

/**
 * What summariseSession needs about the athlete, HR max and zones by core's athleteZones (the
 * rule the live pipeline and the profile API use); tolerant of an empty profile.
 */
export async function summaryProfile(deps: Pick<Deps, 'db'>, athleteId: string): Promise<SummaryProfile> {
  const p = await deps.db.prisma.athleteProfile.findUnique({ where: { userId: athleteId } });
  const { hrMax, hrRest, zones } = athleteZones(p);
  return { hrMax, hrRest, sex: p?.sex ?? null, zones };
}

/** Provider zone durations (index 0 = below zone 1) as the stored zones 1..5. */
function zonesOneToFive(zones: number[] | undefined): number[] {
  if (!zones) return [];
  return zones.length === 6 ? zones.slice(1) : zones.slice(0, 5);
}

/**
 * Idempotent upsert of a provider or file session keyed by (athlete, source, externalId): a
 * re-delivery or an update replaces the stored values. Returns the session id.
 */
export async function upsertSession({
  deps,
  athleteId,
  session,
  extra = {},
}: {
  deps: Pick<Deps, 'db'>;
  athleteId: string;
  session: NormalisedSession;
  extra?: Partial<Prisma.TrainingSessionUncheckedCreateInput>;
}): Promise<string> {
  const values = {
    sport: session.sport,
    status: 'closed' as const,
    startedAt: session.startedAt,
    endedAt: session.endedAt,
    durationS: session.durationS,
    distanceM: session.distanceM,
    avgHr: session.avgHr,
    maxHr: session.maxHr === null ? null : Math.round(session.maxHr),
    avgSpeed:
      session.distanceM !== null && session.durationS > 0 ? session.distanceM / session.durationS : null,
    calories: session.calories,
    timeInZonesS: zonesOneToFive(session.timeInZonesS),
    ...extra,
  };
  const row = await deps.db.prisma.trainingSession.upsert({
    where: {
      athleteId_source_externalId: { athleteId, source: session.source, externalId: session.externalId },
    },
    create: { athleteId, source: session.source, externalId: session.externalId, ...values },
    update: values,
    select: { id: true },
  });
  return row.id;
}

/** Writes a recorded activity's samples for a session (duplicates by athlete+ts are skipped). */
export async function insertActivitySamples(
  deps: Pick<Deps, 'db'>,
  athleteId: string,
  sessionId: string,
  samples: readonly ActivitySample[],
): Promise<number> {
  const rows: SampleRow[] = samples.map((s) => ({
    athleteId,
    ts: new Date(s.ts),
    sessionId,
    seq: null,
    hr: s.hr === undefined ? null : Math.round(s.hr),
    rr: null,
    speed: s.speed ?? null,
    cadence: s.cadence ?? null,
    power: s.power ?? null,
    distance: s.distance ?? null,
    lat: s.lat ?? null,
    lon: s.lon ?? null,
    alt: s.alt ?? null,
  }));
  const inserted = await deps.db.insertSamples(rows);
  return inserted.length;
}

/** core's session summary for recorded samples, in the columns TrainingSession stores. */
export async function summaryColumns(
  deps: Pick<Deps, 'db'>,
  athleteId: string,
  samples: readonly ActivitySample[],
) {
  const profile = await summaryProfile(deps, athleteId);
  const summary = summariseSession(samples as SessionSample[], profile);
  return {
    summary,
    columns: {
      trimp: summary.trimp,
      timeInZonesS: summary.timeInZonesS,
      maxSpeed: summary.maxSpeed,
      lastSampleAt: summary.endTs === null ? null : new Date(summary.endTs),
      summary: summary as unknown as Prisma.InputJsonValue,
    },
  };
}
