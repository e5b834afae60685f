import { planIdParamsSchema, planPatchSchema, planResponseSchema } from '@athlete/contracts';
import { deletePlan, updatePlan } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { userOf } from '../../../../plugins/app/auth.ts';

/** Changing one plan: its team's coaches (and admins). */
const plans: FastifyPluginAsyncZod = async (app) => {
  app.patch(
    '/:id',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['plans'],
        summary: 'Change a planned session (not into the past, only for athletes of its team)',
        params: planIdParamsSchema,
        body: planPatchSchema,
        response: { 200: planResponseSchema },
      },
    },
    async (req) => ({
      plan: await updatePlan({
        deps: app.deps,
        principal: userOf(req),
        planId: req.params.id,
        patch: req.body,
      }),
    }),
  );

  app.delete(
    '/:id',
    {
      preHandler: app.requireUser,
      schema: { tags: ['plans'], summary: 'Delete a planned session', params: planIdParamsSchema },
    },
    async (req, reply) => {
      await deletePlan({ deps: app.deps, principal: userOf(req), planId: req.params.id });
      return reply.code(204).send();
    },
  );
};

export default plans;
