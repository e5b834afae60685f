import {
  authResponseSchema,
  completeSignupBodySchema,
  confirmEmailBodySchema,
  confirmEmailResponseSchema,
  errorBodySchema,
  forgotPasswordBodySchema,
  forgotPasswordResponseSchema,
  loginBodySchema,
  okResponseSchema,
  registerBodySchema,
  resetPasswordBodySchema,
  signupPendingResponseSchema,
} from '@athlete/contracts';
import {
  completeSignup,
  confirmEmailChange,
  createSession,
  login,
  rateLimited,
  registerUser,
  requestPasswordReset,
  resetPassword,
  revokeSession,
  startSignup,
} from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { clearSessionCookies, setSessionCookies } from '../../../../plugins/app/auth.ts';

const auth: FastifyPluginAsyncZod = async (app) => {
  const { deps, config } = app;

  app.post(
    '/register',
    {
      schema: {
        tags: ['auth'],
        summary:
          'Create an athlete or coach account and sign in (201); with SIGNUP_EMAIL_VERIFICATION=on, mail a link that does it (202, alike for every address)',
        body: registerBodySchema,
        response: {
          201: authResponseSchema,
          202: signupPendingResponseSchema,
          400: errorBodySchema,
          409: errorBodySchema,
          429: errorBodySchema,
        },
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
      if (config.SIGNUP_EMAIL_VERIFICATION === 'on') {
        const { email } = await startSignup({ deps, input, role });
        return reply.code(202).send({
          status: 'verification_sent' as const,
          email,
          message: `We sent a mail to ${email}. Follow the link in it to finish signing up.`,
        });
      }
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
    '/complete-signup',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create the account with the link from the sign-up mail, and sign in',
        body: completeSignupBodySchema,
        response: {
          201: authResponseSchema,
          400: errorBodySchema,
          409: errorBodySchema,
          410: errorBodySchema,
        },
      },
    },
    async (req, reply) => {
      const { user, token, expiresAt } = await completeSignup({
        deps,
        token: req.body.token,
        ip: req.ip,
        userAgent: req.headers['user-agent'],
      });
      setSessionCookies(reply, config, token, expiresAt);
      return reply.code(201).send({ user, token });
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

  app.post(
    '/forgot-password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Mail a password reset link; answered alike whether or not the address has an account',
        body: forgotPasswordBodySchema,
        response: { 202: forgotPasswordResponseSchema, 429: errorBodySchema },
      },
    },
    async (req, reply) => {
      await requestPasswordReset({ deps, email: req.body.email, ip: req.ip });
      return reply.code(202).send({
        ok: true as const,
        message: 'If an account uses this address, a link to reset its password is on its way.',
      });
    },
  );

  app.post(
    '/reset-password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Set a new password with the link from the reset mail (signs out every session)',
        body: resetPasswordBodySchema,
        response: { 200: okResponseSchema, 400: errorBodySchema, 410: errorBodySchema },
      },
    },
    async (req) => {
      await resetPassword({ deps, token: req.body.token, password: req.body.password });
      return { ok: true as const };
    },
  );

  app.post(
    '/confirm-email',
    {
      schema: {
        tags: ['auth'],
        summary: 'Confirm an email change with the link mailed to the new address',
        body: confirmEmailBodySchema,
        response: {
          200: confirmEmailResponseSchema,
          400: errorBodySchema,
          409: errorBodySchema,
          410: errorBodySchema,
        },
      },
    },
    async (req) => confirmEmailChange({ deps, token: req.body.token }),
  );
};

export default auth;
