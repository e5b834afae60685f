import {
  GarminClient,
  normaliseGarminActivity,
  normaliseGarminDays,
  ProviderAuthError,
  ProviderRateLimitError,
  ProviderRequestError,
  parseActivityFile,
  parseGarminNotification,
} from '@athlete/providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW_MS, type RunningSandbox, startReceiver, startSandbox } from './helpers.ts';

const DAY_S = 86_400;
const nowS = Math.floor(NOW_MS / 1000);

let sandbox: RunningSandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  receiver = await startReceiver();
  sandbox = await startSandbox({ garminNotificationUrl: receiver.url, backfillDelayMs: 0 });
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

const clientFor = (login: string) =>
  new GarminClient({
    accessToken: sandbox.app.sandbox.issueTokens('garmin', login).accessToken,
    apiBaseUrl: sandbox.garminApi,
  });

describe('Garmin end-to-end with the providers client', () => {
  it('serves the user id, permissions and a week of health summaries by upload time', async () => {
    const client = clientFor('mia');
    expect(await client.getUserId()).toBe(sandbox.app.sandbox.user('mia').garminUserId);
    expect(await client.getPermissions()).toEqual(['ACTIVITY_EXPORT', 'HEALTH_EXPORT']);

    const range = { start: nowS - 7 * DAY_S, end: nowS };
    const [dailies, sleeps, hrv, stress, metrics, bodyComps] = await Promise.all([
      client.dailies(range),
      client.sleeps(range),
      client.hrv(range),
      client.stressDetails(range),
      client.userMetrics(range),
      client.bodyComps(range),
    ]);
    expect(dailies.length).toBeGreaterThanOrEqual(6);
    expect(sleeps).toHaveLength(dailies.length);
    expect(stress[0]?.timeOffsetStressLevelValues).toBeDefined();
    expect(metrics[0]?.vo2Max).toBeGreaterThan(40);
    expect(bodyComps.length).toBeGreaterThanOrEqual(1);
    const days = normaliseGarminDays({ dailies, sleeps, hrv });
    expect(days).toHaveLength(dailies.length);
    for (const day of days) {
      expect(day.restingHr).toBeGreaterThan(40);
      expect(day.hrvRmssdMs).toBeGreaterThan(20);
      expect(day.sleepScore).toBeGreaterThan(50);
      expect(day.steps).toBeGreaterThan(1000);
    }
  });

  it('refuses pull ranges over 24 h and millisecond timestamps', async () => {
    const token = sandbox.app.sandbox.issueTokens('garmin', 'mia').accessToken;
    const get = (query: string) =>
      fetch(`${sandbox.garminApi}/dailies?${query}`, { headers: { authorization: `Bearer ${token}` } });
    expect((await get(`uploadStartTimeInSeconds=0&uploadEndTimeInSeconds=${2 * DAY_S}`)).status).toBe(400);
    const ms = await get(`uploadStartTimeInSeconds=${NOW_MS}&uploadEndTimeInSeconds=${NOW_MS + 1000}`);
    expect(ms.status).toBe(400);
    expect(((await ms.json()) as { errorMessage: string }).errorMessage).toMatch(/milliseconds/);
  });

  it('backfills a year in ≤ 30-day windows, 409 on repeats, and pings with working callbacks', async () => {
    const client = clientFor('noor');
    const range = { start: nowS - 365 * DAY_S, end: nowS };
    const first = await client.requestBackfill('activities', range);
    expect(first).toHaveLength(13);
    expect(first.every((w) => w.status === 'accepted' && w.endS - w.startS <= 30 * DAY_S)).toBe(true);
    const again = await client.requestBackfill('activities', range);
    expect(again.every((w) => w.status === 'duplicate')).toBe(true);

    await sandbox.app.sandbox.flushDeliveries();
    const notifications = receiver.received.flatMap((r) => {
      expect(r.headers['garmin-client-id']).toBe('sandbox-garmin-client');
      return parseGarminNotification(JSON.parse(r.body)).notifications;
    });
    const pings = notifications.filter((n) => n.kind === 'ping');
    const files = notifications.filter((n) => n.kind === 'activityFile');
    const expectedActivities = sandbox.app.sandbox
      .garminDays('noor')
      .filter((d) => d.activity !== null && d.activity.startTimeInSeconds >= range.start).length;
    expect(files).toHaveLength(expectedActivities);

    const activities = [];
    for (const ping of pings) {
      if (ping.kind === 'ping')
        activities.push(...(await client.fetchCallback('activities', ping.callbackURL)));
    }
    expect(new Set(activities.map((a) => a.activityId)).size).toBe(expectedActivities);
    const session = normaliseGarminActivity(activities[0]!);
    expect(session.source).toBe('garmin');
    expect(session.durationS).toBeGreaterThan(1000);

    const file = files[0]!;
    if (file.kind !== 'activityFile') throw new Error('unreachable');
    const bytes = await client.downloadActivityFile(file.file.callbackURL);
    const parsed = parseActivityFile(bytes, `${file.file.activityId}.fit`);
    expect(parsed.format).toBe('fit');
    expect(parsed.activities[0]!.samples.length).toBeGreaterThan(1000);
    expect(parsed.activities[0]!.avgHr).toBeGreaterThan(90);
    const second = await client.downloadActivityFile(file.file.callbackURL).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(ProviderRequestError);
    expect((second as ProviderRequestError).status).toBe(410);
  });

  it('refuses backfill ranges over the per-type maximum', async () => {
    const token = sandbox.app.sandbox.issueTokens('garmin', 'noor').accessToken;
    const response = await fetch(
      `${sandbox.garminApi}/backfill/sleeps?summaryStartTimeInSeconds=${nowS - 91 * DAY_S}&summaryEndTimeInSeconds=${nowS}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(response.status).toBe(400);
  });

  it('pushes full summaries and sends deregistrations on disconnect', async () => {
    receiver.received.length = 0;
    const yesterday = Math.floor(nowS / DAY_S) * DAY_S - DAY_S;
    await sandbox.app.sandbox.sendGarminPush(receiver.url, {
      user: 'omar',
      summaryType: 'dailies',
      uploadStartTimeInSeconds: yesterday - DAY_S,
      uploadEndTimeInSeconds: yesterday,
    });
    const push = parseGarminNotification(JSON.parse(receiver.received[0]!.body));
    expect(push.rejected).toEqual([]);
    expect(push.notifications[0]?.kind).toBe('push');

    const client = clientFor('omar');
    await client.deleteRegistration();
    await sandbox.app.sandbox.flushDeliveries();
    const dereg = parseGarminNotification(JSON.parse(receiver.received.at(-1)!.body));
    expect(dereg.notifications).toEqual([
      { kind: 'deregistration', userId: sandbox.app.sandbox.user('omar').garminUserId },
    ]);
    await expect(client.getUserId()).rejects.toBeInstanceOf(ProviderAuthError);

    await sandbox.app.sandbox.sendGarminPermissionsChange(receiver.url, 'omar', ['HEALTH_EXPORT']);
    const change = parseGarminNotification(JSON.parse(receiver.received.at(-1)!.body));
    expect(change.notifications[0]).toMatchObject({
      kind: 'permissionsChange',
      permissions: ['HEALTH_EXPORT'],
    });
  });

  it('applies Garmin fault modes', async () => {
    const client = clientFor('pia');
    sandbox.app.sandbox.setFaults('garmin', { rateLimitBurst: 1, retryAfterS: 5 });
    const error = await client.getUserId().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRateLimitError);
    expect((error as ProviderRateLimitError).retryAfterMs).toBe(5000);
    sandbox.app.sandbox.clearFaults();
    await expect(client.getUserId()).resolves.toBeTruthy();
  });
});
