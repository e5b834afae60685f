import { ingestRequestSchema, ingestResponseSchema } from '@athlete/contracts';
import { AppError } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/**
 * `POST /api/v1/ingest`: a batch of samples from a signed-in user or an ingest key. Answers
 * 202 once the accepted samples are committed, with what was new, what was already stored
 * and which samples were rejected (index, field, reason).
 */
const ingest: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/',
    {
      preHandler: app.requireIngest,
      schema: {
        tags: ['live'],
        summary: 'Ingest a batch of samples (Bearer session token or ingest key)',
        body: ingestRequestSchema,
        response: { 202: ingestResponseSchema },
      },
    },
    async (req, reply) => {
      const outcome = await app.live.ingest({
        principal: req.principal!,
        samples: req.body.samples,
        source: req.body.source,
        transport: 'http',
        forbidden: 'throw',
      });
      if (outcome.taken === 0 && outcome.rejected.length > 0) {
        const details = outcome.rejected.map((r) => ({
          field: `body.samples.${r.index}.${r.field}`,
          message: r.reason,
        }));
        throw new AppError(
          'VALIDATION_ERROR',
          `No valid samples: ${details
            .slice(0, 5)
            .map((d) => `${d.field}: ${d.message}`)
            .join('; ')}`,
          details,
        );
      }
      const stored = await outcome.durable;
      return reply.code(202).send({
        accepted: stored.inserted,
        duplicates: stored.duplicates,
        rejected: outcome.rejected,
        ...(stored.quarantined ? { quarantined: stored.quarantined } : {}),
      });
    },
  );
};

export default ingest;
