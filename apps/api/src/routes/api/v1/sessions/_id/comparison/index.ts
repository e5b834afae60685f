import { sessionComparisonResponseSchema, sessionIdParamsSchema } from '@athlete/contracts';
import { getSessionComparison } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const sessionComparison: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['analytics'],
        summary:
          'Efficiency factor and aerobic decoupling against the last 10 sessions of the same sport within ±25 % of the duration (consent scope sessions)',
        params: sessionIdParamsSchema,
        response: { 200: sessionComparisonResponseSchema },
      },
    },
    async (req) => ({
      comparison: await getSessionComparison({
        deps: app.deps,
        principal: req.principal,
        sessionId: req.params.id,
      }),
    }),
  );
};

export default sessionComparison;
