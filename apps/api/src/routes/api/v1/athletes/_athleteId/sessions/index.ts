import { athleteIdParamsSchema, dateRangeQuerySchema, sessionsResponseSchema } from '@athlete/contracts';
import { listAthleteSessions } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const athleteSessions: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['sessions'],
        summary: "An athlete's sessions that started in ?from&to, newest first",
        params: athleteIdParamsSchema,
        querystring: dateRangeQuerySchema,
        response: { 200: sessionsResponseSchema },
      },
    },
    async (req) => ({
      sessions: await listAthleteSessions({
        deps: app.deps,
        principal: req.principal,
        athleteId: req.params.athleteId,
        from: req.query.from,
        to: req.query.to,
      }),
    }),
  );
};

export default athleteSessions;
