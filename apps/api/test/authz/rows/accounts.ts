import { randomBytes } from 'node:crypto';
import { createInvite } from '@athlete/services';
import type { App } from '../../../src/app.ts';
import { type Actor, type AuthzRow, expectAll, type RowContext, usersOnly } from '../harness.ts';
import { ALL, createPersonalKey, createTeamWith, type World } from '../world.ts';

/** Rows of issue #3: accounts, teams, consent, devices, admin, privacy. */

const asUser = (u: World['coach']) => ({
  kind: 'user' as const,
  userId: u.id,
  role: u.role,
  sessionId: 'matrix',
  via: 'bearer' as const,
});
const freshTeam = ({ app, world }: RowContext) =>
  createTeamWith(app, world.coach, [{ user: world.athlete, consent: ALL }]);
const emailOf = (world: World, actor: Actor) =>
  actor === 'anonymous' || actor === 'boundKey' || actor === 'unboundKey'
    ? world.athlete.email
    : world[actor].email;

async function throwawayUser(app: App): Promise<string> {
  const user = await app.deps.db.prisma.user.create({
    data: {
      email: `target-${randomBytes(4).toString('hex')}@example.test`,
      name: 'Target',
      role: 'athlete',
      passwordHash: 'x',
    },
  });
  return user.id;
}

