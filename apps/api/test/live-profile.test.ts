import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers.ts';
import { createLiveWorld, type LiveWorld } from './live-fixtures.ts';

const THRESHOLDS = {
  hrAbovePctMax: null,
  hrAboveBpm: 180,
  hrAboveSeconds: 3,
  hrBelowBpm: 40,
  hrBelowSeconds: 3,
  dropoutSeconds: 600,
  jumpBpm: 80,
  clearSeconds: 2,
};

/**
 * A profile change reaches the live session at once, on whichever process feeds it: the
 * athlete lowers their HR threshold through the profile API on process one while their
 * samples stream into process two, and process two's next samples fire the alert.
 */
describe('profile changes apply to the open live session (two API processes)', () => {
  let one: TestApp;
  let two: TestApp;
  let w: LiveWorld;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    const overrides = { THRESHOLDS: JSON.stringify(THRESHOLDS), LIVE_FLUSH_INTERVAL_MS: 50 };
    one = await buildTestApp({ overrides });
    two = await buildTestApp({
      overrides: {
        ...overrides,
        DATABASE_URL: one.config.DATABASE_URL,
        REDIS_PREFIX: one.config.REDIS_PREFIX,
      },
    });
    w = await createLiveWorld(one.app.deps);
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
  });

  it('a lowered HR threshold fires on the other process’s next samples', async () => {
    const t0 = Date.now() - 120_000;
    let n = 0;
    /** The next `count` samples at 150 bpm, one second apart in device time, sent to process two. */
    const stream = async (count: number) => {
      const samples = Array.from({ length: count }, () => ({ ts: t0 + n++ * 1000, hr: 150 }));
      const res = await two.app.inject({
        method: 'POST',
        url: '/api/v1/ingest',
        headers: auth(w.a1.token),
        payload: { samples },
      });
      expect(res.statusCode, res.body).toBe(202);
      await two.app.live.settled();
    };
    const highAlerts = () =>
      one.app.deps.db.prisma.alert.findMany({ where: { athleteId: w.a1.id, rule: 'hr_high' } });

    // 10 s at 150 bpm under the global 180 bpm: nothing.
    await stream(10);
    expect(two.app.live.openSession(w.a1.id)).toBeDefined();
    expect(one.app.live.openSession(w.a1.id)).toBeUndefined();
    expect(await highAlerts()).toEqual([]);

    const res = await one.app.inject({
      method: 'PUT',
      url: '/api/v1/me/profile',
      headers: auth(w.a1.token),
      payload: { thresholds: { hrAboveBpm: 140 } },
    });
    expect(res.statusCode, res.body).toBe(200);

    // The notice crosses Redis asynchronously; the same session keeps streaming meanwhile.
    const deadline = Date.now() + 5_000;
    let alerts = await highAlerts();
    while (alerts.length === 0) {
      if (Date.now() > deadline) throw new Error('the lowered threshold never reached the live session');
      await stream(1);
      await new Promise((r) => setTimeout(r, 25));
      alerts = await highAlerts();
    }
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ threshold: 140, value: 150, severity: 'warning' });
    // Fired by the session process two was already feeding, not a new one.
    const sessionId = two.app.live.openSession(w.a1.id)!.id;
    expect(alerts[0]!.sessionId).toBe(sessionId);
    expect(two.app.live.openSession(w.a1.id)!.profile.thresholds).toMatchObject({ hrAboveBpm: 140 });
    // It fired within the hold time (3 s of samples) plus the few samples sent before the notice
    // arrived, not at a later session.
    expect(alerts[0]!.startedAt.getTime()).toBeGreaterThanOrEqual(t0 + 10_000);
  });
});
