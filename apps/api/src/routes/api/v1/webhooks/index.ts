import { acceptGarminNotification, acceptWhoopWebhook } from '@athlete/services';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** Garmin requires room for 10 MB payloads (100 MB for activity details). */
const GARMIN_BODY_LIMIT_BYTES = 100 * 1_048_576;

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

  app.post(
    '/garmin',
    {
      bodyLimit: GARMIN_BODY_LIMIT_BYTES,
      schema: {
        tags: ['webhooks'],
        summary:
          'Garmin ping/push, deregistration and permission-change notifications (200 now, work queued)',
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
