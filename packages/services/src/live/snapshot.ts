import type { AthleteLiveState, LiveSample } from '@athlete/contracts';
import type { Principal } from '../access/index.ts';
import { toAlertOut, WITH_ACKNOWLEDGER } from '../sessions/serialize.ts';
import { hideUnknownAcknowledgers } from './acknowledger-visibility.ts';
import type { LiveParts } from './parts.ts';
import { latestStoredSamples } from './queries.ts';

/** How far back a stored sample still counts as an athlete's latest for a new viewer. */
const LATEST_WINDOW_MS = 10 * 60_000;

/**
 * The state a new viewer starts from, per athlete: name, open live session, latest sample
 * (this process's memory, else the newest stored one) and alerts not cleared yet (with who
 * acknowledged them as `principal` may see it).
 */
export async function liveSnapshot({
  parts,
  principal,
  athleteIds,
}: {
  parts: LiveParts;
  principal: Principal | null;
  athleteIds: string[];
}): Promise<AthleteLiveState[]> {
  if (athleteIds.length === 0) return [];
  const { db } = parts.deps;
  const since = new Date(Date.now() - LATEST_WINDOW_MS);
  const [users, sessions, alerts, stored] = await Promise.all([
    db.prisma.user.findMany({ where: { id: { in: athleteIds } }, select: { id: true, name: true } }),
    db.prisma.trainingSession.findMany({
      where: { athleteId: { in: athleteIds }, status: 'open', source: { in: ['live', 'simulator'] } },
      orderBy: { startedAt: 'desc' },
      select: { id: true, athleteId: true },
    }),
    db.prisma.alert.findMany({
      where: { athleteId: { in: athleteIds }, clearedAt: null },
      orderBy: { startedAt: 'desc' },
      take: 500,
      include: WITH_ACKNOWLEDGER,
    }),
    latestStoredSamples(parts.deps, athleteIds, since),
  ]);
  const visibleAlerts = await hideUnknownAcknowledgers({
    deps: parts.deps,
    principal,
    alerts: alerts.map(toAlertOut),
  });
  const names = new Map(users.map((u) => [u.id, u.name]));
  const sessionOf = new Map<string, string>();
  for (const s of sessions) if (!sessionOf.has(s.athleteId)) sessionOf.set(s.athleteId, s.id);
  const storedOf = new Map(stored.map((r) => [r.athlete_id, r]));
  return athleteIds.map((athleteId) => {
    const mem = parts.hub.latest(athleteId);
    const db = storedOf.get(athleteId);
    let latest: LiveSample | null = null;
    if (mem && (!db || mem.ts >= db.ts.getTime())) {
      latest = mem;
    } else if (db) {
      latest = {
        athleteId,
        sessionId: db.session_id,
        ts: db.ts.getTime(),
        hr: db.hr,
        speed: db.speed,
        distance: db.distance,
        lat: db.lat,
        lon: db.lon,
        cadence: db.cadence,
        power: db.power,
        zone: null,
      };
    }
    const name = names.get(athleteId);
    return {
      athleteId,
      ...(name === undefined ? {} : { name }),
      sessionId: sessionOf.get(athleteId) ?? null,
      latest,
      alerts: visibleAlerts.filter((a) => a.athleteId === athleteId),
    };
  });
}
