import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createUser, type TestUser } from './authz/world.ts';
import { buildTestApp, type TestApp } from './helpers.ts';

describe('"sync now" quota follows SYNC_NOW_PER_HOUR', () => {
  let t: TestApp;
  let athlete: TestUser;

  beforeAll(async () => {
    // No worker in the API: each run stays queued until the test marks it finished.
    t = await buildTestApp({ overrides: { SYNC_NOW_PER_HOUR: 3, RUN_WORKER_IN_API: false } });
    athlete = await createUser(t.app, 'athlete');
    for (const provider of ['whoop', 'garmin'] as const) {
      await t.app.deps.db.prisma.providerConnection.create({
        data: { userId: athlete.id, provider, scopes: [] },
      });
    }
  });
  afterAll(async () => t?.close());

  const syncNow = (provider: 'whoop' | 'garmin') =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/integrations/${provider}/sync`,
      headers: bearer(athlete.token),
    });
  const finishRuns = () =>
    t.app.deps.db.prisma.syncRun.updateMany({
      where: { status: 'queued' },
      data: { status: 'succeeded', finishedAt: new Date() },
    });

  it('allows the configured number per user and hour across providers, then answers 429', async () => {
    const answers: number[] = [];
    for (const provider of ['whoop', 'garmin', 'whoop', 'garmin'] as const) {
      const res = await syncNow(provider);
      answers.push(res.statusCode);
      if (res.statusCode === 429) {
        expect(res.json().error.code).toBe('RATE_LIMITED');
        expect(res.json().error.message).toContain('At most 3 manual syncs per hour');
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
      await finishRuns();
    }
    expect(answers).toEqual([202, 202, 202, 429]);
    expect(await t.app.deps.db.prisma.syncRun.count({ where: { kind: 'manual' } })).toBe(3);
  });
});
