import { randomBytes } from 'node:crypto';
import { buildSandbox, type SandboxOptions } from '@athlete/provider-sandbox';
import { garminWebhookPath } from '@athlete/services';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { App } from '../src/app.ts';
import { buildTestApp, type TestApp, type TestAppOptions } from './helpers.ts';

/** Shared by the sync/integration tests: the app listening, a sandbox pointed at it and back. */
export interface SyncWorld {
  t: TestApp;
  app: App;
  url: string;
  sandbox: FastifyInstance;
  sandboxUrl: string;
  /** OAuth token endpoint calls seen by the sandbox, per provider. */
  tokenCalls: { whoop: number; garmin: number };
  close(): Promise<void>;
}

export const SANDBOX_CLIENTS = {
  WHOOP_CLIENT_ID: 'sandbox-whoop-client',
  WHOOP_CLIENT_SECRET: 'sandbox-whoop-secret',
  GARMIN_CLIENT_ID: 'sandbox-garmin-client',
  GARMIN_CLIENT_SECRET: 'sandbox-garmin-secret',
};

/** Points an app's provider URLs at a listening sandbox (as the sandbox plugin does in the demo). */
export function pointAtSandbox(app: App, sandboxUrl: string) {
  Object.assign(app.config, {
    WHOOP_API_URL: `${sandboxUrl}/whoop/developer`,
    WHOOP_OAUTH_URL: `${sandboxUrl}/whoop/oauth/oauth2`,
    GARMIN_API_URL: `${sandboxUrl}/garmin`,
    GARMIN_OAUTH_URL: `${sandboxUrl}/garmin/oauth2Confirm`,
    GARMIN_TOKEN_URL: `${sandboxUrl}/garmin/di-oauth2-service/oauth/token`,
  });
}

export async function startSyncWorld(
  opts: { app?: TestAppOptions; sandbox?: SandboxOptions } = {},
): Promise<SyncWorld> {
  const t = await buildTestApp({
    ...opts.app,
    overrides: { RUN_WORKER_IN_API: true, ...SANDBOX_CLIENTS, ...opts.app?.overrides },
  });
  const url = await t.app.listen({ host: '127.0.0.1', port: 0 });
  const sandbox = await buildSandbox({
    backfillDelayMs: 5,
    garminNotificationUrl: `${url}${garminWebhookPath(t.app.config)}`,
    ...opts.sandbox,
  });
  const tokenCalls = { whoop: 0, garmin: 0 };
  sandbox.addHook('onRequest', async (req) => {
    if (req.method !== 'POST') return;
    if (req.url.startsWith('/whoop/oauth/oauth2/token')) tokenCalls.whoop++;
    if (req.url.startsWith('/garmin/di-oauth2-service/oauth/token')) tokenCalls.garmin++;
  });
  const sandboxUrl = await sandbox.listen({ host: '127.0.0.1', port: 0 });
  pointAtSandbox(t.app, sandboxUrl);
  return {
    t,
    app: t.app,
    url,
    sandbox,
    sandboxUrl,
    tokenCalls,
    async close() {
      await sandbox.close();
      await t.close();
    },
  };
}

export interface TestAthlete {
  id: string;
  token: string;
  auth: { authorization: string };
}

export async function registerAthlete(app: App, role: 'athlete' | 'coach' = 'athlete'): Promise<TestAthlete> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: {
      email: `sync-${randomBytes(5).toString('hex')}@example.test`,
      password: 'a long enough password',
      name: 'Sync Tester',
      role,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json() as { user: { id: string }; token: string };
  return { id: body.user.id, token: body.token, auth: { authorization: `Bearer ${body.token}` } };
}

/**
 * The whole browser round trip: our connect redirect → the sandbox consent page (Allow, as
 * `login`) → the sandbox redirect back → our callback. Returns our callback's response.
 */
export async function connectThroughConsent(
  world: SyncWorld,
  athlete: TestAthlete,
  provider: 'whoop' | 'garmin',
  login: string,
  decision: 'allow' | 'deny' = 'allow',
) {
  const start = await world.app.inject({
    url: `/api/v1/integrations/${provider}/connect`,
    headers: athlete.auth,
  });
  expect(start.statusCode, start.body).toBe(302);
  const consent = new URL(start.headers.location as string);
  const form = new URLSearchParams(consent.searchParams);
  form.set('decision', decision);
  form.set('login', login);
  const answer = await fetch(`${world.sandboxUrl}${consent.pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
    redirect: 'manual',
  });
  expect(answer.status).toBe(302);
  const back = new URL(answer.headers.get('location') as string);
  return world.app.inject({ url: `${back.pathname}${back.search}` });
}

/** Waits for the queue to empty, including Garmin notifications the sandbox is still sending. */
export async function settle(world: SyncWorld, timeoutMs = 60_000) {
  for (let i = 0; i < 3; i++) {
    await world.app.deps.platform.queue.drain(timeoutMs);
    await world.sandbox.sandbox.flushDeliveries();
  }
  await world.app.deps.platform.queue.drain(timeoutMs);
}
