import {
  authResponseSchema,
  errorBodySchema,
  loginBodySchema,
  okResponseSchema,
  registerBodySchema,
} from '@athlete/contracts';
import { createSession, login, rateLimited, registerUser, revokeSession } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { clearSessionCookies, setSessionCookies } from '../../../../plugins/app/auth.ts';

/** New accounts per client address per hour (slows scripted sign-ups). */

const auth: FastifyPluginAsyncZod = async (app) => {
  const { deps, config } = app;

  app.post(
    '/register',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an athlete or coach account and sign in',
        body: registerBodySchema,
        response: { 201: authResponseSchema, 409: errorBodySchema, 429: errorBodySchema },
      },
    },
    async (req, reply) => {
      const r = await deps.platform.rateLimiter.consume(
        `register:address:${req.ip}`,
        config.REGISTER_LIMIT_PER_HOUR,
        3_600_000,
      );
      if (!r.allowed) throw rateLimited('Too many sign-ups from this address', r.retryAfterMs);
      const { role, ...input } = req.body;
      const user = await registerUser({ deps, input, role });
      const session = await createSession({
        deps,
        userId: user.id,
        ip: req.ip,
        userAgent: req.headers['user-agent'],
      });
      setSessionCookies(reply, config, session.token, session.expiresAt);
      return reply.code(201).send({ user, token: session.token });
    },
  );

  app.post(
    '/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in: returns a Bearer token and sets the session cookie',
        body: loginBodySchema,
        response: {
          200: authResponseSchema,
          401: errorBodySchema,
          403: errorBodySchema,
          429: errorBodySchema,
        },
      },
    },
    async (req, reply) => {
      const { user, token, expiresAt } = await login({
        deps,
        input: req.body,
        ip: req.ip,
        userAgent: req.headers['user-agent'],
      });
      setSessionCookies(reply, config, token, expiresAt);
      return { user, token };
    },
  );

  app.post(
    '/logout',
    {
      preHandler: app.requireUser,
      schema: { tags: ['auth'], summary: 'End this session', response: { 200: okResponseSchema } },
    },
    async (req, reply) => {
      const p = req.principal;
      if (p?.kind === 'user') await revokeSession({ deps, sessionId: p.sessionId, userId: p.userId });
      clearSessionCookies(reply, config);
      return { ok: true as const };
    },
  );
};

export default auth;
