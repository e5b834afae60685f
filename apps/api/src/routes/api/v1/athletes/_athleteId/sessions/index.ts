import { athleteIdParamsSchema, sessionsQuerySchema, sessionsResponseSchema } from '@athlete/contracts';
import { listAthleteSessions } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const athleteSessions: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['sessions'],
        summary:
          "An athlete's sessions that started in ?from&to (of ?sport only), newest first, a page of ?limit (default 50) at a time; pass nextCursor as ?cursor for the next page",
        params: athleteIdParamsSchema,
        querystring: sessionsQuerySchema,
        response: { 200: sessionsResponseSchema },
      },
    },
    async (req) =>
      listAthleteSessions({
        deps: app.deps,
        principal: req.principal,
        athleteId: req.params.athleteId,
        from: req.query.from,
        to: req.query.to,
        limit: req.query.limit,
        cursor: req.query.cursor,
        sport: req.query.sport,
      }),
  );
};

export default athleteSessions;
