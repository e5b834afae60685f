import { athleteIdParamsSchema, dateRangeQuerySchema, wellnessListResponseSchema } from '@athlete/contracts';
import { listWellness } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const athleteWellness: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['wellness'],
        summary: "An athlete's wellness answers in ?from&to (default 28 days) and whether today's is missing",
        params: athleteIdParamsSchema,
        querystring: dateRangeQuerySchema,
        response: { 200: wellnessListResponseSchema },
      },
    },
    async (req) =>
      listWellness({
        deps: app.deps,
        principal: req.principal,
        athleteId: req.params.athleteId,
        from: req.query.from,
        to: req.query.to,
      }),
  );
};

export default athleteWellness;
