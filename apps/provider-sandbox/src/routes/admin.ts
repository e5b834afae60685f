import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SandboxContext } from '../context.ts';

const provider = z.enum(['whoop', 'garmin']);

export const faultSettingsSchema = z.strictObject({
  rateLimitBurst: z.number().int().min(0).optional(),
  retryAfterS: z.number().int().min(0).optional(),
  serverErrors: z.number().int().min(0).optional(),
  serverErrorStatus: z.number().int().min(500).max(599).optional(),
  delayMs: z.number().int().min(0).max(120_000).optional(),
});

const tokenAction = z.object({ provider, user: z.string().optional() });

/** Test controls under `/_sandbox`: stats, fault modes, token expiry and revocation. */
export function registerAdminRoutes(app: FastifyInstance, context: SandboxContext): void {
  app.get('/_sandbox/healthz', async () => ({ ok: true }));

  app.get('/_sandbox/stats', async () => context.traffic.stats());

  app.post('/_sandbox/reset', async () => {
    context.traffic.resetStats();
    context.traffic.clearFaults();
    return { ok: true };
  });

  app.get('/_sandbox/faults/:provider', async (request, reply) => {
    const parsed = provider.safeParse((request.params as { provider: string }).provider);
    if (!parsed.success)
      return reply.code(400).send({ error: { code: 'VALIDATION_ERROR', message: 'provider' } });
    return context.traffic.getFaults(parsed.data);
  });

  app.put('/_sandbox/faults/:provider', async (request, reply) => {
    const which = provider.safeParse((request.params as { provider: string }).provider);
    const faults = faultSettingsSchema.safeParse(request.body ?? {});
    if (!which.success || !faults.success) {
      const field = which.success ? (faults.error?.issues[0]?.path.join('.') ?? 'body') : 'provider';
      return reply.code(400).send({ error: { code: 'VALIDATION_ERROR', message: `invalid ${field}` } });
    }
    context.traffic.setFaults(which.data, faults.data);
    return context.traffic.getFaults(which.data);
  });

  app.delete('/_sandbox/faults', async () => {
    context.traffic.clearFaults();
    return { ok: true };
  });

  app.post('/_sandbox/tokens/expire', async (request, reply) => {
    const parsed = tokenAction.safeParse(request.body ?? {});
    if (!parsed.success)
      return reply.code(400).send({ error: { code: 'VALIDATION_ERROR', message: 'provider' } });
    return { expired: context.tokens.expireAccess(parsed.data.provider, parsed.data.user) };
  });

  app.post('/_sandbox/tokens/revoke', async (request, reply) => {
    const parsed = tokenAction.safeParse(request.body ?? {});
    if (!parsed.success)
      return reply.code(400).send({ error: { code: 'VALIDATION_ERROR', message: 'provider' } });
    return { revoked: context.tokens.revokeUser(parsed.data.provider, parsed.data.user) };
  });
}
