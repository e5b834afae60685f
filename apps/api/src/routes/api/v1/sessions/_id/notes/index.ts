import {
  noteBodySchema,
  noteResponseSchema,
  notesResponseSchema,
  sessionIdParamsSchema,
} from '@athlete/contracts';
import { addNote, listNotes } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { userOf } from '../../../../../../plugins/app/auth.ts';

const sessionNotes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['notes'],
        summary: 'The thread of notes on a session, oldest first',
        params: sessionIdParamsSchema,
        response: { 200: notesResponseSchema },
      },
    },
    async (req) => ({
      notes: await listNotes({
        deps: app.deps,
        principal: req.principal,
        subject: { sessionId: req.params.id },
      }),
    }),
  );

  app.post(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['notes'],
        summary: "Write on a session's thread (its athlete, or a coach who may see the session)",
        params: sessionIdParamsSchema,
        body: noteBodySchema,
        response: { 201: noteResponseSchema },
      },
    },
    async (req, reply) => {
      const note = await addNote({
        deps: app.deps,
        principal: userOf(req),
        subject: { sessionId: req.params.id },
        body: req.body.body,
      });
      return reply.code(201).send({ note });
    },
  );
};

export default sessionNotes;
