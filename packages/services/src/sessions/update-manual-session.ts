import type { ManualSessionPatchBody, Session } from '@athlete/contracts';
import { sessionRpeLoad } from '@athlete/core';
import type { UserPrincipal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { checkManualSessionWindow } from './manual-session-window.ts';
import { ownManualSession } from './own-manual-session.ts';
import { invalidateAthleteCache } from './range.ts';
import { toSessionOut } from './serialize.ts';

/**
 * `PATCH /api/v1/sessions/manual/:id`: the athlete corrects a session they entered by hand.
 * Fields sent replace the stored ones (null clears); the merged session is checked as a new
 * one would be. The RPE rating follows: a new RPE or duration recomputes its sRPE load (RPE ×
 * minutes), RPE null removes it. Daily load is computed on read, so dropping the athlete's
 * cached reads is all a recompute needs.
 */
export async function updateManualSession({
  deps,
  principal,
  sessionId,
  body,
  now = Date.now(),
}: {
  deps: Deps;
  principal: UserPrincipal;
  sessionId: string;
  body: ManualSessionPatchBody;
  now?: number;
}): Promise<Session> {
  const session = await ownManualSession(deps, principal, sessionId, 'edit');
  const startMs = body.startedAt === undefined ? session.startedAt.getTime() : Date.parse(body.startedAt);
  const durationS = body.durationS ?? session.durationS ?? 0;
  checkManualSessionWindow(startMs, durationS, now);
  const distanceM = body.distanceM === undefined ? session.distanceM : body.distanceM;
  const avgHr = body.avgHr === undefined ? session.avgHr : body.avgHr;
  const maxHr = body.maxHr === undefined ? session.maxHr : body.maxHr;
  if (avgHr !== null && maxHr !== null && maxHr < avgHr) {
    const field = body.maxHr === undefined ? 'body.avgHr' : 'body.maxHr';
    const message =
      body.maxHr === undefined
        ? `must not be above the max HR (${maxHr} bpm)`
        : 'must not be below the average HR';
    throw new AppError('VALIDATION_ERROR', `${field}: ${message}`, [{ field, message }]);
  }

  const row = await deps.db.prisma.$transaction(async (tx) => {
    const updated = await tx.trainingSession.update({
      where: { id: session.id },
      data: {
        sport: body.sport ?? session.sport,
        name: body.name === undefined ? session.name : body.name,
        startedAt: new Date(startMs),
        endedAt: new Date(startMs + durationS * 1000),
        durationS,
        movingTimeS: durationS,
        distanceM,
        avgHr,
        maxHr,
        avgSpeed: distanceM === null ? null : distanceM / durationS,
      },
    });
    const rating = await tx.sessionRpe.findUnique({ where: { sessionId: session.id } });
    const rpe = body.rpe === undefined ? (rating?.rpe ?? null) : body.rpe;
    if (rpe === null) {
      if (rating) await tx.sessionRpe.delete({ where: { sessionId: session.id } });
    } else {
      const durationMin = Math.round((durationS / 60) * 10) / 10;
      const data = { rpe, durationMin, load: sessionRpeLoad(rpe, durationMin) };
      await tx.sessionRpe.upsert({
        where: { sessionId: session.id },
        create: { sessionId: session.id, athleteId: session.athleteId, ...data },
        update: data,
      });
    }
    return updated;
  });
  await invalidateAthleteCache(deps, session.athleteId);
  return toSessionOut(row);
}
