import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

/**
 * Liveness (the process answers) and readiness (every configured dependency answers, and the
 * live write-behind is storing samples: a stuck writer means ingest cannot be acknowledged).
 */
const health: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/healthz',
    { schema: { tags: ['ops'], response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );

  const readiness = z.object({
    status: z.enum(['ready', 'unavailable']),
    checks: z.record(z.string(), z.boolean()),
    /** Why a failing check fails, in words, where known (e.g. liveWriter). */
    reasons: z.record(z.string(), z.string()).optional(),
  });
  app.get(
    '/readyz',
    { schema: { tags: ['ops'], response: { 200: readiness, 503: readiness } } },
    async (_req, reply) => {
      const { db, platform } = app.deps;
      const [database, others] = await Promise.all([
        db.ping().catch(() => false),
        platform.health().catch(() => ({ platform: false })),
      ]);
      const writer = app.live.readiness();
      const checks = { database, ...others, liveWriter: writer.ready };
      const ok = Object.values(checks).every(Boolean);
      return reply.code(ok ? 200 : 503).send({
        status: ok ? 'ready' : 'unavailable',
        checks,
        ...(writer.ready ? {} : { reasons: { liveWriter: writer.reason } }),
      });
    },
  );
};

export default health;
