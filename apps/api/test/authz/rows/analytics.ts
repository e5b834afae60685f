import { type AuthzRow, type RowContext, usersOnly } from '../harness.ts';

/** Rows of issue #14: training load, readiness, readiness checks, the team's morning check. */

/** The athlete, their consented coach and admins read; everyone else is refused. */
const viewers = usersOnly(403, { athlete: 200, coach: 200, admin: 200 });

/** A finished run of the fixture athlete, 40 minutes at 3 m/s and 150 bpm by its summary. */
async function closedRun({ app, world }: RowContext): Promise<string> {
  const startedAt = new Date(Date.now() - 7_200_000);
  const row = await app.deps.db.prisma.trainingSession.create({
    data: {
      athleteId: world.athlete.id,
      source: 'whoop',
      sport: 'running',
      status: 'closed',
      startedAt,
      endedAt: new Date(startedAt.getTime() + 2_400_000),
      durationS: 2_400,
      distanceM: 7_200,
      avgHr: 150,
      timeInZonesS: [],
    },
  });
  return row.id;
}

const rr = Array.from({ length: 200 }, (_, i) => 950 + (i % 2 ? 20 : -20));

const rows: AuthzRow[] = [
  {
    method: 'GET',
    url: '/api/v1/athletes/:athleteId/load',
    request: ({ world }) => ({ url: `/api/v1/athletes/${world.athlete.id}/load` }),
    expect: viewers,
  },
  {
    method: 'PUT',
    url: '/api/v1/athletes/:athleteId/load/settings',
    request: ({ world }) => ({
      url: `/api/v1/athletes/${world.athlete.id}/load/settings`,
      payload: { ctlDays: null, atlDays: null },
    }),
    // The athlete's own setting (an admin may fix it); coaches read it but do not change it.
    expect: usersOnly(403, { athlete: 200, admin: 200 }),
  },
  {
    method: 'GET',
    url: '/api/v1/athletes/:athleteId/readiness',
    request: ({ world }) => ({ url: `/api/v1/athletes/${world.athlete.id}/readiness` }),
    expect: viewers,
  },
  {
    method: 'GET',
    url: '/api/v1/athletes/:athleteId/readiness/series',
    request: ({ world }) => ({ url: `/api/v1/athletes/${world.athlete.id}/readiness/series` }),
    expect: viewers,
  },
  {
    method: 'POST',
    url: '/api/v1/athletes/:athleteId/readiness/checks',
    request: ({ world }) => ({
      url: `/api/v1/athletes/${world.athlete.id}/readiness/checks`,
      payload: { rr },
    }),
    // Only the athlete measures themselves.
    expect: usersOnly(403, { athlete: 201 }),
  },
  {
    method: 'GET',
    url: '/api/v1/sessions/:id/comparison',
    request: async (ctx) => ({ url: `/api/v1/sessions/${await closedRun(ctx)}/comparison` }),
    // The owner, a coach the athlete shares sessions with, admins.
    expect: viewers,
  },
  {
    method: 'GET',
    url: '/api/v1/athletes/:athleteId/readiness/threshold',
    request: ({ world }) => ({ url: `/api/v1/athletes/${world.athlete.id}/readiness/threshold` }),
    expect: viewers,
  },
  {
    method: 'POST',
    url: '/api/v1/athletes/:athleteId/readiness/threshold',
    request: ({ world }) => ({
      url: `/api/v1/athletes/${world.athlete.id}/readiness/threshold`,
      payload: { date: new Date().toISOString().slice(0, 10), suggestedBpm: 160 },
    }),
    // A coach who sees the athlete's wellness (and admins) may confirm; the fixture athlete's
    // readiness is not low, so they get 409 (nothing to confirm) and the shared fixture stays as
    // it is. The athlete never lowers their own threshold this way. The 201 path:
    // readiness-threshold.test.ts.
    expect: usersOnly(403, { coach: 409, admin: 409 }),
  },
  {
    method: 'GET',
    url: '/api/v1/athletes/:athleteId/readiness/threshold/log',
    request: ({ world }) => ({ url: `/api/v1/athletes/${world.athlete.id}/readiness/threshold/log` }),
    expect: viewers,
  },
  {
    method: 'GET',
    url: '/api/v1/teams/:teamId/readiness',
    request: ({ world }) => ({ url: `/api/v1/teams/${world.teamId}/readiness` }),
    // The team's coaches and admins; the athlete member does not see teammates' readiness.
    expect: usersOnly(403, { coach: 200, admin: 200 }),
  },
];

export default rows;
