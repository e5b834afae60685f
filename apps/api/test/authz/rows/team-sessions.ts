import { type AuthzRow, type RowContext, usersOnly } from '../harness.ts';
import { ALL, createTeamWith } from '../world.ts';

/**
 * Rows of issue #15 item 5: team sessions. Starting, ending, listing and reviewing are for the
 * team's coaches and admins; an id of a team session in a team the caller is not in is not found.
 * Each changing call gets a team of its own (one open team session per team).
 */

/** A new team of the fixture coach and athlete. */
const freshTeam = ({ app, world }: RowContext) =>
  createTeamWith(app, world.coach, [{ user: world.athlete, consent: ALL }]);

/** An open team session of a new team. */
async function freshTeamSession(ctx: RowContext): Promise<string> {
  const row = await ctx.app.deps.db.prisma.teamSession.create({
    data: { teamId: await freshTeam(ctx), title: 'Authz', startedById: ctx.world.coach.id },
  });
  return row.id;
}

const rows: AuthzRow[] = [
  {
    method: 'GET',
    url: '/api/v1/teams/:teamId/team-sessions',
    request: ({ world }) => ({ url: `/api/v1/teams/${world.teamId}/team-sessions` }),
    expect: usersOnly(403, { coach: 200, admin: 200 }),
  },
  {
    method: 'POST',
    url: '/api/v1/teams/:teamId/team-sessions',
    request: async (ctx) => ({
      url: `/api/v1/teams/${await freshTeam(ctx)}/team-sessions`,
      payload: { title: 'Tuesday intervals' },
    }),
    expect: usersOnly(403, { coach: 201, admin: 201 }),
  },
  {
    method: 'POST',
    url: '/api/v1/team-sessions/:id/end',
    request: async (ctx) => ({ url: `/api/v1/team-sessions/${await freshTeamSession(ctx)}/end` }),
    expect: usersOnly(404, { athlete: 403, coach: 200, admin: 200 }),
  },
  {
    method: 'GET',
    url: '/api/v1/team-sessions/:id',
    request: async (ctx) => ({ url: `/api/v1/team-sessions/${await freshTeamSession(ctx)}` }),
    expect: usersOnly(404, { athlete: 403, coach: 200, admin: 200 }),
  },
];

export default rows;
