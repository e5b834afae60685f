import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { refreshAccessToken, startSyncRun } from '@athlete/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers.ts';
import {
  connectThroughConsent,
  pointAtSandbox,
  registerAthlete,
  SANDBOX_CLIENTS,
  type SyncWorld,
  settle,
  startSyncWorld,
  type TestAthlete,
} from './sync-fixtures.ts';

const TOKEN_ENCRYPTION_KEYS = `k1:${randomBytes(32).toString('base64')}`;

describe('sync under load: budgets, 429 storms, concurrent workers and refreshes (services mode)', () => {
  let w: SyncWorld;
  let second: TestApp;
  let athlete: TestAthlete;
  let connectionId: string;

  beforeAll(async () => {
    // A year of history; both apps share the database, the Redis prefix and the token keys.
    w = await startSyncWorld({ app: { overrides: { TOKEN_ENCRYPTION_KEYS } }, sandbox: { days: 365 } });
    second = await buildTestApp({
      overrides: {
        ...SANDBOX_CLIENTS,
        TOKEN_ENCRYPTION_KEYS,
        RUN_WORKER_IN_API: true,
        DATABASE_URL: w.t.config.DATABASE_URL,
        REDIS_PREFIX: w.t.config.REDIS_PREFIX,
      },
    });
    pointAtSandbox(second.app, w.sandboxUrl);
    athlete = await registerAthlete(w.app);
  });
  afterAll(async () => {
    await second?.close();
    await w?.close();
  });

  it('imports a year of WHOOP history within WHOOP’s own rate budget', { timeout: 120_000 }, async () => {
    w.sandbox.sandbox.resetStats();
    expect((await connectThroughConsent(w, athlete, 'whoop', 'year-dave')).statusCode).toBe(302);
    await settle(w, 110_000);
    const stats = w.sandbox.sandbox.stats().whoop;
    expect(stats.rateLimited).toBe(0);
    // 4 collections × ⌈365/25⌉ pages + profile + body measurement, well under 100 per minute.
    expect(stats.requests).toBeGreaterThan(50);
    expect(stats.requests).toBeLessThanOrEqual(100);
    const connection = await w.app.deps.db.prisma.providerConnection.findFirstOrThrow({
      where: { userId: athlete.id },
    });
    connectionId = connection.id;
    const days = await w.app.deps.db.prisma.dailySummary.count({
      where: { athleteId: athlete.id, source: 'whoop' },
    });
    expect(days).toBeGreaterThanOrEqual(360);
    const run = await w.app.deps.db.prisma.syncRun.findFirstOrThrow({
      where: { connectionId, kind: 'backfill' },
    });
    expect(run).toMatchObject({ status: 'succeeded' });
    expect(run.progress).toMatchObject({ phase: 'done' });
  });

  it('rides out a 429 storm honouring Retry-After, without tripping the real limit', {
    timeout: 60_000,
  }, async () => {
    w.sandbox.sandbox.resetStats();
    w.sandbox.sandbox.setFaults('whoop', { rateLimitBurst: 4, retryAfterS: 1 });
    const started = Date.now();
    const run = await startSyncRun({ deps: w.app.deps, connectionId, kind: 'manual' });
    await settle(w);
    const stats = w.sandbox.sandbox.stats().whoop;
    expect(stats.rateLimited).toBe(4);
    expect(stats.requests).toBeLessThanOrEqual(100);
    // Each 429 said "retry after 1 s" and the whole app waited for it.
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_500);
    const done = await w.app.deps.db.prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(done.status).toBe('succeeded');
    const metrics = (await Promise.all([w.app, second.app].map((a) => a.inject({ url: '/metrics' }))))
      .map((r) => r.body)
      .join('\n');
    expect(metrics).toMatch(/ap_provider_ratelimit_remaining\{provider="whoop"\} \d+/);
    expect(metrics).toMatch(/ap_sync_items_total\{provider="whoop",kind="manual"\} \d+/);
    expect(metrics).toMatch(/ap_provider_requests_total\{provider="whoop",status="429"\} 4/);
  });

  it('two workers given two triggers for one connection fetch the data once', {
    timeout: 60_000,
  }, async () => {
    w.sandbox.sandbox.clearFaults();
    w.sandbox.sandbox.setFaults('whoop', { delayMs: 150 });
    w.sandbox.sandbox.resetStats();
    const runs = await Promise.all([
      startSyncRun({ deps: w.app.deps, connectionId, kind: 'manual' }),
      startSyncRun({ deps: second.app.deps, connectionId, kind: 'webhook' }),
    ]);
    await settle(w);
    await second.app.deps.platform.queue.drain(30_000);
    w.sandbox.sandbox.clearFaults();
    const finished = await w.app.deps.db.prisma.syncRun.findMany({
      where: { id: { in: runs.map((r) => r.id) } },
    });
    expect(finished.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    const phases = finished.map((r) => (r.progress as { phase: string }).phase).sort();
    expect(phases).toEqual(['coalesced', 'done']);
    // One incremental sync: cycles, recoveries, sleeps, workouts (the body measurement is cached).
    expect(w.sandbox.sandbox.stats().whoop.requests).toBe(4);
  });

  it('two concurrent token refreshes in two processes make one token exchange', async () => {
    await w.app.deps.db.prisma.providerConnection.update({
      where: { id: connectionId },
      data: { expiresAt: new Date(Date.now() - 1_000) },
    });
    const before = w.tokenCalls.whoop;
    const [a, b] = await Promise.all([
      refreshAccessToken({ deps: w.app.deps, connectionId }),
      refreshAccessToken({ deps: second.app.deps, connectionId }),
    ]);
    expect(w.tokenCalls.whoop - before).toBe(1);
    expect(a).toBe(b);
    // The rotated refresh token was stored: the next refresh works (the old one is dead).
    const stale = await refreshAccessToken({ deps: w.app.deps, connectionId, staleAccessToken: a });
    expect(stale).not.toBe(a);
    expect(w.tokenCalls.whoop - before).toBe(2);
  });

  it('a 401 mid-sync refreshes the token once and carries on', async () => {
    w.sandbox.sandbox.expireTokens('whoop', 'year-dave');
    const before = w.tokenCalls.whoop;
    const run = await startSyncRun({ deps: w.app.deps, connectionId, kind: 'manual' });
    await settle(w);
    const retried = await w.app.deps.db.prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(retried).toMatchObject({ status: 'succeeded', error: null });
    expect(w.tokenCalls.whoop - before).toBe(1);
  });

  it('shows failed jobs to an admin and lets them retry', async () => {
    const admin = await registerAthlete(w.app, 'coach');
    await w.app.deps.db.prisma.user.update({ where: { id: admin.id }, data: { role: 'admin' } });
    w.sandbox.sandbox.setFaults('whoop', { serverErrors: 1_000 });
    const run = await startSyncRun({ deps: w.app.deps, connectionId, kind: 'manual', attempts: 2 });
    await settle(w);
    w.sandbox.sandbox.clearFaults();
    expect((await w.app.deps.db.prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe(
      'failed',
    );
    expect((await w.app.inject({ url: '/api/v1/admin/jobs/failed', headers: athlete.auth })).statusCode).toBe(
      403,
    );
    const failed = await w.app.inject({ url: '/api/v1/admin/jobs/failed', headers: admin.auth });
    expect(failed.statusCode).toBe(200);
    const job = failed.json().jobs.find((j: { data: { runId?: string } }) => j.data.runId === run.id);
    expect(job).toMatchObject({ name: 'sync.run', attemptsMade: 2 });
    // Metrics are per process: whichever of the two workers ran the job counted the failure.
    const scrapes = await Promise.all([w.app, second.app].map((a) => a.inject({ url: '/metrics' })));
    expect(scrapes.map((r) => r.body).join('\n')).toMatch(/ap_sync_failures_total\{provider="whoop"\} [1-9]/);
    const retry = await w.app.inject({
      method: 'POST',
      url: `/api/v1/admin/jobs/${job.id}/retry`,
      headers: admin.auth,
    });
    expect(retry.statusCode).toBe(202);
    await settle(w);
    const retried = await w.app.deps.db.prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(retried).toMatchObject({ status: 'succeeded', error: null });
    const missing = await w.app.inject({
      method: 'POST',
      url: '/api/v1/admin/jobs/nope/retry',
      headers: admin.auth,
    });
    expect(missing.statusCode).toBe(404);
  });
});

describe('sync in embedded mode (PGlite, in-process queue, filesystem objects)', () => {
  let w: SyncWorld;
  beforeAll(async () => {
    w = await startSyncWorld({ app: { mode: 'embedded' }, sandbox: { days: 7 } });
  });
  afterAll(async () => w?.close());

  it('runs the same flow and keeps raw JSON as files at the documented keys', async () => {
    const athlete = await registerAthlete(w.app);
    expect((await connectThroughConsent(w, athlete, 'whoop', 'embedded-erin')).statusCode).toBe(302);
    await settle(w);
    const dir = join(w.t.config.DATA_DIR, 'objects', 'accounts', athlete.id, 'biometric-data', 'whoop');
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) expect(f).toMatch(/^\d{8}_\d{6}_[A-Za-z0-9-]+_[0-9a-f]{9}\.json$/);
    const rows = await w.app.deps.db.prisma.dailySummary.count({
      where: { athleteId: athlete.id, source: 'merged' },
    });
    expect(rows).toBeGreaterThanOrEqual(6);
    // The generated token key lives under DATA_DIR and is reused.
    expect(readdirSync(join(w.t.config.DATA_DIR, 'secrets'))).toContain('token-encryption.key');
  });
});
