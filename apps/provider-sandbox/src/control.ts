import { randomUUID } from 'node:crypto';
import { type GarminSummaryType, signWhoopPayload, type WhoopWebhookEventType } from '@athlete/providers';
import type { SandboxContext } from './context.ts';
import type { GarminDay } from './data/garmin-data.ts';
import type { SandboxUser } from './data/users.ts';
import type { WhoopDataset } from './data/whoop-data.ts';
import {
  type DeliveryResult,
  garminActivityFilesBody,
  garminPingBody,
  garminPushBody,
  postGarminNotification,
} from './garmin-notify.ts';
import type { IssuedTokens, SandboxProvider } from './state/tokens.ts';
import type { FaultSettings, ProviderStats } from './state/traffic.ts';

export interface WhoopWebhookInput {
  type: WhoopWebhookEventType;
  /** UUID for sleep/workout (v2), cycle id or sleep UUID for recovery. */
  id: string | number;
  /** Sandbox login; its WHOOP user id goes into `user_id`. */
  user: string;
  traceId?: string;
}

export interface WhoopWebhookOptions {
  /** Default: the sandbox clock. */
  timestampMs?: number;
  /** Default: the sandbox WHOOP client secret. */
  secret?: string;
}

export interface GarminNotifyInput {
  user: string;
  summaryType: GarminSummaryType;
  uploadStartTimeInSeconds: number;
  uploadEndTimeInSeconds: number;
}

/** The sandbox's programmatic controls, reachable as `app.sandbox`. */
export interface SandboxControl {
  readonly days: number;
  user(login: string): SandboxUser;
  /** Issues tokens without the consent round-trip (tests that do not exercise OAuth). */
  issueTokens(provider: SandboxProvider, login: string, scope?: string): IssuedTokens;
  whoopData(login: string): WhoopDataset;
  /** Changes what the user's WHOOP body measurement says (null: back to the seeded values). */
  setWhoopBody(login: string, body: { max_heart_rate?: number; weight_kilogram?: number } | null): void;
  garminDays(login: string): GarminDay[];
  setFaults(provider: SandboxProvider, faults: FaultSettings): void;
  clearFaults(): void;
  stats(): Record<SandboxProvider, ProviderStats>;
  resetStats(): void;
  expireTokens(provider: SandboxProvider, login?: string): number;
  revokeTokens(provider: SandboxProvider, login?: string): number;
  /** POSTs a signed WHOOP webhook: `X-WHOOP-Signature` = base64 HMAC-SHA256(secret, timestamp + body). */
  sendWhoopWebhook(
    url: string,
    event: WhoopWebhookInput,
    options?: WhoopWebhookOptions,
  ): Promise<DeliveryResult>;
  sendGarminPing(url: string, input: GarminNotifyInput): Promise<DeliveryResult>;
  sendGarminPush(url: string, input: GarminNotifyInput): Promise<DeliveryResult>;
  /** Pings `activityFiles` for the user's activities started in [start, end) (epoch seconds). */
  sendGarminActivityFiles(
    url: string,
    input: { user: string; startS: number; endS: number },
  ): Promise<DeliveryResult>;
  sendGarminDeregistration(url: string, user: string): Promise<DeliveryResult>;
  sendGarminPermissionsChange(url: string, user: string, permissions: string[]): Promise<DeliveryResult>;
  /** Resolves once every scheduled delivery (backfill, deregistration) has been sent. */
  flushDeliveries(): Promise<void>;
}

const ALL_SCOPES: Record<SandboxProvider, string> = {
  whoop: 'offline read:profile read:body_measurement read:cycles read:recovery read:sleep read:workout',
  garmin: 'PARTNER_WRITE PARTNER_READ CONNECT_READ CONNECT_WRITE',
};

export function createSandboxControl(context: SandboxContext): SandboxControl {
  const garminUserId = (login: string) => context.user(login).garminUserId;
  return {
    days: context.options.days,
    user: (login) => context.user(login),
    issueTokens(provider, login, scope = ALL_SCOPES[provider]) {
      context.user(login);
      const client = provider === 'whoop' ? context.options.whoopClient : context.options.garminClient;
      const ttl =
        provider === 'whoop' ? context.options.whoopAccessTokenTtlS : context.options.garminAccessTokenTtlS;
      return context.tokens.issue({ provider, login, clientId: client.clientId, scope }, ttl);
    },
    whoopData: (login) => context.whoopData(login),
    setWhoopBody(login, body) {
      if (body === null) context.whoopBodyChanges.delete(login);
      else context.whoopBodyChanges.set(login, body);
    },
    garminDays: (login) => context.garminDays(login),
    setFaults: (provider, faults) => context.traffic.setFaults(provider, faults),
    clearFaults: () => context.traffic.clearFaults(),
    stats: () => context.traffic.stats(),
    resetStats: () => context.traffic.resetStats(),
    expireTokens: (provider, login) => context.tokens.expireAccess(provider, login),
    revokeTokens: (provider, login) => context.tokens.revokeUser(provider, login),

    async sendWhoopWebhook(url, event, options = {}) {
      const rawBody = JSON.stringify({
        user_id: context.user(event.user).whoopUserId,
        id: event.id,
        type: event.type,
        trace_id: event.traceId ?? randomUUID(),
      });
      const timestamp = String(options.timestampMs ?? context.now());
      const signature = signWhoopPayload({
        rawBody,
        timestamp,
        secret: options.secret ?? context.options.whoopClient.clientSecret,
      });
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-whoop-signature': signature,
          'x-whoop-signature-timestamp': timestamp,
        },
        body: rawBody,
        signal: AbortSignal.timeout(10_000),
      });
      return { status: response.status, body: await response.text() };
    },
    sendGarminPing: (url, input) =>
      postGarminNotification(
        context,
        url,
        garminPingBody(
          context,
          input.user,
          input.summaryType,
          input.uploadStartTimeInSeconds,
          input.uploadEndTimeInSeconds,
        ),
      ),
    sendGarminPush: (url, input) =>
      postGarminNotification(
        context,
        url,
        garminPushBody(
          context,
          input.user,
          input.summaryType,
          input.uploadStartTimeInSeconds,
          input.uploadEndTimeInSeconds,
        ),
      ),
    sendGarminActivityFiles(url, { user, startS, endS }) {
      const activities = context
        .garminDays(user)
        .map((day) => day.activity)
        .filter((a) => a !== null && a.startTimeInSeconds >= startS && a.startTimeInSeconds < endS)
        .map((a) => a as unknown as Record<string, unknown> & { summaryId: string });
      return postGarminNotification(context, url, garminActivityFilesBody(context, user, activities));
    },
    sendGarminDeregistration: (url, user) =>
      postGarminNotification(context, url, { deregistrations: [{ userId: garminUserId(user) }] }),
    sendGarminPermissionsChange: (url, user, permissions) =>
      postGarminNotification(context, url, {
        userPermissionsChange: [
          {
            userId: garminUserId(user),
            summaryId: `perm-${Math.floor(context.now() / 1000)}`,
            permissions,
            changeTimeInSeconds: Math.floor(context.now() / 1000),
          },
        ],
      }),
    flushDeliveries: () => context.flushDeliveries(),
  };
}
