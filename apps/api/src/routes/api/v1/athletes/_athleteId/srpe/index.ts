import { athleteIdParamsSchema, dateRangeQuerySchema, srpeSeriesResponseSchema } from '@athlete/contracts';
import { getSrpeLoad } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const athleteSrpe: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['wellness'],
        summary: "An athlete's daily session-RPE load (RPE × minutes, Foster) in ?from&to (default 28 days)",
        params: athleteIdParamsSchema,
        querystring: dateRangeQuerySchema,
        response: { 200: srpeSeriesResponseSchema },
      },
    },
    async (req) => ({
      days: await getSrpeLoad({
        deps: app.deps,
        principal: req.principal,
        athleteId: req.params.athleteId,
        from: req.query.from,
        to: req.query.to,
      }),
      formula: 'rpe × minutes (Foster)' as const,
    }),
  );
};

export default athleteSrpe;
