import { garminWebhookPath } from '@athlete/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectThroughConsent,
  registerAthlete,
  SANDBOX_CLIENTS,
  type SyncWorld,
  settle,
  startSyncWorld,
  type TestAthlete,
} from './sync-fixtures.ts';

// Garmin signs nothing: a push that passed the URL token and client id is still only a hint,
// confirmed by pulling the same summaries from Garmin with the athlete's token.
describe('Garmin push notifications are confirmed with Garmin', () => {
  let w: SyncWorld;
  let athlete: TestAthlete;
  const login = 'garmin-push-dana';

  beforeAll(async () => {
    w = await startSyncWorld({ sandbox: { days: 7, garminDelivery: 'push' } });
    athlete = await registerAthlete(w.app);
    expect((await connectThroughConsent(w, athlete, 'garmin', login)).statusCode).toBe(302);
    await settle(w);
  }, 120_000);
  afterAll(async () => w?.close());

  const garminDay = (date: string) =>
    w.app.deps.db.prisma.dailySummary.findUnique({
      where: { athleteId_date_source: { athleteId: athlete.id, date: new Date(date), source: 'garmin' } },
    });

  const push = (body: unknown) =>
    fetch(`${w.url}${garminWebhookPath(w.t.app.config)}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json;charset=UTF-8',
        'garmin-client-id': SANDBOX_CLIENTS.GARMIN_CLIENT_ID,
      },
      body: JSON.stringify(body),
    });

  const summaryPulls = () =>
    Object.entries(w.sandbox.sandbox.stats().garmin.byRoute)
      .filter(([route]) => route.startsWith('GET ') && route.includes('/wellness-api/rest/:'))
      .reduce((sum, [, n]) => sum + n, 0);

  it('stores the backfill Garmin pushed, as Garmin holds it', async () => {
    const days = w.sandbox.sandbox.garminDays(login);
    const rows = await w.app.deps.db.prisma.dailySummary.findMany({
      where: { athleteId: athlete.id, source: 'garmin' },
    });
    expect(rows.length).toBeGreaterThanOrEqual(days.length - 2);
    const day = days.find((d) => d.daily.steps !== undefined)!;
    expect((await garminDay(day.date))?.steps).toBe(day.daily.steps);
    // Push mode sends no callback URLs: every summary API call is a confirming pull.
    expect(summaryPulls()).toBeGreaterThan(0);
  });

  it('keeps Garmin’s values when a push alters a real summary, and drops a summary Garmin lacks', async () => {
    const days = w.sandbox.sandbox.garminDays(login);
    const day = days.find((d) => d.daily.steps !== undefined && d.daily.restingHeartRateInBeatsPerMinute)!;
    const before = await garminDay(day.date);
    expect(before?.steps).toBe(day.daily.steps);
    const { garminUserId } = w.sandbox.sandbox.user(login);
    const altered = {
      ...day.daily,
      userId: garminUserId,
      steps: 987_654,
      restingHeartRateInBeatsPerMinute: 7,
    };
    const invented = { ...altered, summaryId: 'forged-daily-1' };
    const pullsBefore = summaryPulls();
    const res = await push({ dailies: [altered, invented] });
    expect(res.status).toBe(200);
    await settle(w);
    expect(summaryPulls()).toBeGreaterThan(pullsBefore);

    const after = await garminDay(day.date);
    expect(after?.steps).toBe(day.daily.steps);
    expect(after?.restingHr).toBe(before?.restingHr);
    expect(after?.steps).not.toBe(987_654);
    const forgedRaw = await w.app.deps.db.prisma.rawObject.findMany({
      where: { userId: athlete.id, source: 'garmin', kind: 'dailies' },
    });
    for (const row of forgedRaw) {
      const body = (await w.app.deps.platform.objects.get(row.key))!.toString();
      expect(body).not.toContain('forged-daily-1');
      expect(body).not.toContain('987654');
    }
  });
});
