import {
  athleteDayParamsSchema,
  noteBodySchema,
  noteResponseSchema,
  notesResponseSchema,
} from '@athlete/contracts';
import { addNote, listNotes } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { userOf } from '../../../../../../../../plugins/app/auth.ts';

const dayNotes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['notes'],
        summary: "The thread of notes on an athlete's day, oldest first",
        params: athleteDayParamsSchema,
        response: { 200: notesResponseSchema },
      },
    },
    async (req) => ({
      notes: await listNotes({ deps: app.deps, principal: req.principal, subject: req.params }),
    }),
  );

  app.post(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['notes'],
        summary: "Write on an athlete's day (the athlete, or a coach with their wellness consent)",
        params: athleteDayParamsSchema,
        body: noteBodySchema,
        response: { 201: noteResponseSchema },
      },
    },
    async (req, reply) => {
      const note = await addNote({
        deps: app.deps,
        principal: userOf(req),
        subject: req.params,
        body: req.body.body,
      });
      return reply.code(201).send({ note });
    },
  );
};

export default dayNotes;
