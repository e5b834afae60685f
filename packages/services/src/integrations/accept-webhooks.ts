import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '@athlete/config';
import {
  garminNotificationEnvelopeSchema,
  verifyWhoopSignature,
  whoopWebhookEventSchema,
} from '@athlete/providers';
import { requireProviderSettings } from '../connections/provider-config.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { enqueue, JobPriority } from '../jobs/define.ts';
import { garminNotificationJob, whoopEventJob } from '../sync/sync-jobs.ts';

const jobIdPart = (value: string) => value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100);

/**
 * A WHOOP webhook: checks `X-WHOOP-Signature` over timestamp + raw body (constant time, stale
 * timestamps refused), then queues the event for re-fetching. Duplicate deliveries of one
 * trace id collapse while the first is pending; handling is idempotent anyway.
 */
export async function acceptWhoopWebhook({
  deps,
  rawBody,
  signature,
  timestamp,
}: {
  deps: Pick<Deps, 'db' | 'platform' | 'config' | 'log'>;
  rawBody: Buffer;
  signature: string | undefined;
  timestamp: string | undefined;
}): Promise<{ accepted: boolean; reason?: string }> {
  const settings = requireProviderSettings(deps.config, 'whoop');
  const verdict = verifyWhoopSignature({ rawBody, signature, timestamp, secret: settings.clientSecret });
  if (!verdict.ok) {
    const why = {
      missing: 'X-WHOOP-Signature and X-WHOOP-Signature-Timestamp are required',
      bad_timestamp: 'X-WHOOP-Signature-Timestamp must be epoch milliseconds',
      stale: 'X-WHOOP-Signature-Timestamp is too far from now (replay refused)',
      mismatch: 'X-WHOOP-Signature does not match the body',
    }[verdict.reason];
    throw new AppError('UNAUTHENTICATED', `Webhook refused: ${why}`, { reason: verdict.reason });
  }
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new AppError('VALIDATION_ERROR', 'body: must be JSON', [
      { field: 'body', message: 'must be JSON' },
    ]);
  }
  const parsed = whoopWebhookEventSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      field: `body.${i.path.join('.')}`,
      message: i.message,
    }));
    throw new AppError('VALIDATION_ERROR', issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);
  }
  const event = parsed.data;
  const connection = await deps.db.prisma.providerConnection.findFirst({
    where: { provider: 'whoop', providerUserId: String(event.user_id), status: { in: ['active', 'error'] } },
    select: { id: true },
  });
  if (!connection) {
    // Answer 2xx anyway: WHOOP would retry an error for an hour about a user we do not know.
    deps.log.info(
      { whoopUserId: event.user_id, type: event.type },
      'whoop webhook for an unknown user ignored',
    );
    return { accepted: false, reason: 'unknown user' };
  }
  await enqueue(
    deps,
    whoopEventJob,
    { connectionId: connection.id, type: event.type, id: event.id, traceId: event.trace_id },
    { priority: JobPriority.webhook, jobId: `whoop-${jobIdPart(event.trace_id)}` },
  );
  return { accepted: true };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The secret in our Garmin notification URL. Garmin signs nothing and its `garmin-client-id`
 * header is public (it is in every connect redirect), so the URL registered in Garmin's portal
 * carries a secret: GARMIN_WEBHOOK_TOKEN, or one derived from the client secret (stable, never
 * shown to users). Null while Garmin is not configured.
 */
export function garminWebhookToken(
  config: Pick<Config, 'GARMIN_WEBHOOK_TOKEN' | 'GARMIN_CLIENT_SECRET'>,
): string | null {
  if (config.GARMIN_WEBHOOK_TOKEN) return config.GARMIN_WEBHOOK_TOKEN;
  if (!config.GARMIN_CLIENT_SECRET) return null;
  return createHmac('sha256', config.GARMIN_CLIENT_SECRET)
    .update('athlete-platform garmin webhook')
    .digest('hex')
    .slice(0, 40);
}

/** The path to register with Garmin for ping/push notifications (under our public URL). */
export function garminWebhookPath(
  config: Pick<Config, 'GARMIN_WEBHOOK_TOKEN' | 'GARMIN_CLIENT_SECRET'>,
): string {
  return `/api/v1/webhooks/garmin/${garminWebhookToken(config) ?? 'not-configured'}`;
}

/** Whether a notification URL's token is ours (constant time); checked before the body is read. */
export function isGarminWebhookToken(
  config: Pick<Config, 'GARMIN_WEBHOOK_TOKEN' | 'GARMIN_CLIENT_SECRET'>,
  presented: string,
): boolean {
  const token = garminWebhookToken(config);
  return token !== null && sameSecret(presented, token);
}

/**
 * A Garmin ping/push/deregistration/permissions POST whose URL token was already checked: we
 * also check the `garmin-client-id` header, split the body per Garmin user, and queue one job
 * per connection; the caller answers 200 at once (Garmin times out after 30 s and wants
 * processing async). Pushed data is confirmed with Garmin by the job, never stored as sent.
 */
export async function acceptGarminNotification({
  deps,
  body,
  clientId,
}: {
  deps: Pick<Deps, 'db' | 'platform' | 'config' | 'log'>;
  body: unknown;
  clientId: string | undefined;
}): Promise<{ queued: number; unknownUsers: number }> {
  const settings = requireProviderSettings(deps.config, 'garmin');
  if (clientId === undefined || !sameSecret(clientId, settings.clientId)) {
    throw new AppError('UNAUTHENTICATED', 'Notification refused: missing or wrong garmin-client-id header');
  }
  const envelope = garminNotificationEnvelopeSchema.safeParse(body);
  if (!envelope.success) {
    throw new AppError(
      'VALIDATION_ERROR',
      'body: must be an object of summary type → array of notifications',
      [{ field: 'body', message: 'must be an object whose values are arrays' }],
    );
  }
  const perUser = new Map<string, Record<string, unknown[]>>();
  for (const [key, items] of Object.entries(envelope.data)) {
    for (const item of items) {
      const userId = (item as { userId?: unknown } | null)?.userId;
      if (typeof userId !== 'string') continue;
      const share = perUser.get(userId) ?? {};
      share[key] = [...(share[key] ?? []), item];
      perUser.set(userId, share);
    }
  }
  if (perUser.size === 0) return { queued: 0, unknownUsers: 0 };
  const receivedAt = Date.now();
  const connections = await deps.db.prisma.providerConnection.findMany({
    where: { provider: 'garmin', providerUserId: { in: [...perUser.keys()] } },
    select: { id: true, providerUserId: true },
  });
  let queued = 0;
  for (const connection of connections) {
    const share = perUser.get(connection.providerUserId ?? '');
    if (!share) continue;
    await enqueue(
      deps,
      garminNotificationJob,
      { connectionId: connection.id, body: share, receivedAt },
      { priority: JobPriority.webhook },
    );
    queued++;
  }
  const unknownUsers = perUser.size - connections.length;
  if (unknownUsers > 0) deps.log.info({ unknownUsers }, 'garmin notification for unknown users ignored');
  return { queued, unknownUsers };
}
