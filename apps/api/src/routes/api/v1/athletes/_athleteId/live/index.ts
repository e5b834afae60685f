import { athleteIdParamsSchema, athleteLiveResponseSchema } from '@athlete/contracts';
import { assertCanViewAthlete } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const athleteLive: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['live'],
        summary: "An athlete's live state: open session, latest sample, active alerts",
        params: athleteIdParamsSchema,
        response: { 200: athleteLiveResponseSchema },
      },
    },
    async (req) => {
      const { athleteId } = req.params;
      await assertCanViewAthlete({ deps: app.deps, principal: req.principal, athleteId, scope: 'live' });
      const [athlete] = await app.live.snapshot({
        principal: req.principal,
        athleteIds: [athleteId],
      });
      return { athlete: athlete! };
    },
  );
};

export default athleteLive;
