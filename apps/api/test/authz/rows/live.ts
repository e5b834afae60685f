import { type AuthzRow, expectAll, type RowContext, usersOnly } from '../harness.ts';

/** Rows of issue #4: ingest, live WebSockets, sessions, daily, alerts. */

/** A fresh open live session of the fixture athlete (so stopping one leaves others alone). */
async function athleteSession({ app, world }: RowContext): Promise<string> {
  // One open live session per athlete (a unique index): each actor's row replaces the last.
  await app.deps.db.prisma.trainingSession.updateMany({
    where: { athleteId: world.athlete.id, status: 'open' },
    data: { status: 'closed', endedAt: new Date() },
  });
  const row = await app.deps.db.prisma.trainingSession.create({
    data: {
      athleteId: world.athlete.id,
      source: 'live',
      status: 'open',
      startedAt: new Date(),
      timeInZonesS: [],
    },
  });
  return row.id;
}

async function athleteAlert({ app, world }: RowContext): Promise<string> {
  const row = await app.deps.db.prisma.alert.create({
    data: {
      athleteId: world.athlete.id,
      rule: 'hr_high',
      severity: 'warning',
      message: 'matrix',
      value: 190,
      threshold: 180,
      startedAt: new Date(),
    },
  });
  return row.id;
}

/** Reads of the athlete's data: the athlete, their consented coach and admins. */
const viewers = usersOnly(403, { athlete: 200, coach: 200, admin: 200 });

const rows: AuthzRow[] = [
  {
    method: 'POST',
    url: '/api/v1/ingest',
    request: ({ world }) => ({
      payload: {
        samples: [
          { athleteId: world.athlete.id, ts: Date.now() - 5_000, hr: 120 },
          // The same athlete: UUIDs are case-insensitive.
          { athleteId: world.athlete.id.toUpperCase(), ts: Date.now() - 4_000, hr: 121 },
        ],
      },
    }),
    // Only the athlete and a key bound to them may write their samples (in any case of the id).
    expect: expectAll(403, { anonymous: 401, athlete: 202, boundKey: 202 }),
  },
  {
    method: 'POST',
    url: '/api/v1/sessions',
    request: ({ world }) => ({ payload: { athleteId: world.athlete.id } }),
    expect: expectAll(403, { anonymous: 401, athlete: 201, boundKey: 201 }),
  },
  {
    method: 'POST',
    url: '/api/v1/sessions/:id/stop',
    request: async (ctx) => ({ url: `/api/v1/sessions/${await athleteSession(ctx)}/stop` }),
    expect: expectAll(403, { anonymous: 401, athlete: 200, boundKey: 200 }),
  },
  {
    method: 'GET',
    url: '/api/v1/sessions/:id',
    request: async (ctx) => ({ url: `/api/v1/sessions/${await athleteSession(ctx)}` }),
    expect: viewers,
  },
  {
    method: 'GET',
    url: '/api/v1/sessions/:id/samples',
    request: async (ctx) => ({ url: `/api/v1/sessions/${await athleteSession(ctx)}/samples` }),
    expect: viewers,
  },
  {
    method: 'GET',
    url: '/api/v1/athletes/:athleteId/sessions',
    request: ({ world }) => ({ url: `/api/v1/athletes/${world.athlete.id}/sessions` }),
    expect: viewers,
  },
  {
    method: 'GET',
    url: '/api/v1/athletes/:athleteId/daily',
    request: ({ world }) => ({ url: `/api/v1/athletes/${world.athlete.id}/daily` }),
    expect: viewers,
  },
  {
    method: 'GET',
    url: '/api/v1/athletes/:athleteId/alerts',
    request: ({ world }) => ({ url: `/api/v1/athletes/${world.athlete.id}/alerts?active=true` }),
    expect: viewers,
  },
  {
    method: 'GET',
    url: '/api/v1/athletes/:athleteId/live',
    request: ({ world }) => ({ url: `/api/v1/athletes/${world.athlete.id}/live` }),
    expect: viewers,
  },
  {
    method: 'GET',
    url: '/api/v1/teams/:teamId/alerts',
    request: ({ world }) => ({ url: `/api/v1/teams/${world.teamId}/alerts?active=true` }),
    // Members of the team (the athlete sees their own) and admins.
    expect: viewers,
  },
  {
    method: 'POST',
    url: '/api/v1/alerts/:id/ack',
    request: async (ctx) => ({ url: `/api/v1/alerts/${await athleteAlert(ctx)}/ack` }),
    // Coaches who may watch the athlete and admins; other coaches cannot even see it exists.
    expect: usersOnly(403, { coach: 200, admin: 200, coachNoConsent: 404, otherCoach: 404 }),
  },
  {
    method: 'GET',
    url: '/ws/live',
    ws: true,
    request: ({ world }) => ({ url: `/ws/live?athleteId=${world.athlete.id}` }),
    expect: viewers,
  },
  {
    method: 'GET',
    url: '/ws/ingest',
    ws: true,
    expect: expectAll(200, { anonymous: 401 }),
  },
];

export default rows;
