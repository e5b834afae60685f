import { whoopCycleDate } from '@athlete/providers';
import { garminWebhookPath } from '@athlete/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectThroughConsent,
  registerAthlete,
  type SyncWorld,
  settle,
  startSyncWorld,
  type TestAthlete,
} from './sync-fixtures.ts';

const RAW_KEY =
  /^accounts\/[0-9a-f-]{36}\/biometric-data\/(whoop|garmin)\/\d{8}_\d{6}_[A-Za-z0-9-]+_[0-9a-f]{9}\.json$/;

describe('WHOOP and Garmin integrations against the sandbox (services mode, S3)', () => {
  let w: SyncWorld;
  let athlete: TestAthlete;

  beforeAll(async () => {
    w = await startSyncWorld({ app: { s3: true }, sandbox: { days: 14 } });
    athlete = await registerAthlete(w.app);
  });
  afterAll(async () => w?.close());

  it('lists both providers as configured and not connected, to signed-in users only', async () => {
    expect((await w.app.inject({ url: '/api/v1/integrations' })).statusCode).toBe(401);
    const res = await w.app.inject({ url: '/api/v1/integrations', headers: athlete.auth });
    expect(res.statusCode).toBe(200);
    expect(
      res
        .json()
        .integrations.map((i: { provider: string; status: string; configured: boolean }) => [
          i.provider,
          i.status,
          i.configured,
        ]),
    ).toEqual([
      ['whoop', 'not_connected', true],
      ['garmin', 'not_connected', true],
    ]);
  });

  it('connects WHOOP (state), backfills, and the dashboard endpoints return the data', async () => {
    const callback = await connectThroughConsent(w, athlete, 'whoop', 'whoop-alice');
    expect(callback.statusCode, callback.body).toBe(302);
    expect(callback.headers.location).toBe('/settings/integrations?connected=whoop');
    await settle(w);

    const connection = await w.app.deps.db.prisma.providerConnection.findFirstOrThrow({
      where: { userId: athlete.id, provider: 'whoop' },
    });
    expect(connection.status).toBe('active');
    expect(connection.providerUserId).toBe(String(w.sandbox.sandbox.user('whoop-alice').whoopUserId));
    expect(connection.accessTokenEnc).toMatch(/^v1\./);
    expect(connection.refreshTokenEnc).toMatch(/^v1\./);
    expect(connection.tokenKeyId).toBeTruthy();

    const list = await w.app.inject({ url: '/api/v1/integrations', headers: athlete.auth });
    const whoop = list.json().integrations[0];
    expect(whoop.status).toBe('active');
    expect(whoop.lastSyncAt).not.toBeNull();
    expect(whoop.lastRun).toMatchObject({ kind: 'backfill', status: 'succeeded' });
    expect(whoop.lastRun.itemsFetched).toBeGreaterThan(30);
    expect(list.body).not.toContain(connection.accessTokenEnc!);
    expect(list.body).not.toMatch(/token/i);

    const daily = await w.app.inject({ url: `/api/v1/athletes/${athlete.id}/daily`, headers: athlete.auth });
    expect(daily.statusCode).toBe(200);
    const rows = daily.json().daily as Array<{
      source: string;
      recoveryScore: number | null;
      sources: Record<string, string> | null;
    }>;
    const whoopRows = rows.filter((r) => r.source === 'whoop');
    const merged = rows.filter((r) => r.source === 'merged');
    expect(whoopRows.length).toBeGreaterThanOrEqual(12);
    expect(merged.length).toBe(whoopRows.length);
    const scored = merged.find((r) => r.recoveryScore !== null)!;
    expect(scored.sources?.recoveryScore).toBe('whoop');
    // The sleep's respiratory rate and the recovery's skin temperature are daily metrics too.
    const data = w.sandbox.sandbox.whoopData('whoop-alice');
    const recovery = data.recoveries.find((r) => r.score_state === 'SCORED')!;
    const sleep = data.sleeps.find((s) => s.id === recovery.sleep_id)!;
    const date = whoopCycleDate(data.cycles.find((c) => c.id === recovery.cycle_id)!);
    expect(merged.find((r) => (r as { date?: string }).date === date)).toMatchObject({
      respiratoryRate: sleep.score!.respiratory_rate,
      skinTempC: recovery.score!.skin_temp_celsius,
      skinTempDeviationC: null,
      sources: expect.objectContaining({ respiratoryRate: 'whoop', skinTempC: 'whoop' }),
    });

    const sessions = await w.app.inject({
      url: `/api/v1/athletes/${athlete.id}/sessions`,
      headers: athlete.auth,
    });
    const whoopSessions = (sessions.json().sessions as Array<{ source: string }>).filter(
      (s) => s.source === 'whoop',
    );
    const workouts = w.sandbox.sandbox.whoopData('whoop-alice').workouts;
    expect(whoopSessions.length).toBe(workouts.length);
  });

  it('keeps every raw WHOOP response in S3 at the documented keys, indexed by RawObject rows', async () => {
    const rows = await w.app.deps.db.prisma.rawObject.findMany({
      where: { userId: athlete.id, source: 'whoop' },
    });
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const row of rows) {
      expect(row.key).toMatch(RAW_KEY);
      expect(row.key.startsWith(`accounts/${athlete.id}/biometric-data/whoop/`)).toBe(true);
      const object = await w.app.deps.platform.objects.get(row.key);
      expect(object?.length).toBe(row.bytes);
    }
    const cyclePage = rows.find((r) => r.kind === 'cycle-p0')!;
    const body = JSON.parse((await w.app.deps.platform.objects.get(cyclePage.key))!.toString());
    expect(body.records.length).toBeGreaterThan(0);
    expect(body.records[0]).toHaveProperty('score_state');
  });

  it('connects Garmin with PKCE, requests backfill in chunks, and processes the pings', {
    timeout: 120_000,
  }, async () => {
    const callback = await connectThroughConsent(w, athlete, 'garmin', 'garmin-bob');
    expect(callback.statusCode, callback.body).toBe(302);
    expect(callback.headers.location).toBe('/settings/integrations?connected=garmin');
    await settle(w);

    const connection = await w.app.deps.db.prisma.providerConnection.findFirstOrThrow({
      where: { userId: athlete.id, provider: 'garmin' },
    });
    expect(connection.providerUserId).toBe(w.sandbox.sandbox.user('garmin-bob').garminUserId);
    expect(connection.scopes).toContain('HEALTH_EXPORT');
    const stats = w.sandbox.sandbox.stats().garmin.byRoute;
    const backfills = Object.entries(stats).filter(([route]) => route.includes('/backfill/'));
    expect(backfills.length).toBeGreaterThan(0);

    const days = w.sandbox.sandbox.garminDays('garmin-bob');
    const garminRows = await w.app.deps.db.prisma.dailySummary.findMany({
      where: { athleteId: athlete.id, source: 'garmin' },
    });
    expect(garminRows.length).toBeGreaterThanOrEqual(days.length - 2);
    const withSteps = garminRows.find((r) => r.steps !== null)!;
    const merged = await w.app.deps.db.prisma.dailySummary.findUniqueOrThrow({
      where: { athleteId_date_source: { athleteId: athlete.id, date: withSteps.date, source: 'merged' } },
    });
    expect(merged.steps).toBe(withSteps.steps);
    expect((merged.sources as Record<string, string>).steps).toBe('garmin');

    // Stress and body composition are columns too, merged and answered by the daily API.
    // A weigh-in day WHOOP also covers (its sandbox history is shorter than Garmin's, and which
    // days are weigh-ins moves with the date the test runs on).
    const whoopDays = new Set(
      (
        await w.app.deps.db.prisma.dailySummary.findMany({
          where: { athleteId: athlete.id, source: 'whoop', respiratoryRate: { not: null } },
          select: { date: true },
        })
      ).map((r) => r.date.toISOString().slice(0, 10)),
    );
    const weighIn = days.find(
      (d) => d.bodyComp !== null && d.date !== days.at(-1)!.date && whoopDays.has(d.date),
    )!;
    expect(weighIn, 'no weigh-in day that WHOOP covers too').toBeDefined();
    const levels = Object.values(weighIn.stressDetails.timeOffsetStressLevelValues ?? {}).filter(
      (v) => v > 0,
    );
    const dailyRes = await w.app.inject({
      url: `/api/v1/athletes/${athlete.id}/daily?from=${weighIn.date}&to=${weighIn.date}`,
      headers: athlete.auth,
    });
    expect(dailyRes.statusCode).toBe(200);
    const answered = Object.fromEntries(
      (dailyRes.json().daily as Array<{ source: string }>).map((d) => [d.source, d]),
    );
    const expected = {
      stressAvg: Math.round(levels.reduce((a, b) => a + b, 0) / levels.length),
      weightKg: weighIn.bodyComp!.weightInGrams! / 1000,
      bodyFatPct: weighIn.bodyComp!.bodyFatInPercent,
    };
    expect(answered.garmin).toMatchObject(expected);
    // Skin temperature (a deviation from Garmin's own baseline) and the day's mean respiration.
    const breaths = Object.values(weighIn.respiration.timeOffsetEpochToBreaths ?? {});
    expect(answered.garmin).toMatchObject({
      skinTempDeviationC: weighIn.skinTemp.avgDeviationCelsius,
      skinTempC: null,
      respiratoryRate: Math.round((breaths.reduce((a, b) => a + b, 0) / breaths.length) * 100) / 100,
    });
    // The athlete has WHOOP too, first in the default precedence: its sleep respiration wins.
    expect((answered.merged as { sources?: unknown }).sources).toMatchObject({
      skinTempDeviationC: 'garmin',
      respiratoryRate: 'whoop',
    });
    expect(answered.merged).toMatchObject({
      ...expected,
      sources: expect.objectContaining({ stressAvg: 'garmin', weightKg: 'garmin', bodyFatPct: 'garmin' }),
    });

    // Activity files: downloaded once each, kept raw, samples attached to the session.
    const files = await w.app.deps.db.prisma.rawObject.findMany({
      where: { userId: athlete.id, source: 'garmin', kind: 'activity-file' },
    });
    const activities = days.filter((d) => d.activity !== null).length;
    expect(files.length).toBe(activities);
    const garminSessions = await w.app.deps.db.prisma.trainingSession.findMany({
      where: { athleteId: athlete.id, source: 'garmin' },
    });
    expect(garminSessions.length).toBe(activities);
    const samples = await w.app.deps.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM samples WHERE session_id = $1',
      [garminSessions[0]!.id],
    );
    expect(samples[0]!.n).toBeGreaterThan(10);
  });

  it('does not download an activity file twice when Garmin pings it again', async () => {
    const before = await w.app.deps.db.prisma.rawObject.count({
      where: { userId: athlete.id, kind: 'activity-file' },
    });
    const nowS = Math.floor(Date.now() / 1000);
    const res = await w.sandbox.sandbox.sendGarminActivityFiles(
      `${w.url}${garminWebhookPath(w.t.app.config)}`,
      {
        user: 'garmin-bob',
        startS: nowS - 40 * 86_400,
        endS: nowS,
      },
    );
    expect(res.status).toBe(200);
    await settle(w);
    expect(
      await w.app.deps.db.prisma.rawObject.count({ where: { userId: athlete.id, kind: 'activity-file' } }),
    ).toBe(before);
    expect((await w.app.deps.platform.queue.listFailed()).length).toBe(0);
  });

  it('limits "sync now" per user and hour, and reuses a pending run', async () => {
    const sync = () =>
      w.app.inject({ method: 'POST', url: '/api/v1/integrations/whoop/sync', headers: athlete.auth });
    const [first, second] = await Promise.all([sync(), sync()]);
    expect(first.statusCode, first.body).toBe(202);
    expect(first.json().run).toMatchObject({ kind: 'manual' });
    // The second click found the first run pending and got it back instead of a new run.
    expect(second.json().run.id).toBe(first.json().run.id);
    await settle(w);
    let last = first;
    for (let i = 0; i < 12 && last.statusCode !== 429; i++) {
      last = await sync();
      await settle(w);
    }
    expect(last.statusCode).toBe(429);
    expect(last.json().error.code).toBe('RATE_LIMITED');
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    expect(await w.app.deps.db.prisma.syncRun.count({ where: { kind: 'manual' } })).toBe(10);
    const unknown = await w.app.inject({
      method: 'POST',
      url: '/api/v1/integrations/polar/sync',
      headers: athlete.auth,
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain('params.provider');
  });

  it('a Garmin deregistration revokes the connection and erases its tokens', async () => {
    const res = await w.sandbox.sandbox.sendGarminDeregistration(
      `${w.url}${garminWebhookPath(w.t.app.config)}`,
      'garmin-bob',
    );
    expect(res.status).toBe(200);
    await settle(w);
    const connection = await w.app.deps.db.prisma.providerConnection.findFirstOrThrow({
      where: { userId: athlete.id, provider: 'garmin' },
    });
    expect(connection.status).toBe('revoked');
    expect(connection.accessTokenEnc).toBeNull();
    expect(connection.refreshTokenEnc).toBeNull();
    const list = await w.app.inject({ url: '/api/v1/integrations', headers: athlete.auth });
    expect(list.json().integrations[1]).toMatchObject({ provider: 'garmin', status: 'revoked' });
  });

  it('disconnecting WHOOP revokes access at WHOOP and erases the tokens; data stays', async () => {
    const res = await w.app.inject({
      method: 'DELETE',
      url: '/api/v1/integrations/whoop',
      headers: athlete.auth,
    });
    expect(res.statusCode, res.body).toBe(204);
    expect(w.sandbox.sandbox.stats().whoop.byRoute['DELETE /whoop/developer/v2/user/access']).toBe(1);
    const connection = await w.app.deps.db.prisma.providerConnection.findFirstOrThrow({
      where: { userId: athlete.id, provider: 'whoop' },
    });
    expect(connection).toMatchObject({ status: 'disconnected', accessTokenEnc: null, refreshTokenEnc: null });
    expect(
      await w.app.deps.db.prisma.dailySummary.count({ where: { athleteId: athlete.id, source: 'whoop' } }),
    ).toBeGreaterThan(0);
    const again = await w.app.inject({
      method: 'DELETE',
      url: '/api/v1/integrations/whoop',
      headers: athlete.auth,
    });
    expect(again.statusCode).toBe(404);
  });

  it('refuses a replayed or unknown OAuth state and reports a denied consent to the settings page', async () => {
    const denied = await connectThroughConsent(w, athlete, 'whoop', 'whoop-alice', 'deny');
    expect(denied.statusCode).toBe(302);
    expect(denied.headers.location).toBe('/settings/integrations?provider=whoop&error=access_denied');
    const forged = await w.app.inject({
      url: '/api/v1/integrations/whoop/callback?code=abc&state=not-a-real-state',
    });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().error.details).toEqual({ field: 'query.state' });
    const missing = await w.app.inject({ url: '/api/v1/integrations/whoop/callback?state=abcdefgh' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toContain('query.code');
  });
});
