import {
  analyticsRangeQuerySchema,
  athleteIdParamsSchema,
  loadSettingsBodySchema,
  loadSettingsResponseSchema,
  trainingLoadResponseSchema,
} from '@athlete/contracts';
import { getTrainingLoad, updateLoadSettings } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const athleteLoad: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['analytics'],
        summary:
          "An athlete's daily TRIMP from every source (each activity once), fitness/fatigue/form, ACWR, weekly monotony and a 14-day form projection in ?from&to",
        params: athleteIdParamsSchema,
        querystring: analyticsRangeQuerySchema,
        response: { 200: trainingLoadResponseSchema },
      },
    },
    async (req) => ({
      load: await getTrainingLoad({
        deps: app.deps,
        principal: req.principal,
        athleteId: req.params.athleteId,
        from: req.query.from,
        to: req.query.to,
      }),
    }),
  );

  app.put(
    '/settings',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['analytics'],
        summary: "Sets the athlete's fitness (CTL) and fatigue (ATL) time constants (null = default)",
        params: athleteIdParamsSchema,
        body: loadSettingsBodySchema,
        response: { 200: loadSettingsResponseSchema },
      },
    },
    async (req) => ({
      settings: await updateLoadSettings({
        deps: app.deps,
        principal: req.principal,
        athleteId: req.params.athleteId,
        ctlDays: req.body.ctlDays,
        atlDays: req.body.atlDays,
      }),
    }),
  );
};

export default athleteLoad;
