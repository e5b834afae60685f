import { type AuthzRow, usersOnly } from '../harness.ts';

/** Rows of issue #14: training load, readiness, readiness checks, the team's morning check. */

/** The athlete, their consented coach and admins read; everyone else is refused. */
const viewers = usersOnly(403, { athlete: 200, coach: 200, admin: 200 });

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
    url: '/api/v1/teams/:teamId/readiness',
    request: ({ world }) => ({ url: `/api/v1/teams/${world.teamId}/readiness` }),
    // The team's coaches and admins; the athlete member does not see teammates' readiness.
    expect: usersOnly(403, { coach: 200, admin: 200 }),
  },
];

export default rows;
