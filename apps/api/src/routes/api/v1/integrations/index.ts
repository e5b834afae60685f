import {
  integrationsResponseSchema,
  oauthCallbackQuerySchema,
  providerParamsSchema,
  syncRequestResponseSchema,
} from '@athlete/contracts';
import {
  AppError,
  completeConnect,
  disconnectProvider,
  listIntegrations,
  publicBaseUrl,
  registerSyncMetrics,
  requestSync,
  startConnect,
} from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { userOf } from '../../../../plugins/app/auth.ts';

const integrations: FastifyPluginAsyncZod = async (app) => {
  const { deps } = app;
  // Declared at boot so dashboards see the sync series before the first sync.
  registerSyncMetrics(deps);
  /** Where the browser lands after the provider's consent: the SPA's integrations page. */
  const settingsPage = (params: Record<string, string>) => {
    const base = app.config.PUBLIC_URL ? publicBaseUrl(app.config) : '';
    return `${base}/settings/integrations?${new URLSearchParams(params)}`;
  };
  /**
   * The origin the browser used (Host, or X-Forwarded-* from a trusted proxy), for the OAuth
   * callback when PUBLIC_URL is not configured: the user returns to the host they came from.
   */
  const browserOrigin = (req: { protocol: string; host: string }) =>
    app.config.PUBLIC_URL ? undefined : `${req.protocol}://${req.host}`;

  app.get(
    '/',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['integrations'],
        summary: 'WHOOP and Garmin: connection status, last sync, current run progress, last error',
        response: { 200: integrationsResponseSchema },
      },
    },
    async (req) => ({ integrations: await listIntegrations({ deps, userId: userOf(req).userId }) }),
  );

  app.get(
    '/:provider/connect',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['integrations'],
        summary: "Redirect (302) to the provider's consent page (state; PKCE for Garmin)",
        params: providerParamsSchema,
      },
    },
    async (req, reply) => {
      const { url } = await startConnect({
        deps,
        userId: userOf(req).userId,
        provider: req.params.provider,
        origin: browserOrigin(req),
      });
      return reply.redirect(url, 302);
    },
  );

  app.get(
    '/:provider/callback',
    {
      schema: {
        tags: ['integrations'],
        summary: 'OAuth redirect target: stores the tokens (encrypted), queues the backfill, back to the app',
        params: providerParamsSchema,
        querystring: oauthCallbackQuerySchema,
      },
    },
    async (req, reply) => {
      const { provider } = req.params;
      const { code, state, error } = req.query;
      if (error !== undefined) {
        // The user said no (or the provider failed): nothing to store, tell the settings page.
        if (state) await deps.db.prisma.oAuthState.deleteMany({ where: { state } });
        return reply.redirect(settingsPage({ provider, error }), 302);
      }
      if (!state)
        throw new AppError('VALIDATION_ERROR', 'query.state: is required', [
          { field: 'query.state', message: 'is required' },
        ]);
      if (!code)
        throw new AppError('VALIDATION_ERROR', 'query.code: is required', [
          { field: 'query.code', message: 'is required' },
        ]);
      try {
        await completeConnect({ deps, provider, state, code, origin: browserOrigin(req) });
      } catch (err) {
        if (err instanceof AppError && err.code === 'PROVIDER_ERROR') {
          req.log.warn({ provider, err: err.message }, 'oauth code exchange failed');
          return reply.redirect(settingsPage({ provider, error: 'exchange_failed' }), 302);
        }
        throw err;
      }
      return reply.redirect(settingsPage({ connected: provider }), 302);
    },
  );

  app.post(
    '/:provider/sync',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['integrations'],
        summary: 'Sync now: queue a manual sync at user priority (limited per hour)',
        params: providerParamsSchema,
        response: { 202: syncRequestResponseSchema },
      },
    },
    async (req, reply) =>
      reply.code(202).send({
        run: await requestSync({ deps, userId: userOf(req).userId, provider: req.params.provider }),
      }),
  );

  app.delete(
    '/:provider',
    {
      preHandler: app.requireUser,
      schema: {
        tags: ['integrations'],
        summary: 'Disconnect: revoke access at the provider and erase the tokens (imported data stays)',
        params: providerParamsSchema,
        response: { 204: z.null().describe('disconnected') },
      },
    },
    async (req, reply) => {
      await disconnectProvider({ deps, userId: userOf(req).userId, provider: req.params.provider });
      return reply.code(204).send(null);
    },
  );
};

export default integrations;
