import {
  planBodySchema,
  planRangeQuerySchema,
  planResponseSchema,
  teamIdParamsSchema,
  teamPlansResponseSchema,
} from '@athlete/contracts';
import { createPlan, listTeamPlans } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { userOf } from '../../../../../../plugins/app/auth.ts';

const teamPlans: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['plans'],
        summary:
          "A team's plans in ?from&to (default this month) with each athlete's result (sessions consent)",
        params: teamIdParamsSchema,
        querystring: planRangeQuerySchema,
        response: { 200: teamPlansResponseSchema },
      },
    },
    async (req) =>
      listTeamPlans({ deps: app.deps, principal: userOf(req), teamId: req.params.teamId, range: req.query }),
  );

  app.post(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['plans'],
        summary: 'Plan a session for one athlete of the team, or the whole team (coaches)',
        params: teamIdParamsSchema,
        body: planBodySchema,
        response: { 201: planResponseSchema },
      },
    },
    async (req, reply) => {
      const plan = await createPlan({
        deps: app.deps,
        principal: userOf(req),
        teamId: req.params.teamId,
        input: req.body,
      });
      return reply.code(201).send({ plan });
    },
  );
};

export default teamPlans;
