import {
  wellnessAnswersSchema,
  wellnessDateParamsSchema,
  wellnessEntryResponseSchema,
} from '@athlete/contracts';
import { saveWellnessEntry } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { userOf } from '../../../../../plugins/app/auth.ts';

const myWellness: FastifyPluginAsyncZod = async (app) => {
  app.put(
    '/:date',
    {
      preHandler: app.requireRole('athlete'),
      schema: {
        tags: ['wellness'],
        summary: "Save the caller's morning wellness form for a day (answers 1–5, optional note)",
        params: wellnessDateParamsSchema,
        body: wellnessAnswersSchema,
        response: { 200: wellnessEntryResponseSchema },
      },
    },
    async (req) => ({
      entry: await saveWellnessEntry({
        deps: app.deps,
        principal: userOf(req),
        date: req.params.date,
        answers: req.body,
      }),
    }),
  );
};

export default myWellness;
