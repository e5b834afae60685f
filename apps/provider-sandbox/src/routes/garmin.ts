import { randomBytes } from 'node:crypto';
import {
  encodeFitActivity,
  GARMIN_ACTIVITY_BACKFILL_TYPES,
  GARMIN_HEALTH_BACKFILL_TYPES,
  type GarminBackfillType,
  garminBackfillMaxDays,
  isGarminSummaryType,
} from '@athlete/providers';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SandboxContext } from '../context.ts';
import { activitySamples } from '../data/garmin-data.ts';
import { deliverBackfill, postGarminNotification, summariesUploadedIn } from '../garmin-notify.ts';
import { apiGuard, requireGrant } from './api-guard.ts';
import { registerOAuthRoutes } from './oauth.ts';

const garminError = (_code: string, message: string) => ({ errorMessage: message });
const GRANTED_PERMISSIONS = ['ACTIVITY_EXPORT', 'HEALTH_EXPORT'];
const BACKFILL_TYPES: readonly string[] = [
  ...GARMIN_HEALTH_BACKFILL_TYPES,
  ...GARMIN_ACTIVITY_BACKFILL_TYPES,
];

const epochSeconds = (name: string) =>
  z.coerce
    .number({ error: `${name} is required` })
    .int(`${name} must be whole seconds`)
    .refine((v) => v < 10_000_000_000, `${name} appears to be in milliseconds; use seconds`);

const pullQuery = z.object({
  uploadStartTimeInSeconds: epochSeconds('uploadStartTimeInSeconds'),
  uploadEndTimeInSeconds: epochSeconds('uploadEndTimeInSeconds'),
});

const backfillQuery = z.object({
  summaryStartTimeInSeconds: epochSeconds('summaryStartTimeInSeconds'),
  summaryEndTimeInSeconds: epochSeconds('summaryEndTimeInSeconds'),
});

function badRequest(reply: FastifyReply, error: z.ZodError) {
  return reply.code(400).send({ errorMessage: error.issues.map((i) => i.message).join('; ') });
}

/**
 * Garmin look-alike: consent at `{prefix}/oauth2Confirm`, token at
 * `{prefix}/di-oauth2-service/oauth/token`, API at `{prefix}/wellness-api/rest`.
 */
export function registerGarminRoutes(app: FastifyInstance, context: SandboxContext): void {
  const { garminPrefix: prefix, garminClient: client } = context.options;

  registerOAuthRoutes(app, context, {
    provider: 'garmin',
    providerName: 'Garmin Connect',
    client,
    authorizePath: `${prefix}/oauth2Confirm`,
    tokenPath: `${prefix}/di-oauth2-service/oauth/token`,
    accessTtlS: context.options.garminAccessTokenTtlS,
    pkce: true,
    minStateLength: 0,
    defaultScope: 'PARTNER_WRITE PARTNER_READ CONNECT_READ CONNECT_WRITE',
    tokenResponse: (issued) => ({
      access_token: issued.accessToken,
      token_type: 'bearer',
      refresh_token: issued.refreshToken,
      expires_in: issued.expiresInS,
      refresh_token_expires_in: 7_776_000,
      scope: issued.grant.scope,
      jti: randomBytes(16).toString('hex'),
    }),
  });

  app.register(
    async (api) => {
      api.addHook(
        'onRequest',
        apiGuard(context, 'garmin', garminError, {
          pullTokenLogin: (request) => {
            const token = (request.query as Record<string, string | undefined>).token;
            return token === undefined ? undefined : context.pullTokens.get(token);
          },
        }),
      );
      const login = (request: FastifyRequest) => requireGrant(request).login;

      api.get('/user/id', async (request) => ({ userId: context.user(login(request)).garminUserId }));
      api.get('/user/permissions', async () => GRANTED_PERMISSIONS);

      api.delete('/user/registration', async (request, reply) => {
        const user = context.user(login(request));
        context.tokens.revokeUser('garmin', user.login);
        const url = context.options.garminNotificationUrl;
        if (url !== undefined) {
          context.schedule(context.options.backfillDelayMs, () =>
            postGarminNotification(context, url, { deregistrations: [{ userId: user.garminUserId }] }),
          );
        }
        return reply.code(204).send();
      });

      api.get('/activityFile', async (request, reply) => {
        const id = (request.query as Record<string, string | undefined>).id;
        if (id === undefined) return reply.code(400).send({ errorMessage: 'id is required' });
        const fileKey = `${login(request)}|${id}`;
        if (context.downloadedFiles.has(fileKey)) {
          return reply.code(410).send({ errorMessage: 'activity file was already downloaded' });
        }
        const activity = context
          .garminDays(login(request))
          .map((day) => day.activity)
          .find((a) => a !== null && String(a.activityId) === id);
        if (activity === undefined || activity === null)
          return reply.code(404).send({ errorMessage: 'no such file' });
        context.downloadedFiles.add(fileKey);
        const sport = /BIK|CYCL/.test(activity.activityType)
          ? 'cycling'
          : /SWIM/.test(activity.activityType)
            ? 'swimming'
            : /WALK/.test(activity.activityType)
              ? 'walking'
              : 'running';
        const bytes = encodeFitActivity({
          sport,
          samples: activitySamples(activity),
          calories: activity.activeKilocalories,
        });
        return reply
          .type('application/octet-stream')
          .header('content-disposition', `attachment; filename="${id}.fit"`)
          .send(Buffer.from(bytes));
      });

      api.get('/backfill/:type', async (request, reply) => {
        const { type } = request.params as { type: string };
        if (!BACKFILL_TYPES.includes(type)) {
          return reply.code(400).send({ errorMessage: `unknown backfill type ${type}` });
        }
        const parsed = backfillQuery.safeParse(request.query);
        if (!parsed.success) return badRequest(reply, parsed.error);
        const { summaryStartTimeInSeconds: startS, summaryEndTimeInSeconds: endS } = parsed.data;
        const maxDays = garminBackfillMaxDays(type as GarminBackfillType);
        if (endS <= startS)
          return reply.code(400).send({ errorMessage: 'summaryEndTimeInSeconds must be after the start' });
        if (endS - startS > maxDays * 86_400) {
          return reply
            .code(400)
            .send({ errorMessage: `range exceeds the maximum of ${maxDays} days for ${type}` });
        }
        const user = login(request);
        const key = `${user}|${type}|${startS}|${endS}`;
        if (context.backfills.has(key)) {
          return reply.code(409).send({ errorMessage: 'duplicate backfill request for this time range' });
        }
        context.backfills.add(key);
        const url = context.options.garminNotificationUrl;
        if (url !== undefined) {
          context.schedule(context.options.backfillDelayMs, () =>
            deliverBackfill(context, url, user, type, startS, endS),
          );
        }
        return reply.code(202).send();
      });

      api.get('/:summaryType', async (request, reply) => {
        const { summaryType } = request.params as { summaryType: string };
        if (!isGarminSummaryType(summaryType) || summaryType === 'activityFiles') {
          return reply.code(404).send({ errorMessage: `unknown summary type ${summaryType}` });
        }
        const parsed = pullQuery.safeParse(request.query);
        if (!parsed.success) return badRequest(reply, parsed.error);
        const { uploadStartTimeInSeconds: startS, uploadEndTimeInSeconds: endS } = parsed.data;
        if (endS <= startS || endS - startS > 86_400) {
          return reply
            .code(400)
            .send({ errorMessage: 'upload range must be positive and at most 86400 seconds' });
        }
        return summariesUploadedIn(context, login(request), summaryType, startS, endS);
      });
    },
    { prefix: `${prefix}/wellness-api/rest` },
  );
}
