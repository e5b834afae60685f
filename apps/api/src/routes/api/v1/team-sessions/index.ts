import {
  teamSessionEndResponseSchema,
  teamSessionIdParamsSchema,
  teamSessionReviewResponseSchema,
} from '@athlete/contracts';
import { reviewTeamSession } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { userOf } from '../../../../plugins/app/auth.ts';

/** One team session (#15.5): its review, and ending it. Coaches of its team and admins. */
const teamSession: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/:id',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['team-sessions'],
        summary:
          'Review a team session: each athlete (name always; figures with sessions consent) and the team average',
        params: teamSessionIdParamsSchema,
        response: { 200: teamSessionReviewResponseSchema },
      },
    },
    async (req) =>
      reviewTeamSession({ deps: app.deps, principal: userOf(req), teamSessionId: req.params.id }),
  );

  app.post(
    '/:id/end',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['team-sessions'],
        summary: 'End a team session, closing the live sessions grouped under it; 409 once ended',
        params: teamSessionIdParamsSchema,
        response: { 200: teamSessionEndResponseSchema },
      },
    },
    async (req) => app.live.endTeamSession({ principal: userOf(req), teamSessionId: req.params.id }),
  );
};

export default teamSession;
