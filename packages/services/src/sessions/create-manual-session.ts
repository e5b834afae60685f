import type { ManualSessionBody, Session } from '@athlete/contracts';
import { sessionRpeLoad } from '@athlete/core';
import type { UserPrincipal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { checkManualSessionWindow } from './manual-session-window.ts';
import { invalidateAthleteCache } from './range.ts';
import { toSessionOut } from './serialize.ts';

/**
 * `POST /api/v1/sessions/manual`: a closed session of source `manual` with the totals the
 * athlete entered and no samples. Its RPE is stored as a session rating (sRPE load = RPE ×
 * minutes, the load of a session without HR); with an average HR the daily TRIMP takes
 * Banister's formula on it (core sessionTrimp, method avg-hr). The note starts its note thread.
 */
export async function createManualSession({
  deps,
  principal,
  body,
  now = Date.now(),
}: {
  deps: Deps;
  principal: UserPrincipal;
  body: ManualSessionBody;
  now?: number;
}): Promise<Session> {
  const startMs = Date.parse(body.startedAt);
  const endMs = startMs + body.durationS * 1000;
  checkManualSessionWindow(startMs, body.durationS, now);
  const athleteId = principal.userId;
  const id = await deps.db.prisma.$transaction(async (tx) => {
    const row = await tx.trainingSession.create({
      data: {
        athleteId,
        source: 'manual',
        sport: body.sport,
        name: body.name ?? null,
        status: 'closed',
        startedAt: new Date(startMs),
        endedAt: new Date(endMs),
        durationS: body.durationS,
        movingTimeS: body.durationS,
        distanceM: body.distanceM ?? null,
        avgHr: body.avgHr ?? null,
        maxHr: body.maxHr ?? null,
        avgSpeed: body.distanceM === undefined ? null : body.distanceM / body.durationS,
      },
      select: { id: true },
    });
    if (body.rpe !== undefined) {
      const durationMin = Math.round((body.durationS / 60) * 10) / 10;
      await tx.sessionRpe.create({
        data: {
          sessionId: row.id,
          athleteId,
          rpe: body.rpe,
          durationMin,
          load: sessionRpeLoad(body.rpe, durationMin),
        },
      });
    }
    if (body.note !== undefined) {
      await tx.note.create({ data: { athleteId, sessionId: row.id, authorId: athleteId, body: body.note } });
    }
    return row.id;
  });
  await invalidateAthleteCache(deps, athleteId);
  return toSessionOut(await deps.db.prisma.trainingSession.findUniqueOrThrow({ where: { id } }));
}
