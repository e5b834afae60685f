import { teamAlertDefaultsResponseSchema } from '@athlete/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers.ts';
import { createLiveWorld, type LiveWorld } from './live-fixtures.ts';

/**
 * Issue #15.6: a coach sets the team's alert thresholds; the live engine applies them to the
 * team's athletes over the server's THRESHOLDS, and an athlete's own override still wins.
 */
describe('team alert defaults', () => {
  let t: TestApp;
  let w: LiveWorld;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const url = () => `/api/v1/teams/${w.teamId}/alert-defaults`;
  const put = (token: string, thresholds: unknown) =>
    t.app.inject({ method: 'PUT', url: url(), headers: auth(token), payload: { thresholds } });
  const ingestHr = (token: string, t0: number, hr: number[]) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: auth(token),
      payload: { samples: hr.map((h, i) => ({ ts: t0 + i * 1000, hr: h })) },
    });
  const highAlerts = (athleteId: string) =>
    t.app.deps.db.prisma.alert.findMany({
      where: { athleteId, rule: 'hr_high' },
      orderBy: { startedAt: 'asc' },
    });

  beforeAll(async () => {
    // Server-wide: hr_high above 190 bpm after 3 s (no % of HR max), so 175 bpm alone fires nothing.
    t = await buildTestApp({
      overrides: {
        THRESHOLDS: JSON.stringify({ hrAbovePctMax: null, hrAboveBpm: 190, hrAboveSeconds: 3 }),
        LIVE_FLUSH_INTERVAL_MS: 50,
      },
    });
    w = await createLiveWorld(t.app.deps);
  });
  afterAll(async () => t?.close());

  it('starts empty: the server thresholds are what is in effect', async () => {
    const res = await t.app.inject({ url: url(), headers: auth(w.a1.token) });
    expect(res.statusCode).toBe(200);
    const { defaults } = teamAlertDefaultsResponseSchema.parse(res.json());
    expect(defaults).toMatchObject({ teamId: w.teamId, thresholds: {}, updatedAt: null, updatedBy: null });
    expect(defaults.effective).toMatchObject({ hrAboveBpm: 190, hrAboveSeconds: 3, hrAbovePctMax: null });
    expect(defaults.server).toEqual(defaults.effective);
  });

  it('refuses a value the alert engine would not take, naming the field, and keeps what was stored', async () => {
    expect((await put(w.coach.token, { hrAboveBpm: 170 })).statusCode).toBe(200);
    const bad = await put(w.coach.token, { hrAboveBpm: 900 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toBe('body.thresholds.hrAboveBpm: must be between 40 and 260, got 900');
    const off = await put(w.coach.token, { hrAboveSeconds: null });
    expect(off.statusCode).toBe(400);
    expect(off.json().error.details).toEqual([
      { field: 'body.thresholds.hrAboveSeconds', message: 'cannot be null' },
    ]);
    const { defaults } = teamAlertDefaultsResponseSchema.parse(
      (await t.app.inject({ url: url(), headers: auth(w.coach.token) })).json(),
    );
    expect(defaults.thresholds).toEqual({ hrAboveBpm: 170 });
  });

  it('an athlete of the team cannot change them', async () => {
    const res = await put(w.a1.token, { hrAboveBpm: 250 });
    expect(res.statusCode).toBe(403);
  });

  it('fires at the team threshold for the team’s athletes; an athlete’s own override wins', async () => {
    const res = await put(w.coach.token, { hrAboveBpm: 170, hrAboveSeconds: 3 });
    expect(res.statusCode).toBe(200);
    const { defaults } = teamAlertDefaultsResponseSchema.parse(res.json());
    expect(defaults.effective).toMatchObject({ hrAboveBpm: 170, hrAboveSeconds: 3 });
    expect(defaults.server).toMatchObject({ hrAboveBpm: 190 });
    expect(defaults.updatedBy?.id).toBe(w.coach.id);
    // a2 has their own override: 180 bpm.
    const own = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/profile',
      headers: auth(w.a2.token),
      payload: { thresholds: { hrAboveBpm: 180 } },
    });
    expect(own.statusCode).toBe(200);

    const t0 = Date.now() - 120_000;
    const hr = [150, 150, 175, 175, 175, 175, 175, 175, 150, 150, 150, 150, 150, 150];
    for (const a of [w.a1, w.a2, w.outsider]) expect((await ingestHr(a.token, t0, hr)).statusCode).toBe(202);
    await t.app.live.settled();

    // a1 (team default 170): fires at 175. a2 (own 180) and the outsider (server 190): nothing.
    const [a1High] = await highAlerts(w.a1.id);
    expect(a1High).toMatchObject({ value: 175, threshold: 170 });
    expect(await highAlerts(w.a2.id)).toEqual([]);
    expect(await highAlerts(w.outsider.id)).toEqual([]);
  });
});
