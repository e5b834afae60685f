import { type AuthzRow, expectAll, type RowContext, usersOnly } from '../harness.ts';

/**
 * Rows of issue #15 item 4: planned sessions and the calendar feed. Plans are the team's, written
 * by its coaches; reading an athlete's plans shows the sessions that did them, so it takes the
 * `sessions` consent (coachNoConsent is the coach without it).
 */

const today = () => new Date().toISOString().slice(0, 10);

/** A fresh plan of the fixture team for the fixture athlete, so changing it leaves the world as is. */
async function freshPlan({ app, world }: RowContext): Promise<string> {
  const row = await app.deps.db.prisma.plannedSession.create({
    data: {
      teamId: world.teamId,
      athleteId: world.athlete.id,
      date: new Date(`${today()}T00:00:00Z`),
      sport: 'running',
      durationMin: 45,
      createdById: world.coach.id,
    },
  });
  return row.id;
}

/** Coaches of the team and admins; the athlete member is refused, outsiders too. */
const teamCoaches = (status: number) => usersOnly(403, { coach: status, admin: status });

const rows: AuthzRow[] = [
  {
    method: 'GET',
    url: '/api/v1/athletes/:athleteId/plans',
    request: ({ world }) => ({ url: `/api/v1/athletes/${world.athlete.id}/plans` }),
    expect: usersOnly(403, { athlete: 200, coach: 200, admin: 200 }),
  },
  {
    method: 'GET',
    url: '/api/v1/teams/:teamId/plans',
    request: ({ world }) => ({ url: `/api/v1/teams/${world.teamId}/plans` }),
    // Members (the athlete sees their own part) and admins.
    expect: usersOnly(403, { athlete: 200, coach: 200, admin: 200 }),
  },
  {
    method: 'POST',
    url: '/api/v1/teams/:teamId/plans',
    request: ({ world }) => ({
      url: `/api/v1/teams/${world.teamId}/plans`,
      payload: { athleteId: world.athlete.id, date: today(), sport: 'running', durationMin: 30 },
    }),
    expect: teamCoaches(201),
  },
  {
    method: 'PATCH',
    url: '/api/v1/plans/:id',
    request: async (ctx) => ({ url: `/api/v1/plans/${await freshPlan(ctx)}`, payload: { durationMin: 50 } }),
    // Not a member of the plan's team: the plan is not found (its id tells nothing).
    expect: usersOnly(404, { athlete: 403, coach: 200, admin: 200 }),
  },
  {
    method: 'DELETE',
    url: '/api/v1/plans/:id',
    request: async (ctx) => ({ url: `/api/v1/plans/${await freshPlan(ctx)}` }),
    expect: usersOnly(404, { athlete: 403, coach: 204, admin: 204 }),
  },
  {
    method: 'GET',
    url: '/api/v1/me/calendar-feed',
    expect: usersOnly(403, { athlete: 200, otherAthlete: 200 }),
  },
  {
    method: 'POST',
    url: '/api/v1/me/calendar-feed',
    expect: usersOnly(403, { athlete: 201, otherAthlete: 201 }),
  },
  {
    method: 'DELETE',
    url: '/api/v1/me/calendar-feed',
    expect: usersOnly(403, { athlete: 200, otherAthlete: 200 }),
  },
  {
    method: 'GET',
    url: '/api/v1/calendar/:token.ics',
    // The secret in the URL is the only credential: a session or key does not open another's feed.
    request: () => ({ url: '/api/v1/calendar/apc_unknownunknownunknownunknown.ics' }),
    expect: expectAll(404),
  },
];

export default rows;
