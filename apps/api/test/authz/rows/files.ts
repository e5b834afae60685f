import { Readable } from 'node:stream';
import { startBulkImport } from '@athlete/services';
import { type AuthzRow, type RowContext, usersOnly } from '../harness.ts';

/** Rows of issue #13: session downloads, manual sessions, names, bulk imports. */

/** An empty ZIP (just the end of central directory record). */
const EMPTY_ZIP = Buffer.concat([Buffer.from([0x50, 0x4b, 0x05, 0x06]), Buffer.alloc(18)]);

/** A fresh finished session of the fixture athlete (30 minutes, no samples). */
async function closedSession({ app, world }: RowContext): Promise<string> {
  const startedAt = new Date(Date.now() - 3_600_000);
  const row = await app.deps.db.prisma.trainingSession.create({
    data: {
      athleteId: world.athlete.id,
      source: 'file',
      sport: 'running',
      status: 'closed',
      startedAt,
      endedAt: new Date(startedAt.getTime() + 1_800_000),
      durationS: 1_800,
      timeInZonesS: [],
    },
  });
  return row.id;
}

/** A fresh session the fixture athlete entered by hand (45 minutes, 2 h ago). */
async function manualSession({ app, world }: RowContext): Promise<string> {
  const startedAt = new Date(Date.now() - 7_200_000);
  const row = await app.deps.db.prisma.trainingSession.create({
    data: {
      athleteId: world.athlete.id,
      source: 'manual',
      sport: 'strength',
      status: 'closed',
      startedAt,
      endedAt: new Date(startedAt.getTime() + 2_700_000),
      durationS: 2_700,
      movingTimeS: 2_700,
      timeInZonesS: [],
    },
  });
  return row.id;
}

const rows: AuthzRow[] = [
  {
    method: 'GET',
    url: '/api/v1/sessions/:id/export',
    request: async (ctx) => ({ url: `/api/v1/sessions/${await closedSession(ctx)}/export?format=tcx` }),
    // Whoever may read the session may download it.
    expect: usersOnly(403, { athlete: 200, coach: 200, admin: 200 }),
  },
  {
    method: 'PATCH',
    url: '/api/v1/sessions/:id',
    request: async (ctx) => ({
      url: `/api/v1/sessions/${await closedSession(ctx)}`,
      payload: { name: 'Tempo run' },
    }),
    // Only the athlete who trained names it.
    expect: usersOnly(403, { athlete: 200 }),
  },
  {
    method: 'POST',
    url: '/api/v1/sessions/manual',
    request: () => ({
      payload: {
        sport: 'strength',
        startedAt: new Date(Date.now() - 7_200_000).toISOString(),
        durationS: 2_700,
        rpe: 7,
      },
    }),
    // Everyone signed in enters sessions of their own, as they import files of their own.
    expect: usersOnly(201),
  },
  {
    method: 'PATCH',
    url: '/api/v1/sessions/manual/:id',
    request: async (ctx) => ({
      url: `/api/v1/sessions/manual/${await manualSession(ctx)}`,
      payload: { durationS: 1_800, rpe: 6 },
    }),
    // Only the athlete who entered it corrects it.
    expect: usersOnly(403, { athlete: 200 }),
  },
  {
    method: 'DELETE',
    url: '/api/v1/sessions/manual/:id',
    request: async (ctx) => ({ url: `/api/v1/sessions/manual/${await manualSession(ctx)}` }),
    expect: usersOnly(403, { athlete: 204 }),
  },
  { method: 'POST', url: '/api/v1/imports/bulk', request: () => ({ payload: {} }), expect: usersOnly(415) },
  {
    method: 'GET',
    url: '/api/v1/imports/bulk/:id',
    request: async ({ app, world }) => {
      const report = await startBulkImport({
        deps: app.deps,
        userId: world.athlete.id,
        filename: 'empty.zip',
        file: Readable.from([EMPTY_ZIP]),
      });
      return { url: `/api/v1/imports/bulk/${report.id}` };
    },
    // A report is its uploader's alone: for anyone else it does not exist.
    expect: usersOnly(404, { athlete: 200 }),
  },
];

export default rows;
