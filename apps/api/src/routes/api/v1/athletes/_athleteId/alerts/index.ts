import { alertsQuerySchema, alertsResponseSchema, athleteIdParamsSchema } from '@athlete/contracts';
import { listAthleteAlerts } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const athleteAlerts: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['live'],
        summary: "An athlete's alerts, newest first, filtered (?from&to&rule&sessionId&state) and paged",
        params: athleteIdParamsSchema,
        querystring: alertsQuerySchema,
        response: { 200: alertsResponseSchema },
      },
    },
    async (req) =>
      listAthleteAlerts({
        deps: app.deps,
        principal: req.principal,
        athleteId: req.params.athleteId,
        ...req.query,
      }),
  );
};

export default athleteAlerts;
