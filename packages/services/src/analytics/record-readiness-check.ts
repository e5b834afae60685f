import type { ReadinessCheck } from '@athlete/contracts';
import { evaluateReadinessCheck } from '@athlete/core';
import type { Principal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { toReadinessCheckOut } from './check-view.ts';

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
  const measuredAt = options.measuredAt ? new Date(options.measuredAt) : new Date();
  if (measuredAt.getTime() > Date.now() + 5 * 60_000)
    throw new AppError('VALIDATION_ERROR', 'measuredAt is in the future', { field: 'measuredAt' });
  const result = evaluateReadinessCheck(options.rr);
  const row = await deps.db.prisma.readinessCheck.create({
    data: {
      athleteId,
      date: new Date(`${measuredAt.toISOString().slice(0, 10)}T00:00:00Z`),
      measuredAt,
      source: options.source,
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
    },
  });
  const check = toReadinessCheckOut(row);
  if (check.status === 'rejected')
    throw new AppError('READINESS_REJECTED', `Readiness check refused: ${result.reason}`, { check });
  return check;
}
