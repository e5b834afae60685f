import {
  analyticsDateQuerySchema,
  analyticsRangeQuerySchema,
  athleteIdParamsSchema,
  athleteReadinessResponseSchema,
  errorBodySchema,
  readinessCheckBodySchema,
  readinessCheckResponseSchema,
  readinessSeriesResponseSchema,
} from '@athlete/contracts';
import { getAthleteReadiness, getReadinessSeries, recordReadinessCheck } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const athleteReadiness: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['analytics'],
        summary:
          "An athlete's readiness for ?date (HRV, resting HR, sleep vs baseline, flags), form and the recommendation of the day with its reasons",
        params: athleteIdParamsSchema,
        querystring: analyticsDateQuerySchema,
        response: { 200: athleteReadinessResponseSchema },
      },
    },
    async (req) => ({
      readiness: await getAthleteReadiness({
        deps: app.deps,
        principal: req.principal,
        athleteId: req.params.athleteId,
        date: req.query.date,
      }),
    }),
  );

  app.get(
    '/series',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['analytics'],
        summary: 'lnRMSSD, resting HR and sleep per day with their baselines and anomaly flags in ?from&to',
        params: athleteIdParamsSchema,
        querystring: analyticsRangeQuerySchema,
        response: { 200: readinessSeriesResponseSchema },
      },
    },
    async (req) => ({
      days: await getReadinessSeries({
        deps: app.deps,
        principal: req.principal,
        athleteId: req.params.athleteId,
        from: req.query.from,
        to: req.query.to,
      }),
    }),
  );

  app.post(
    '/checks',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['analytics'],
        summary:
          'Records a 2–5 minute resting HRV check from RR intervals; too many artefacts → 422 READINESS_REJECTED (stored as rejected)',
        params: athleteIdParamsSchema,
        body: readinessCheckBodySchema,
        response: { 201: readinessCheckResponseSchema, 422: errorBodySchema },
      },
    },
    async (req, reply) =>
      reply.code(201).send({
        check: await recordReadinessCheck({
          deps: app.deps,
          principal: req.principal,
          athleteId: req.params.athleteId,
          rr: req.body.rr,
          measuredAt: req.body.measuredAt,
          source: req.body.source,
        }),
      }),
  );
};

export default athleteReadiness;
