import { sessionIdParamsSchema, sessionRpeBodySchema, sessionRpeResponseSchema } from '@athlete/contracts';
import { getSessionRpe, rateSession } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { userOf } from '../../../../../../plugins/app/auth.ts';

const sessionRpe: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['wellness'],
        summary: "A session's RPE rating and sRPE load (null while unrated)",
        params: sessionIdParamsSchema,
        response: { 200: sessionRpeResponseSchema },
      },
    },
    async (req) => ({
      rpe: await getSessionRpe({ deps: app.deps, principal: req.principal, sessionId: req.params.id }),
    }),
  );

  app.put(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['wellness'],
        summary: 'Rate a finished session of your own on the CR-10 scale (0–10); sRPE load = RPE × minutes',
        params: sessionIdParamsSchema,
        body: sessionRpeBodySchema,
        response: { 200: sessionRpeResponseSchema },
      },
    },
    async (req) => ({
      rpe: await rateSession({
        deps: app.deps,
        principal: userOf(req),
        sessionId: req.params.id,
        rpe: req.body.rpe,
      }),
    }),
  );
};

export default sessionRpe;
