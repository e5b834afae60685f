// Cost of the training-intelligence reads on 3 years of history: daily load, form, ACWR and
// monotony (GET /load over the whole range) and the day's readiness with baselines, flags and
// the recommendation (GET /readiness), for one athlete and for a team of 50, on Postgres and
// PGlite. Both are computed on read, so this is also the cost after each new session.
// Prints figures only. Usage: pnpm --filter @athlete/api bench:analytics [--team 50] [--days 1095]
import { parseArgs } from 'node:util';
import { simulateTrainingHistory } from '@athlete/core';
import type { Database } from '@athlete/db';
import { databaseTargets } from '@athlete/db/testing';
import {
  type Deps,
  getAthleteReadiness,
  getTrainingLoad,
  importSimulatedReadinessChecks,
} from '@athlete/services';

const { values } = parseArgs({
  options: { team: { type: 'string', default: '50' }, days: { type: 'string', default: '1095' } },
});
const TEAM = Number(values.team);
const DAYS = Number(values.days);
const today = new Date().toISOString().slice(0, 10);
const from = new Date(Date.now() - (DAYS - 1) * 86_400_000).toISOString().slice(0, 10);

async function seed(db: Database, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const user = await db.prisma.user.create({
      data: { email: `bench${i}@bench.local`, passwordHash: 'x', name: `Bench ${i}`, role: 'athlete' },
    });
    await db.prisma.athleteProfile.create({
      data: { userId: user.id, hrMax: 185 + (i % 10), hrRest: 48 + (i % 8) },
    });
    const h = simulateTrainingHistory({
      seed: i,
      endDay: today,
      days: DAYS,
      hrMax: 185 + (i % 10),
      hrRest: 48 + (i % 8),
    });
    await db.prisma.trainingSession.createMany({
      data: h.sessions.map((s) => ({
        athleteId: user.id,
        source: 'file' as const,
        externalId: `bench-${i}-${s.day}`,
        sport: s.sport,
        status: 'closed' as const,
        startedAt: new Date(s.startedAt),
        endedAt: new Date(s.startedAt + s.durationS * 1000),
        durationS: s.durationS,
        avgHr: s.avgHr,
        maxHr: s.maxHr,
        timeInZonesS: [],
      })),
    });
    await importSimulatedReadinessChecks({ deps: { db }, athleteId: user.id, checks: h.checks });
    ids.push(user.id);
  }
  return ids;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

console.log(`analytics recompute: ${DAYS} days of history, team of ${TEAM}\n`);
console.log('database  athletes  sessions  load ms/athlete  readiness ms/athlete  both ms/athlete  total ms');
for (const target of databaseTargets) {
  const { db, cleanup } = await target.open();
  try {
    // The reads use only the database; trusted internal calls (no principal) skip access checks.
    const deps = { db } as unknown as Deps;
    const ids = await seed(db, TEAM);
    const [{ n: sessions } = { n: 0 }] = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM training_sessions',
    );
    const load = (id: string) => getTrainingLoad({ deps, athleteId: id, from, to: today });
    const readiness = (id: string) => getAthleteReadiness({ deps, athleteId: id, date: today });
    await load(ids[0]!);
    await readiness(ids[0]!);
    const one = { load: [] as number[], readiness: [] as number[] };
    for (let r = 0; r < 15; r++) {
      one.load.push(await time(() => load(ids[0]!)));
      one.readiness.push(await time(() => readiness(ids[0]!)));
    }
    const row = (label: string, n: number, l: number, rd: number, total: number) =>
      console.log(
        `${target.name.padEnd(9)} ${String(n).padStart(8)}  ${String(label).padStart(8)}  ${l.toFixed(1).padStart(15)}  ${rd.toFixed(1).padStart(20)}  ${(l + rd).toFixed(1).padStart(15)}  ${total.toFixed(0).padStart(8)}`,
      );
    row(
      String(Math.round(sessions / TEAM)),
      1,
      median(one.load),
      median(one.readiness),
      median(one.load) + median(one.readiness),
    );
    let l = 0;
    let rd = 0;
    for (const id of ids) {
      l += await time(() => load(id));
      rd += await time(() => readiness(id));
    }
    row(String(sessions), TEAM, l / TEAM, rd / TEAM, l + rd);
  } finally {
    await cleanup();
  }
}
