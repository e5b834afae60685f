import {
  teamIdParamsSchema,
  teamSessionListResponseSchema,
  teamSessionResponseSchema,
  teamSessionStartBodySchema,
} from '@athlete/contracts';
import { listTeamSessions } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { userOf } from '../../../../../../plugins/app/auth.ts';

/** A team's team sessions (#15.5): coaches of the team and admins. */
const teamSessions: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['team-sessions'],
        summary: "A team's team sessions, newest first, and the one running (coaches)",
        params: teamIdParamsSchema,
        response: { 200: teamSessionListResponseSchema },
      },
    },
    async (req) => listTeamSessions({ deps: app.deps, principal: userOf(req), teamId: req.params.teamId }),
  );

  app.post(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['team-sessions'],
        summary:
          "Start a team session (coaches): athletes' live sessions inside it are grouped under it; 409 while one runs",
        params: teamIdParamsSchema,
        body: teamSessionStartBodySchema,
        response: { 201: teamSessionResponseSchema },
      },
    },
    async (req, reply) => {
      const teamSession = await app.live.startTeamSession({
        principal: userOf(req),
        teamId: req.params.teamId,
        title: req.body.title,
      });
      return reply.code(201).send({ teamSession });
    },
  );
};

export default teamSessions;
