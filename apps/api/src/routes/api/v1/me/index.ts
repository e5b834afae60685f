import {
  accountExportIdParamsSchema,
  accountExportResponseSchema,
  backgroundWorkResponseSchema,
  changeEmailBodySchema,
  changeEmailResponseSchema,
  changePasswordBodySchema,
  deleteAccountBodySchema,
  meResponseSchema,
  okResponseSchema,
  preferencesResponseSchema,
  preferencesUpdateBodySchema,
  profileResponseSchema,
  profileUpdateBodySchema,
  updateAccountBodySchema,
} from '@athlete/contracts';
import {
  changePassword,
  deleteAccount,
  exportAccount,
  getAccountExport,
  getMe,
  getProfile,
  listBackgroundWork,
  openAccountExport,
  requestEmailChange,
  startAccountExport,
  updateAccountName,
  updatePreferences,
  updateProfile,
} from '@athlete/services';
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

  app.patch(
    '/',
    {
      schema: {
        tags: ['account'],
        summary: 'Change your display name',
        body: updateAccountBodySchema,
        response: { 200: meResponseSchema },
      },
    },
    async (req) => {
      const { userId } = userOf(req);
      await updateAccountName({ deps, userId, name: req.body.name });
      return { user: await getMe({ deps, userId }) };
    },
  );

  app.post(
    '/password',
    {
      schema: {
        tags: ['account'],
        summary: 'Change your password (signs out your other sessions)',
        body: changePasswordBodySchema,
        response: { 200: okResponseSchema },
      },
    },
    async (req) => {
      const p = userOf(req);
      await changePassword({ deps, userId: p.userId, sessionId: p.sessionId, ...req.body });
      return { ok: true as const };
    },
  );

  app.post(
    '/email',
    {
      schema: {
        tags: ['account'],
        summary: 'Ask to change your email: a confirmation link goes to the new address',
        body: changeEmailBodySchema,
        response: { 202: changeEmailResponseSchema },
      },
    },
    async (req, reply) => {
      const { userId } = userOf(req);
      return reply.code(202).send(await requestEmailChange({ deps, userId, ...req.body }));
    },
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

  app.put(
    '/preferences',
    {
      schema: {
        tags: ['account'],
        summary: 'Change units (metric/imperial) and time zone (IANA name; null = the browser’s)',
        body: preferencesUpdateBodySchema,
        response: { 200: preferencesResponseSchema },
      },
    },
    async (req) => ({
      preferences: await updatePreferences({ deps, userId: userOf(req).userId, input: req.body }),
    }),
  );

  app.get(
    '/export',
    {
      preHandler: app.hourlyQuota('export', 'EXPORTS_PER_HOUR', 'account exports'),
      schema: { tags: ['account'], summary: 'Everything held about you, as a ZIP of JSON and CSV files' },
    },
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

  app.post(
    '/exports',
    {
      preHandler: app.hourlyQuota('export', 'EXPORTS_PER_HOUR', 'account exports'),
      schema: {
        tags: ['account'],
        summary: 'Start building your export ZIP in the background (progress at GET /me/exports/:id)',
        response: { 202: accountExportResponseSchema },
      },
    },
    async (req, reply) =>
      reply.code(202).send({ export: await startAccountExport({ deps, userId: userOf(req).userId }) }),
  );

  app.get(
    '/exports/:id',
    {
      schema: {
        tags: ['account'],
        summary: 'How far your export is: done of total parts',
        params: accountExportIdParamsSchema,
        response: { 200: accountExportResponseSchema },
      },
    },
    async (req) => ({
      export: await getAccountExport({ deps, userId: userOf(req).userId, exportId: req.params.id }),
    }),
  );

  app.get(
    '/exports/:id/download',
    {
      schema: {
        tags: ['account'],
        summary: 'The finished export ZIP (409 while it is still being built)',
        params: accountExportIdParamsSchema,
      },
    },
    async (req, reply) => {
      const { zip, createdAt } = await openAccountExport({
        deps,
        userId: userOf(req).userId,
        exportId: req.params.id,
      });
      reply
        .header('content-type', 'application/zip')
        .header(
          'content-disposition',
          `attachment; filename="athlete-platform-export-${createdAt.slice(0, 10)}.zip"`,
        )
        .header('cache-control', 'no-store');
      return reply.send(zip);
    },
  );

  app.get(
    '/background-work',
    {
      schema: {
        tags: ['account'],
        summary: 'Every background job you started (exports, bulk imports, syncs, backfills), newest first',
        response: { 200: backgroundWorkResponseSchema },
      },
    },
    async (req) => ({ work: await listBackgroundWork({ deps, userId: userOf(req).userId }) }),
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
