import {
  AppError,
  acceptGarminNotification,
  acceptWhoopWebhook,
  garminWebhookPath,
  isGarminWebhookToken,
} from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * Provider webhooks. Bodies are kept as raw bytes in this scope: WHOOP signs the exact bytes,
 * so they must not be re-serialised before the signature check. Both answer at once and do
 * the work on the queue.
 */
const webhooks: FastifyPluginAsyncZod = async (app) => {
  const { deps } = app;
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.post(
    '/whoop',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'WHOOP webhook (X-WHOOP-Signature over timestamp + raw body); handled by re-fetching',
        response: { 200: z.object({ accepted: z.boolean(), reason: z.string().optional() }) },
      },
    },
    async (req) =>
      acceptWhoopWebhook({
        deps,
        rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        signature: header(req.headers['x-whoop-signature']),
        timestamp: header(req.headers['x-whoop-signature-timestamp']),
      }),
  );

  if (app.config.GARMIN_CLIENT_SECRET) {
    // The operator registers this URL in Garmin's portal (docs/OPERATIONS.md).
    app.log.info({ path: garminWebhookPath(app.config) }, 'garmin: notification URL to register');
  }

  app.post(
    '/garmin/:token',
    {
      bodyLimit: app.config.GARMIN_WEBHOOK_BODY_LIMIT_BYTES,
      // Before the body is read: a wrong URL costs no buffering, an oversized one is refused unread.
      onRequest: async (req) => {
        const { token } = req.params as { token: string };
        if (!isGarminWebhookToken(app.config, token))
          throw new AppError('NOT_FOUND', 'No such notification endpoint');
      },
      schema: {
        tags: ['webhooks'],
        summary:
          'Garmin ping/push, deregistration and permission-change notifications (200 now, work queued); the path carries our secret token',
        params: z.object({ token: z.string() }),
        response: { 200: z.object({ queued: z.number().int(), unknownUsers: z.number().int() }) },
      },
    },
    async (req) => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');
      } catch {
        body = undefined;
      }
      return acceptGarminNotification({ deps, body, clientId: header(req.headers['garmin-client-id']) });
    },
  );
};

export default webhooks;
