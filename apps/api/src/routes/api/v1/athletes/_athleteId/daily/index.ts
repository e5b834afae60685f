import { athleteIdParamsSchema, dailyResponseSchema, dateRangeQuerySchema } from '@athlete/contracts';
import { listDailySummaries } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const athleteDaily: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['sessions'],
        summary: "An athlete's daily summaries per source (incl. 'merged') in ?from&to",
        params: athleteIdParamsSchema,
        querystring: dateRangeQuerySchema,
        response: { 200: dailyResponseSchema },
      },
    },
    async (req) => ({
      daily: await listDailySummaries({
        deps: app.deps,
        principal: req.principal,
        athleteId: req.params.athleteId,
        from: req.query.from,
        to: req.query.to,
      }),
    }),
  );
};

export default athleteDaily;
