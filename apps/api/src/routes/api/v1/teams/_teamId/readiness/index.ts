import {
  analyticsDateQuerySchema,
  teamIdParamsSchema,
  teamReadinessResponseSchema,
} from '@athlete/contracts';
import { getTeamReadiness } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { userOf } from '../../../../../../plugins/app/auth.ts';

const teamReadiness: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['analytics'],
        summary:
          "The coach's morning check: each athlete's recommendation, reasons, readiness and flags (wellness consent), who needs attention first",
        params: teamIdParamsSchema,
        querystring: analyticsDateQuerySchema,
        response: { 200: teamReadinessResponseSchema },
      },
    },
    async (req) =>
      getTeamReadiness({
        deps: app.deps,
        principal: userOf(req),
        teamId: req.params.teamId,
        date: req.query.date,
      }),
  );
};

export default teamReadiness;
