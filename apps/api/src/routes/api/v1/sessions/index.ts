import {
  samplesQuerySchema,
  samplesResponseSchema,
  sessionEnvelopeSchema,
  sessionIdParamsSchema,
  sessionResponseSchema,
  startSessionBodySchema,
} from '@athlete/contracts';
import {
  AppError,
  getSession,
  getSessionSamples,
  startLiveSession,
  stopLiveSession,
} from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** Live session control (start/stop) and session reads. */
const sessions: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/',
    {
      preHandler: app.requireIngest,
      schema: {
        tags: ['live'],
        summary: 'Start a live session (athleteId defaults to the caller)',
        body: startSessionBodySchema,
        response: { 201: sessionEnvelopeSchema },
      },
    },
    async (req, reply) => {
      const session = await startLiveSession({
        live: app.live,
        principal: req.principal,
        athleteId: req.body.athleteId,
        source: req.body.source,
      });
      return reply.code(201).send({ session });
    },
  );

  app.post(
    '/:id/stop',
    {
      preHandler: app.requireIngest,
      schema: {
        tags: ['live'],
        summary: 'Stop a live session: summary, time in zones, TRIMP, daily load',
        params: sessionIdParamsSchema,
        response: { 200: sessionEnvelopeSchema },
      },
    },
    async (req) => {
      const session = await stopLiveSession({
        live: app.live,
        principal: req.principal,
        sessionId: req.params.id,
      });
      if (!session) throw new AppError('NOT_FOUND', 'Session not found');
      return { session };
    },
  );

  app.get(
    '/:id',
    {
      preHandler: app.requireUser,
      schema: { tags: ['sessions'], params: sessionIdParamsSchema, response: { 200: sessionResponseSchema } },
    },
    async (req) => getSession({ deps: app.deps, principal: req.principal, sessionId: req.params.id }),
  );

  app.get(
    '/:id/samples',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['sessions'],
        summary: 'Samples of a session, LTTB-downsampled to maxPoints',
        params: sessionIdParamsSchema,
        querystring: samplesQuerySchema,
        response: { 200: samplesResponseSchema },
      },
    },
    async (req) =>
      getSessionSamples({
        deps: app.deps,
        principal: req.principal,
        sessionId: req.params.id,
        maxPoints: req.query.maxPoints,
      }),
  );
};

export default sessions;
