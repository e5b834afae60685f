import {
  createInviteBodySchema,
  createTeamBodySchema,
  idParamSchema,
  inviteResponseSchema,
  membershipResponseSchema,
  okResponseSchema,
  pendingInvitesResponseSchema,
  teamAthleteParamSchema,
  teamAthletesResponseSchema,
  teamInviteParamSchema,
  teamResponseSchema,
  teamsResponseSchema,
  updateConsentBodySchema,
} from '@athlete/contracts';
import {
  createInvite,
  createTeam,
  getTeam,
  leaveTeam,
  listPendingInvites,
  listTeamAthletes,
  listTeams,
  removeAthlete,
  revokeInvite,
  updateConsent,
} from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { userOf } from '../../../../plugins/app/auth.ts';

const teams: FastifyPluginAsyncZod = async (app) => {
  const { deps } = app;
  app.addHook('preHandler', app.requireUser);

  app.post(
    '/',
    {
      preHandler: app.requireRole('coach', 'admin'),
      schema: {
        tags: ['teams'],
        summary: 'Create a team (you become its coach)',
        body: createTeamBodySchema,
        response: { 201: teamResponseSchema },
      },
    },
    async (req, reply) =>
      reply.code(201).send({ team: await createTeam({ deps, principal: userOf(req), name: req.body.name }) }),
  );

  app.get(
    '/',
    { schema: { tags: ['teams'], summary: 'Teams you belong to', response: { 200: teamsResponseSchema } } },
    async (req) => ({
      teams: await listTeams({ deps, principal: userOf(req) }),
    }),
  );

  app.get(
    '/:id',
    {
      schema: {
        tags: ['teams'],
        summary: 'One team (members and admins)',
        params: idParamSchema,
        response: { 200: teamResponseSchema },
      },
    },
    async (req) => ({ team: await getTeam({ deps, principal: userOf(req), teamId: req.params.id }) }),
  );

  app.post(
    '/:id/invites',
    {
      preHandler: app.hourlyQuota('invite', 'INVITES_PER_HOUR', 'invites'),
      schema: {
        tags: ['teams'],
        summary: 'Invite an athlete: the link is mailed to the address unless sendEmail is false (coach)',
        params: idParamSchema,
        body: createInviteBodySchema,
        response: { 201: inviteResponseSchema },
      },
    },
    async (req, reply) =>
      reply.code(201).send({
        invite: await createInvite({
          deps,
          principal: userOf(req),
          teamId: req.params.id,
          email: req.body.email,
          sendEmail: req.body.sendEmail ?? true,
        }),
      }),
  );

  app.get(
    '/:id/invites',
    {
      schema: {
        tags: ['teams'],
        summary: 'Invites not yet accepted, revoked or expired (coach, admin); codes are not shown again',
        params: idParamSchema,
        response: { 200: pendingInvitesResponseSchema },
      },
    },
    async (req) => ({
      invites: await listPendingInvites({ deps, principal: userOf(req), teamId: req.params.id }),
    }),
  );

  app.delete(
    '/:id/invites/:inviteId',
    {
      schema: {
        tags: ['teams'],
        summary: 'Revoke an invite so its link can no longer be accepted (coach, admin)',
        params: teamInviteParamSchema,
        response: { 200: okResponseSchema },
      },
    },
    async (req) => {
      await revokeInvite({
        deps,
        principal: userOf(req),
        teamId: req.params.id,
        inviteId: req.params.inviteId,
      });
      return { ok: true as const };
    },
  );

  app.get(
    '/:id/athletes',
    {
      schema: {
        tags: ['teams'],
        summary: "The team's athletes with consent and profile summary (coach, admin)",
        params: idParamSchema,
        response: { 200: teamAthletesResponseSchema },
      },
    },
    async (req) => ({
      athletes: await listTeamAthletes({ deps, principal: userOf(req), teamId: req.params.id }),
    }),
  );

  app.put(
    '/:id/consent',
    {
      schema: {
        tags: ['teams'],
        summary: 'Set what this team may see of your data (athlete)',
        params: idParamSchema,
        body: updateConsentBodySchema,
        response: { 200: membershipResponseSchema },
      },
    },
    async (req) => ({
      membership: await updateConsent({
        deps,
        principal: userOf(req),
        teamId: req.params.id,
        consent: req.body,
      }),
    }),
  );

  app.delete(
    '/:id/membership',
    {
      schema: {
        tags: ['teams'],
        summary: 'Leave the team',
        params: idParamSchema,
        response: { 200: okResponseSchema },
      },
    },
    async (req) => {
      await leaveTeam({ deps, principal: userOf(req), teamId: req.params.id });
      return { ok: true as const };
    },
  );

  app.delete(
    '/:id/athletes/:athleteId',
    {
      schema: {
        tags: ['teams'],
        summary: 'Remove an athlete from the team (coach)',
        params: teamAthleteParamSchema,
        response: { 200: okResponseSchema },
      },
    },
    async (req) => {
      await removeAthlete({
        deps,
        principal: userOf(req),
        teamId: req.params.id,
        athleteId: req.params.athleteId,
      });
      return { ok: true as const };
    },
  );
};

export default teams;
