// Cost of plan reads, all computed on read (matching, compliance): an athlete's month, a team's
// month with every athlete's result, the team readiness table with its week column, and the
// iCalendar feed, for a team with 180 days of history and 5 whole-team plans a week.
// Prints figures only. Usage: pnpm --filter @athlete/api bench:plans [--team 50]
import { parseArgs } from 'node:util';
import { simulateTrainingHistory } from '@athlete/core';
import { databaseTargets } from '@athlete/db/testing';
import {
  type Deps,
  getTeamReadiness,
  hashSecret,
  listAthletePlans,
  listTeamPlans,
  renderCalendarFeed,
  type UserPrincipal,
} from '@athlete/services';

const { values } = parseArgs({ options: { team: { type: 'string', default: '50' } } });
const TEAM = Number(values.team);
const DAYS = 180;
const DAY = 86_400_000;
const today = new Date().toISOString().slice(0, 10);
const monthFrom = `${today.slice(0, 7)}-01`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function time(fn: () => Promise<unknown>, runs = 7): Promise<number> {
  await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return median(out);
}

console.log(`plan reads: team of ${TEAM}, ${DAYS} days of history, 5 team plans a week\n`);
console.log('database  athlete month ms  team month ms  readiness table ms  ical feed ms');
for (const target of databaseTargets) {
  const { db, cleanup } = await target.open();
  try {
    const deps = { db } as unknown as Deps;
    const coach = await db.prisma.user.create({
      data: { email: 'coach@bench.local', passwordHash: 'x', name: 'Coach', role: 'coach' },
    });
    const team = await db.prisma.team.create({
      data: {
        name: 'Bench',
        createdById: coach.id,
        members: { create: { userId: coach.id, role: 'coach' } },
      },
    });
    const ids: string[] = [];
    for (let i = 0; i < TEAM; i++) {
      const user = await db.prisma.user.create({
        data: { email: `p${i}@bench.local`, passwordHash: 'x', name: `Bench ${i}`, role: 'athlete' },
      });
      await db.prisma.teamMember.create({
        data: {
          teamId: team.id,
          userId: user.id,
          role: 'athlete',
          consentSessions: true,
          consentWellness: true,
        },
      });
      const h = simulateTrainingHistory({ seed: i, endDay: today, days: DAYS, hrMax: 188, hrRest: 50 });
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
          timeInZonesS: [],
        })),
      });
      ids.push(user.id);
    }
    const start = Date.parse(`${today}T00:00:00Z`) - 120 * DAY;
    await db.prisma.plannedSession.createMany({
      data: Array.from({ length: 150 }, (_, d) => start + d * DAY)
        .filter((ms) => new Date(ms).getUTCDay() % 7 !== 0 && new Date(ms).getUTCDay() !== 4)
        .map((ms) => ({
          teamId: team.id,
          date: new Date(ms),
          sport: new Date(ms).getUTCDay() === 5 ? 'cycling' : 'running',
          durationMin: 50,
          targetLoad: 70,
          createdById: coach.id,
        })),
    });
    const token = 'apc_bench-token-bench-token-bench-token-1234567';
    await db.prisma.calendarFeed.create({ data: { athleteId: ids[0]!, tokenHash: hashSecret(token) } });
    const principal: UserPrincipal = {
      kind: 'user',
      userId: coach.id,
      role: 'coach',
      sessionId: 'bench',
      via: 'bearer',
    };
    const athleteMonth = await time(() =>
      listAthletePlans({ deps, principal, athleteId: ids[0]!, range: { from: monthFrom } }),
    );
    const teamMonth = await time(() => listTeamPlans({ deps, principal, teamId: team.id, range: {} }), 3);
    const table = await time(() => getTeamReadiness({ deps, principal, teamId: team.id }), 3);
    const feed = await time(() => renderCalendarFeed({ deps, token }));
    console.log(
      `${target.name.padEnd(9)} ${athleteMonth.toFixed(1).padStart(16)}  ${teamMonth.toFixed(0).padStart(13)}  ${table.toFixed(0).padStart(18)}  ${feed.toFixed(1).padStart(12)}`,
    );
  } finally {
    await cleanup();
  }
}
