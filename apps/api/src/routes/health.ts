import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** Liveness (the process answers) and readiness (every configured dependency answers). */
const health: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/healthz',
    { schema: { tags: ['ops'], response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );

  const readiness = z.object({
    status: z.enum(['ready', 'unavailable']),
    checks: z.record(z.string(), z.boolean()),
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
      const checks = { database, ...others };
      const ok = Object.values(checks).every(Boolean);
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'unavailable', checks });
    },
  );
};

export default health;
