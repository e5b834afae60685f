import {
  analyticsDateQuerySchema,
  analyticsRangeQuerySchema,
  athleteIdParamsSchema,
  athleteReadinessResponseSchema,
  confirmThresholdBodySchema,
  errorBodySchema,
  readinessCheckBodySchema,
  readinessCheckResponseSchema,
  readinessSeriesResponseSchema,
  readinessThresholdSchema,
  thresholdOverrideResponseSchema,
  thresholdOverridesResponseSchema,
} from '@athlete/contracts';
import {
  confirmReadinessThreshold,
  getAthleteReadiness,
  getReadinessSeries,
  getReadinessThreshold,
  listThresholdOverrides,
  recordReadinessCheck,
} from '@athlete/services';
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

  app.get(
    '/threshold',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['analytics'],
        summary:
          "The day's readiness-gated hr_high suggestion (null when readiness is not low) with its reason and formula, and the override confirmed for it",
        params: athleteIdParamsSchema,
        querystring: analyticsDateQuerySchema,
        response: { 200: readinessThresholdSchema },
      },
    },
    async (req) =>
      getReadinessThreshold({
        deps: app.deps,
        principal: req.principal,
        athleteId: req.params.athleteId,
        date: req.query.date,
      }),
  );

  app.post(
    '/threshold',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['analytics'],
        summary:
          "A coach confirms today's suggestion: hr_high uses the lower bpm for the athlete this UTC day only (logged); 409 when there is none, it changed, or it is already confirmed",
        params: athleteIdParamsSchema,
        body: confirmThresholdBodySchema,
        response: { 201: thresholdOverrideResponseSchema, 409: errorBodySchema },
      },
    },
    async (req, reply) =>
      reply.code(201).send({
        override: await confirmReadinessThreshold({
          deps: app.deps,
          principal: req.principal,
          athleteId: req.params.athleteId,
          date: req.body.date,
          suggestedBpm: req.body.suggestedBpm,
        }),
      }),
  );

  app.get(
    '/threshold/log',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['analytics'],
        summary: 'Confirmed day overrides of hr_high, newest first: who, when, old → new bpm and why',
        params: athleteIdParamsSchema,
        response: { 200: thresholdOverridesResponseSchema },
      },
    },
    async (req) => ({
      overrides: await listThresholdOverrides({
        deps: app.deps,
        principal: req.principal,
        athleteId: req.params.athleteId,
      }),
    }),
  );
};

export default athleteReadiness;
