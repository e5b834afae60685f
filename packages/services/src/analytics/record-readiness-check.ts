import type { ReadinessCheck } from '@athlete/contracts';
import { evaluateReadinessCheck, localDay } from '@athlete/core';
import type { Principal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { toReadinessCheckOut } from './check-view.ts';
import { userTimeZone } from './inputs.ts';

export interface RecordReadinessCheckOptions {
  deps: Deps;
  principal: Principal | null;
  athleteId: string;
  /** RR intervals in ms, in order. */
  rr: readonly number[];
  /** When the check ended; default now. Its UTC day is the day the reading counts for. */
  measuredAt?: string;
  source: 'strap' | 'simulator';
}

/**
 * Measures and stores an athlete's resting HRV check (core evaluateReadinessCheck). A check
 * the filter refuses is stored as rejected, with its reason, and answered 422
 * READINESS_REJECTED carrying the stored check: never silently averaged in.
 */
export async function recordReadinessCheck(options: RecordReadinessCheckOptions): Promise<ReadinessCheck> {
  const { deps, principal, athleteId } = options;
  if (principal?.kind !== 'user')
    throw new AppError('UNAUTHENTICATED', 'Sign in to record a readiness check');
  if (principal.userId !== athleteId)
    throw new AppError('FORBIDDEN', 'Only the athlete records their own readiness check');
  if (options.source === 'simulator' && !deps.config.SIMULATION_MODE)
    throw new AppError(
      'VALIDATION_ERROR',
      'Simulated readiness checks are only taken in the demo (SIMULATION_MODE); measure one with a strap',
      { field: 'source' },
    );
  const measuredAt = options.measuredAt ? new Date(options.measuredAt) : new Date();
  if (measuredAt.getTime() > Date.now() + 5 * 60_000)
    throw new AppError('VALIDATION_ERROR', 'measuredAt is in the future', { field: 'measuredAt' });
  const row = await deps.db.prisma.readinessCheck.create({
    data: readinessCheckRow(
      athleteId,
      options.rr,
      measuredAt,
      options.source,
      await userTimeZone(deps, athleteId),
    ),
  });
  const check = toReadinessCheckOut(row);
  if (check.status === 'rejected')
    throw new AppError('READINESS_REJECTED', `Readiness check refused: ${check.reason}`, { check });
  return check;
}

/** The stored form of a check: measured by core, dated by the athlete's day it ended on. */
function readinessCheckRow(
  athleteId: string,
  rr: readonly number[],
  measuredAt: Date,
  source: 'strap' | 'simulator',
  timeZone: string | null,
) {
  const result = evaluateReadinessCheck(rr);
  return {
    athleteId,
    date: new Date(`${localDay(measuredAt.getTime(), timeZone)}T00:00:00Z`),
    measuredAt,
    source,
    status: result.quality === 'rejected' ? 'rejected' : 'accepted',
    quality: result.quality,
    reason: result.reason,
    durationS: result.durationS,
    beats: result.beats,
    artefacts: result.artefacts,
    artefactRate: result.artefactRate,
    rmssdMs: result.rmssdMs,
    lnRmssd: result.lnRmssd,
    restingHr: result.restingHr,
  };
}

/**
 * Stores many simulated checks at once (the demo's history): the same measurement and rules as
 * a check taken on the Record page, without a principal because no person sends them.
 */
export async function importSimulatedReadinessChecks(options: {
  deps: Pick<Deps, 'db'>;
  athleteId: string;
  checks: readonly { rr: readonly number[]; measuredAt: number }[];
}): Promise<number> {
  const timeZone = await userTimeZone(options.deps, options.athleteId);
  const data = options.checks.map((c) =>
    readinessCheckRow(options.athleteId, c.rr, new Date(c.measuredAt), 'simulator', timeZone),
  );
  const res = await options.deps.db.prisma.readinessCheck.createMany({ data });
  return res.count;
}