const rows: AuthzRow[] = [
  {
    method: 'POST',
    url: '/api/v1/auth/register',
    request: () => ({
      payload: {
        email: `new-${randomBytes(4).toString('hex')}@example.test`,
        password: 'long enough pw',
        name: 'N',
        role: 'athlete',
      },
    }),
    expect: expectAll(201),
  },
  {
    method: 'POST',
    url: '/api/v1/auth/login',
    request: ({ world }) => ({ payload: { email: world.admin.email, password: world.admin.password } }),
    expect: expectAll(200),
  },
  { method: 'POST', url: '/api/v1/auth/logout', freshSession: true, expect: usersOnly(200) },
  // Anyone may ask; the answer is the same for every address (mail.test.ts proves the flows).
  {
    method: 'POST',
    url: '/api/v1/auth/forgot-password',
    request: () => ({ payload: { email: `forgot-${randomBytes(4).toString('hex')}@example.test` } }),
    expect: expectAll(202),
  },
  // The emailed links are the credential, so these are open to all: a made-up token reaches the check.
  {
    method: 'POST',
    url: '/api/v1/auth/reset-password',
    request: () => ({
      payload: { token: randomBytes(32).toString('base64url'), password: 'a new long password' },
    }),
    expect: expectAll(400),
  },
  {
    method: 'POST',
    url: '/api/v1/auth/confirm-email',
    request: () => ({ payload: { token: randomBytes(32).toString('base64url') } }),
    expect: expectAll(400),
  },
  {
    method: 'POST',
    url: '/api/v1/auth/complete-signup',
    request: () => ({ payload: { token: randomBytes(32).toString('base64url') } }),
    expect: expectAll(400),
  },
  // A wrong password reaches the check for every signed-in user and no one else.
  {
    method: 'POST',
    url: '/api/v1/me/email',
    request: () => ({ payload: { newEmail: 'elsewhere@example.test', password: 'not my password' } }),
    expect: usersOnly(403),
  },
  { method: 'GET', url: '/api/v1/admin/outbox', expect: usersOnly(403, { admin: 200 }) },
  { method: 'GET', url: '/api/v1/me', expect: usersOnly(200) },
  // Deleting for real is proven in privacy.test.ts; here a wrong password shows the route
  // reaches the password check for every signed-in user and no one else.
  {
    method: 'DELETE',
    url: '/api/v1/me',
    request: () => ({ payload: { password: 'not my password' } }),
    expect: usersOnly(403),
  },
  // Renaming to the name each user already has keeps the shared world as it was.
  {
    method: 'PATCH',
    url: '/api/v1/me',
    request: ({ world, actor }) => ({
      payload: {
        name:
          actor === 'anonymous' || actor === 'boundKey' || actor === 'unboundKey'
            ? world.athlete.name
            : world[actor].name,
      },
    }),
    expect: usersOnly(200),
  },
  // Changing for real is proven in account-basics.test.ts; a wrong current password reaches the check.
  {
    method: 'POST',
    url: '/api/v1/me/password',
    request: () => ({ payload: { currentPassword: 'not my password', newPassword: 'a new long password' } }),
    expect: usersOnly(403),
  },
  { method: 'GET', url: '/api/v1/me/profile', expect: usersOnly(200) },
  {
    method: 'PUT',
    url: '/api/v1/me/profile',
    request: () => ({ payload: { weightKg: 70 } }),
    expect: usersOnly(200),
  },
  { method: 'GET', url: '/api/v1/me/export', expect: usersOnly(200) },
  {
    method: 'PUT',
    url: '/api/v1/me/preferences',
    request: () => ({ payload: { units: 'imperial', timeZone: 'Europe/London' } }),
    expect: usersOnly(200),
  },
  { method: 'POST', url: '/api/v1/me/exports', expect: usersOnly(202) },
  // An export id is only ever the caller's own: anyone else's (or a made-up one) is not found.
  {
    method: 'GET',
    url: '/api/v1/me/exports/:id',
    request: () => ({ url: '/api/v1/me/exports/00000000-0000-4000-8000-000000000000' }),
    expect: usersOnly(404),
  },
  {
    method: 'GET',
    url: '/api/v1/me/exports/:id/download',
    request: () => ({ url: '/api/v1/me/exports/00000000-0000-4000-8000-000000000000/download' }),
    expect: usersOnly(404),
  },
  { method: 'GET', url: '/api/v1/me/background-work', expect: usersOnly(200) },
  {
    method: 'POST',
    url: '/api/v1/teams',
    request: () => ({ payload: { name: 'Matrix team' } }),
    expect: usersOnly(403, { coach: 201, coachNoConsent: 201, otherCoach: 201, admin: 201 }),
  },
  { method: 'GET', url: '/api/v1/teams', expect: usersOnly(200) },
  {
    method: 'GET',
    url: '/api/v1/teams/:id',
    request: ({ world }) => ({ url: `/api/v1/teams/${world.teamId}` }),
    expect: usersOnly(403, { athlete: 200, coach: 200, admin: 200 }),
  },
  {
    method: 'POST',
    url: '/api/v1/teams/:id/invites',
    request: ({ world }) => ({
      url: `/api/v1/teams/${world.teamId}/invites`,
      payload: { email: 'someone@example.test' },
    }),
    expect: usersOnly(403, { coach: 201, admin: 201 }),
  },
  {
    method: 'GET',
    url: '/api/v1/teams/:id/invites',
    request: ({ world }) => ({ url: `/api/v1/teams/${world.teamId}/invites` }),
    expect: usersOnly(403, { coach: 200, admin: 200 }),
  },
  {
    method: 'DELETE',
    url: '/api/v1/teams/:id/invites/:inviteId',
    request: async ({ app, world }) => {
      const invite = await createInvite({
        deps: app.deps,
        principal: asUser(world.coach),
        teamId: world.teamId,
        email: 'revoke-me@example.test',
      });
      return { url: `/api/v1/teams/${world.teamId}/invites/${invite.id}` };
    },
    expect: usersOnly(403, { coach: 200, admin: 200 }),
  },
  {
    method: 'GET',
    url: '/api/v1/teams/:id/athletes',
    request: ({ world }) => ({ url: `/api/v1/teams/${world.teamId}/athletes` }),
    expect: usersOnly(403, { coach: 200, admin: 200 }),
  },
  {
    method: 'PUT',
    url: '/api/v1/teams/:id/consent',
    // Re-grants what the fixture already has, so the world stays as described.
    request: ({ world }) => ({ url: `/api/v1/teams/${world.teamId}/consent`, payload: ALL }),
    expect: usersOnly(403, { athlete: 200 }),
  },
  {
    method: 'DELETE',
    url: '/api/v1/teams/:id/membership',
    request: async (ctx) => ({ url: `/api/v1/teams/${await freshTeam(ctx)}/membership` }),
    // The coach is the team's only coach: a team keeps one.
    expect: usersOnly(403, { athlete: 200, coach: 409 }),
  },
  {
    method: 'DELETE',
    url: '/api/v1/teams/:id/athletes/:athleteId',
    request: async (ctx) => ({
      url: `/api/v1/teams/${await freshTeam(ctx)}/athletes/${ctx.world.athlete.id}`,
    }),
    expect: usersOnly(403, { coach: 200, admin: 200 }),
  },
  {
    method: 'GET',
    url: '/api/v1/invites/:code',
    request: async ({ app, world }) => {
      const invite = await createInvite({
        deps: app.deps,
        principal: asUser(world.coach),
        teamId: world.teamId,
        email: 'x@example.test',
      });
      return { url: `/api/v1/invites/${invite.code}` };
    },
    expect: expectAll(200),
  },
  {
    method: 'POST',
    url: '/api/v1/invites/:code/accept',
    request: async (ctx) => {
      const teamId = await createTeamWith(ctx.app, ctx.world.coach);
      const invite = await createInvite({
        deps: ctx.app.deps,
        principal: asUser(ctx.world.coach),
        teamId,
        email: emailOf(ctx.world, ctx.actor),
      });
      return { url: `/api/v1/invites/${invite.code}/accept`, payload: {} };
    },
    expect: usersOnly(403, { athlete: 200, otherAthlete: 200 }),
  },
  {
    method: 'POST',
    url: '/api/v1/devices',
    request: () => ({ payload: { name: 'Matrix strap' } }),
    expect: usersOnly(201),
  },
  { method: 'GET', url: '/api/v1/devices', expect: usersOnly(200) },
  {
    method: 'DELETE',
    url: '/api/v1/devices/:id',
    request: async ({ app, world }) => ({
      url: `/api/v1/devices/${(await createPersonalKey(app, world.athlete)).deviceId}`,
    }),
    expect: usersOnly(404, { athlete: 200, admin: 200 }),
  },
  { method: 'GET', url: '/api/v1/admin/users', expect: usersOnly(403, { admin: 200 }) },
  {
    method: 'POST',
    url: '/api/v1/admin/users/:id/disable',
    request: async ({ app }) => ({ url: `/api/v1/admin/users/${await throwawayUser(app)}/disable` }),
    expect: usersOnly(403, { admin: 200 }),
  },
  {
    method: 'POST',
    url: '/api/v1/admin/users/:id/enable',
    request: async ({ app }) => ({ url: `/api/v1/admin/users/${await throwawayUser(app)}/enable` }),
    expect: usersOnly(403, { admin: 200 }),
  },
  {
    method: 'GET',
    url: '/api/v1/athletes/:athleteId/profile',
    request: ({ world }) => ({ url: `/api/v1/athletes/${world.athlete.id}/profile` }),
    expect: usersOnly(403, { athlete: 200, coach: 200, admin: 200 }),
  },
];

export default rows;
