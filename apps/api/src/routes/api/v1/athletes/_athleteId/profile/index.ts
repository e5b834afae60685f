import { profileSummaryResponseSchema, uuidSchema } from '@athlete/contracts';
import { getProfileSummary } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const athleteProfile: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['athletes'],
        summary: "An athlete's HR max and zones (for those who see their live or sessions data)",
        params: z.object({ athleteId: uuidSchema }),
        response: { 200: profileSummaryResponseSchema },
      },
    },
    async (req) =>
      getProfileSummary({ deps: app.deps, principal: req.principal, athleteId: req.params.athleteId }),
  );
};

export default athleteProfile;
