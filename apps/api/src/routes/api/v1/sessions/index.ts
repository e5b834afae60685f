import {
  manualSessionBodySchema,
  manualSessionPatchBodySchema,
  samplesQuerySchema,
  samplesResponseSchema,
  sessionEnvelopeSchema,
  sessionExportQuerySchema,
  sessionIdParamsSchema,
  sessionPatchBodySchema,
  sessionResponseSchema,
  startSessionBodySchema,
} from '@athlete/contracts';
import {
  AppError,
  createManualSession,
  deleteManualSession,
  exportSession,
  getSession,
  getSessionSamples,
  renameSession,
  updateManualSession,
} from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { userOf } from '../../../../plugins/app/auth.ts';

/** Live session control (start/stop), manual sessions, session reads, renames and downloads. */
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
      const session = await app.live.startSession({
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
      const session = await app.live.stopSession({
        principal: req.principal,
        sessionId: req.params.id,
      });
      if (!session) throw new AppError('NOT_FOUND', 'Session not found');
      return { session };
    },
  );

  app.post(
    '/manual',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['sessions'],
        summary:
          'Enter a session by hand (no file): sport, start, duration, distance, RPE, note, name; counted in load',
        body: manualSessionBodySchema,
        response: { 201: sessionEnvelopeSchema },
      },
    },
    async (req, reply) => {
      const session = await createManualSession({ deps: app.deps, principal: userOf(req), body: req.body });
      return reply.code(201).send({ session });
    },
  );

  app.patch(
    '/manual/:id',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['sessions'],
        summary:
          'Correct a session you entered by hand: only the fields sent change, null clears; load follows',
        params: sessionIdParamsSchema,
        body: manualSessionPatchBodySchema,
        response: { 200: sessionEnvelopeSchema },
      },
    },
    async (req) => ({
      session: await updateManualSession({
        deps: app.deps,
        principal: userOf(req),
        sessionId: req.params.id,
        body: req.body,
      }),
    }),
  );

  app.delete(
    '/manual/:id',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['sessions'],
        summary: 'Delete a session you entered by hand, with its rating and notes; load follows',
        params: sessionIdParamsSchema,
      },
    },
    async (req, reply) => {
      await deleteManualSession({ deps: app.deps, principal: userOf(req), sessionId: req.params.id });
      return reply.code(204).send();
    },
  );

  app.patch(
    '/:id',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['sessions'],
        summary: 'Rename a session of your own (name: null clears it)',
        params: sessionIdParamsSchema,
        body: sessionPatchBodySchema,
        response: { 200: sessionEnvelopeSchema },
      },
    },
    async (req) => ({
      session: await renameSession({
        deps: app.deps,
        principal: userOf(req),
        sessionId: req.params.id,
        name: req.body.name,
      }),
    }),
  );

  app.get(
    '/:id/export',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['sessions'],
        summary: 'Download a session as FIT, GPX or TCX, or the original uploaded file (?format=original)',
        params: sessionIdParamsSchema,
        querystring: sessionExportQuerySchema,
        produces: ['application/vnd.ant.fit', 'application/gpx+xml', 'application/vnd.garmin.tcx+xml'],
      },
    },
    async (req, reply) => {
      const file = await exportSession({
        deps: app.deps,
        principal: req.principal,
        sessionId: req.params.id,
        format: req.query.format,
      });
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .header('cache-control', 'private, no-store')
        .send(file.bytes);
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
