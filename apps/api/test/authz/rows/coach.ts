import { type AuthzRow, type RowContext, usersOnly } from '../harness.ts';

/** Rows of issue #15: the coach's workflow (wellness, session RPE, notes, plans, team sessions). */

/** A fresh finished session of the fixture athlete (30 minutes). */
async function closedSession({ app, world }: RowContext): Promise<string> {
  const startedAt = new Date(Date.now() - 3_600_000);
  const row = await app.deps.db.prisma.trainingSession.create({
    data: {
      athleteId: world.athlete.id,
      source: 'file',
      status: 'closed',
      startedAt,
      endedAt: new Date(startedAt.getTime() + 1_800_000),
      durationS: 1_800,
      timeInZonesS: [],
    },
  });
  return row.id;
}

const today = () => new Date().toISOString().slice(0, 10);

/** Reads of the athlete's data: the athlete, their consented coach and admins. */
const viewers = usersOnly(403, { athlete: 200, coach: 200, admin: 200 });

const rows: AuthzRow[] = [
  {
    method: 'PUT',
    url: '/api/v1/me/wellness/:date',
    request: () => ({
      url: `/api/v1/me/wellness/${today()}`,
      payload: { sleepQuality: 4, fatigue: 3, soreness: 4, stress: 3, mood: 5 },
    }),
    // Each athlete answers their own form; coaches and admins have none.
    expect: usersOnly(403, { athlete: 200, otherAthlete: 200 }),
  },
  {
    method: 'GET',
    url: '/api/v1/athletes/:athleteId/wellness',
    request: ({ world }) => ({ url: `/api/v1/athletes/${world.athlete.id}/wellness` }),
    expect: viewers,
  },
  {
    method: 'GET',
    url: '/api/v1/athletes/:athleteId/srpe',
    request: ({ world }) => ({ url: `/api/v1/athletes/${world.athlete.id}/srpe` }),
    expect: viewers,
  },
  {
    method: 'GET',
    url: '/api/v1/sessions/:id/rpe',
    request: async (ctx) => ({ url: `/api/v1/sessions/${await closedSession(ctx)}/rpe` }),
    expect: viewers,
  },
  {
    method: 'PUT',
    url: '/api/v1/sessions/:id/rpe',
    request: async (ctx) => ({
      url: `/api/v1/sessions/${await closedSession(ctx)}/rpe`,
      payload: { rpe: 6 },
    }),
    // Only the athlete who trained rates it.
    expect: usersOnly(403, { athlete: 200 }),
  },
  {
    method: 'GET',
    url: '/api/v1/sessions/:id/notes',
    request: async (ctx) => ({ url: `/api/v1/sessions/${await closedSession(ctx)}/notes` }),
    expect: viewers,
  },
  {
    method: 'POST',
    url: '/api/v1/sessions/:id/notes',
    request: async (ctx) => ({
      url: `/api/v1/sessions/${await closedSession(ctx)}/notes`,
      payload: { body: 'Good pacing' },
    }),
    // Whoever may see the session writes on it: the athlete, their consented coach, admins.
    expect: usersOnly(403, { athlete: 201, coach: 201, admin: 201 }),
  },
  {
    method: 'GET',
    url: '/api/v1/athletes/:athleteId/days/:date/notes',
    request: ({ world }) => ({ url: `/api/v1/athletes/${world.athlete.id}/days/${today()}/notes` }),
    expect: viewers,
  },
  {
    method: 'POST',
    url: '/api/v1/athletes/:athleteId/days/:date/notes',
    request: ({ world }) => ({
      url: `/api/v1/athletes/${world.athlete.id}/days/${today()}/notes`,
      payload: { body: 'Easy day today' },
    }),
    expect: usersOnly(403, { athlete: 201, coach: 201, admin: 201 }),
  },
  {
    method: 'GET',
    url: '/api/v1/teams/:teamId/alert-defaults',
    request: ({ world }) => ({ url: `/api/v1/teams/${world.teamId}/alert-defaults` }),
    // Members see what applies to them; admins too.
    expect: usersOnly(403, { athlete: 200, coach: 200, admin: 200 }),
  },
  {
    method: 'PUT',
    url: '/api/v1/teams/:teamId/alert-defaults',
    request: ({ world }) => ({
      url: `/api/v1/teams/${world.teamId}/alert-defaults`,
      payload: { thresholds: { hrAboveBpm: 185 } },
    }),
    // Only the team's coaches (and admins) set them; the athlete member cannot.
    expect: usersOnly(403, { coach: 200, admin: 200 }),
  },
];

export default rows;
