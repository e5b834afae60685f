import { athleteIdParamsSchema, athletePlansResponseSchema, planRangeQuerySchema } from '@athlete/contracts';
import { listAthletePlans } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const athletePlans: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['plans'],
        summary:
          "An athlete's plans in ?from&to (default this month), each with the session that did it, and unplanned sessions (sessions consent)",
        params: athleteIdParamsSchema,
        querystring: planRangeQuerySchema,
        response: { 200: athletePlansResponseSchema },
      },
    },
    async (req) =>
      listAthletePlans({
        deps: app.deps,
        principal: req.principal,
        athleteId: req.params.athleteId,
        range: req.query,
      }),
  );
};

export default athletePlans;
