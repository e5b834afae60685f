import {
  deleteAccountBodySchema,
  meResponseSchema,
  okResponseSchema,
  profileResponseSchema,
  profileUpdateBodySchema,
} from '@athlete/contracts';
import { deleteAccount, exportAccount, getMe, getProfile, updateProfile } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { clearSessionCookies, userOf } from '../../../../plugins/app/auth.ts';

const me: FastifyPluginAsyncZod = async (app) => {
  const { deps } = app;
  app.addHook('preHandler', app.requireUser);

  app.get(
    '/',
    {
      schema: {
        tags: ['account'],
        summary: 'The signed-in user, profile and memberships',
        response: { 200: meResponseSchema },
      },
    },
    async (req) => ({ user: await getMe({ deps, userId: userOf(req).userId }) }),
  );

  app.get(
    '/profile',
    {
      schema: {
        tags: ['account'],
        summary: 'Athlete profile with zones in effect',
        response: { 200: profileResponseSchema },
      },
    },
    async (req) => ({ profile: await getProfile({ deps, userId: userOf(req).userId }) }),
  );

  app.put(
    '/profile',
    {
      schema: {
        tags: ['account'],
        summary: 'Change profile fields (null clears; hrZones null → derived)',
        body: profileUpdateBodySchema,
        response: { 200: profileResponseSchema },
      },
    },
    async (req) => ({ profile: await updateProfile({ deps, userId: userOf(req).userId, input: req.body }) }),
  );

  app.get(
    '/export',
    { schema: { tags: ['account'], summary: 'Everything held about you, as a ZIP of JSON and CSV files' } },
    async (req, reply) => {
      const userId = userOf(req).userId;
      const stream = await exportAccount({ deps, userId });
      const date = new Date().toISOString().slice(0, 10);
      reply
        .header('content-type', 'application/zip')
        .header('content-disposition', `attachment; filename="athlete-platform-export-${date}.zip"`)
        .header('cache-control', 'no-store');
      return reply.send(stream);
    },
  );

  app.delete(
    '/',
    {
      schema: {
        tags: ['account'],
        summary: 'Delete your account and every piece of data held about you',
        body: deleteAccountBodySchema,
        response: { 200: okResponseSchema },
      },
    },
    async (req, reply) => {
      await deleteAccount({ deps, principal: userOf(req), password: req.body.password });
      clearSessionCookies(reply, app.config);
      return { ok: true as const };
    },
  );
};

export default me;
