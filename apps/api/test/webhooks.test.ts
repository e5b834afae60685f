import { signWhoopPayload } from '@athlete/providers';
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

describe('provider webhooks (services mode)', () => {
  let w: SyncWorld;
  let athlete: TestAthlete;
  let hook: string;

  beforeAll(async () => {
    w = await startSyncWorld({ sandbox: { days: 7 } });
    athlete = await registerAthlete(w.app);
    expect((await connectThroughConsent(w, athlete, 'whoop', 'hook-carol')).statusCode).toBe(302);
    await settle(w);
    hook = `${w.url}/api/v1/webhooks/whoop`;
  });
  afterAll(async () => w?.close());

  const whoopSessions = () =>
    w.app.deps.db.prisma.trainingSession.findMany({ where: { athleteId: athlete.id, source: 'whoop' } });

  it('refuses a forged signature, a stale timestamp and a missing signature with 401', async () => {
    const workout = w.sandbox.sandbox.whoopData('hook-carol').workouts[0]!;
    const event = { type: 'workout.updated' as const, id: workout.id, user: 'hook-carol' };
    const forged = await w.sandbox.sandbox.sendWhoopWebhook(hook, event, { secret: 'not-the-client-secret' });
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.body).error.message).toContain('does not match');
    const stale = await w.sandbox.sandbox.sendWhoopWebhook(hook, event, {
      timestampMs: Date.now() - 10 * 60_000,
    });
    expect(stale.status).toBe(401);
    expect(JSON.parse(stale.body).error.details).toEqual({ reason: 'stale' });
    const unsigned = await fetch(hook, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: 1, id: workout.id, type: 'workout.updated', trace_id: 't' }),
    });
    expect(unsigned.status).toBe(401);
    // The raw bytes are what is signed: the same JSON re-spaced no longer verifies.
    const body = JSON.stringify({ user_id: 1, id: 'x', type: 'workout.updated', trace_id: 't2' });
    const timestamp = String(Date.now());
    const signature = signWhoopPayload({
      rawBody: body,
      timestamp,
      secret: SANDBOX_CLIENTS.WHOOP_CLIENT_SECRET,
    });
    const respaced = await fetch(hook, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-whoop-signature': signature,
        'x-whoop-signature-timestamp': timestamp,
      },
      body: JSON.stringify(JSON.parse(body), null, 2),
    });
    expect(respaced.status).toBe(401);
  });

  it('names the offending field of a signed but malformed event', async () => {
    const body = JSON.stringify({ user_id: 'nope', id: 'x', type: 'workout.updated', trace_id: 't' });
    const timestamp = String(Date.now());
    const res = await fetch(hook, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-whoop-signature': signWhoopPayload({
          rawBody: body,
          timestamp,
          secret: SANDBOX_CLIENTS.WHOOP_CLIENT_SECRET,
        }),
        'x-whoop-signature-timestamp': timestamp,
      },
      body,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('body.user_id');
  });

  it('handles workout.deleted and a repeated workout.updated idempotently by re-fetching', async () => {
    const workout = w.sandbox.sandbox.whoopData('hook-carol').workouts[0]!;
    const before = (await whoopSessions()).length;
    expect(before).toBeGreaterThan(0);
    const deleted = await w.sandbox.sandbox.sendWhoopWebhook(hook, {
      type: 'workout.deleted',
      id: workout.id,
      user: 'hook-carol',
    });
    expect(deleted.status).toBe(200);
    await settle(w);
    expect((await whoopSessions()).map((s) => s.externalId)).not.toContain(workout.id);

    for (let i = 0; i < 2; i++) {
      const updated = await w.sandbox.sandbox.sendWhoopWebhook(hook, {
        type: 'workout.updated',
        id: workout.id,
        user: 'hook-carol',
        traceId: `trace-updated-${i}`,
      });
      expect(updated.status).toBe(200);
      await settle(w);
    }
    const sessions = await whoopSessions();
    expect(sessions.length).toBe(before);
    expect(sessions.filter((s) => s.externalId === workout.id)).toHaveLength(1);
  });

  it('re-reads the day on a recovery event, whichever id kind it carries', async () => {
    const data = w.sandbox.sandbox.whoopData('hook-carol');
    const recovery = data.recoveries.find((r) => r.score_state === 'SCORED')!;
    await w.app.deps.db.prisma.dailySummary.deleteMany({ where: { athleteId: athlete.id, source: 'whoop' } });
    const byCycle = await w.sandbox.sandbox.sendWhoopWebhook(hook, {
      type: 'recovery.updated',
      id: recovery.cycle_id,
      user: 'hook-carol',
    });
    expect(byCycle.status).toBe(200);
    const bySleep = await w.sandbox.sandbox.sendWhoopWebhook(hook, {
      type: 'recovery.updated',
      id: recovery.sleep_id,
      user: 'hook-carol',
    });
    expect(bySleep.status).toBe(200);
    await settle(w);
    const rows = await w.app.deps.db.prisma.dailySummary.findMany({
      where: { athleteId: athlete.id, source: 'whoop', recoveryScore: recovery.score!.recovery_score },
    });
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect((await w.app.deps.platform.queue.listFailed()).length).toBe(0);
  });

  it('answers a webhook for an unknown WHOOP user with 200 and queues nothing', async () => {
    const res = await w.sandbox.sandbox.sendWhoopWebhook(hook, {
      type: 'sleep.updated',
      id: 'x',
      user: 'stranger',
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ accepted: false, reason: 'unknown user' });
  });

  it('refuses a Garmin notification to a URL without our token, unread, before anything else', async () => {
    const post = (path: string, body: string, headers: Record<string, string> = {}) =>
      fetch(`${w.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'garmin-client-id': SANDBOX_CLIENTS.GARMIN_CLIENT_ID,
          ...headers,
        },
        body,
      });
    const forged = JSON.stringify({ dailies: [{ userId: 'x', summaryId: 'd1', steps: 987654 }] });
    // The client id is public (it is in every connect redirect): without the token it opens nothing.
    expect((await post('/api/v1/webhooks/garmin', forged)).status).toBe(404);
    const wrong = await post('/api/v1/webhooks/garmin/0123456789abcdef0123456789abcdef01234567', forged);
    expect(wrong.status).toBe(404);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toBe(
      'No such notification endpoint',
    );
    // Over the limit: refused from Content-Length, with our token or not.
    const big = 'x'.repeat(w.t.app.config.GARMIN_WEBHOOK_BODY_LIMIT_BYTES + 1);
    expect((await post(garminWebhookPath(w.t.app.config), big)).status).toBe(413);
    expect((await post('/api/v1/webhooks/garmin/nope', big)).status).toBe(404);
  });

  it('refuses a Garmin notification without our client id, and a body that is not the envelope', async () => {
    const url = `${w.url}${garminWebhookPath(w.t.app.config)}`;
    const noId = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deregistrations: [{ userId: 'x' }] }),
    });
    expect(noId.status).toBe(401);
    const bad = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'garmin-client-id': SANDBOX_CLIENTS.GARMIN_CLIENT_ID },
      body: JSON.stringify({ dailies: 'not a list' }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { details: { field: string }[] } }).error.details[0]!.field).toBe(
      'body',
    );
  });
});
