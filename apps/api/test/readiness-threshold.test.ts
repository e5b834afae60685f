import {
  readinessThresholdSchema,
  teamReadinessResponseSchema,
  thresholdOverrideResponseSchema,
  thresholdOverridesResponseSchema,
} from '@athlete/contracts';
import { publishProfileChanged } from '@athlete/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers.ts';
import { createLiveWorld, type LiveWorld, seedRestDay } from './live-fixtures.ts';

// hr_high at a flat 160 bpm so the arithmetic is plain: a rest day takes 5 % × HR max 190 off.
const THRESHOLDS = { hrAbovePctMax: null, hrAboveBpm: 160, hrAboveSeconds: 3, clearSeconds: 2 };
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('readiness-gated thresholds', () => {
  let t: TestApp;
  let w: LiveWorld;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const today = iso(Date.now());
  const url = (athleteId: string, rest = '') => `/api/v1/athletes/${athleteId}/readiness/threshold${rest}`;
  const confirm = (token: string, athleteId: string, payload: unknown) =>
    t.app.inject({ method: 'POST', url: url(athleteId), headers: auth(token), payload: payload as object });
  const highAlerts = (athleteId: string) =>
    t.app.deps.db.prisma.alert.findMany({
      where: { athleteId, rule: 'hr_high' },
      orderBy: { startedAt: 'asc' },
    });

  beforeAll(async () => {
    t = await buildTestApp({
      overrides: { THRESHOLDS: JSON.stringify(THRESHOLDS), LIVE_FLUSH_INTERVAL_MS: 50 },
    });
    w = await createLiveWorld(t.app.deps, { hrMax: 190 });
    // 40 nights of WHOOP values, today's HRV low and resting HR high: two flags → rest.
    await seedRestDay(t.app.deps, w.a1.id, today);
  });
  afterAll(async () => t?.close());

  it('suggests a lower threshold with reason and formula, in the team table too', async () => {
    const res = await t.app.inject({ method: 'GET', url: url(w.a1.id), headers: auth(w.coach.token) });
    expect(res.statusCode, res.body).toBe(200);
    const body = readinessThresholdSchema.parse(res.json());
    // 160 − 0.05 × 190 = 150.5 → 151
    expect(body.suggestion).toMatchObject({ recommendation: 'rest', currentBpm: 160, suggestedBpm: 151 });
    expect(body.suggestion!.formula).toBe('160 bpm − 5 % × HR max 190 bpm = 151 bpm');
    expect(body.suggestion!.reason).toMatch(
      /^Readiness today says rest: .*; 2 readings outside your usual range/,
    );
    expect(body.override).toBeNull();

    // a2 has no readings: no caution, nothing suggested.
    const calm = await t.app.inject({ method: 'GET', url: url(w.a2.id), headers: auth(w.coach.token) });
    expect(readinessThresholdSchema.parse(calm.json()).suggestion).toBeNull();

    const table = await t.app.inject({
      method: 'GET',
      url: `/api/v1/teams/${w.teamId}/readiness`,
      headers: auth(w.coach.token),
    });
    const rows = teamReadinessResponseSchema.parse(table.json()).athletes;
    expect(rows.find((r) => r.athleteId === w.a1.id)!.threshold!.suggestion!.suggestedBpm).toBe(151);
    expect(rows.find((r) => r.athleteId === w.a2.id)!.threshold!.suggestion).toBeNull();
  });

  it('refuses bad input in words, storing nothing', async () => {
    const cases: [unknown, number, RegExp][] = [
      [{}, 400, /date/],
      [{ date: today, suggestedBpm: 'low' }, 400, /suggestedBpm/],
      [{ date: 'tomorrow', suggestedBpm: 151 }, 400, /date/],
      [{ date: iso(Date.now() - DAY), suggestedBpm: 151 }, 400, /must be today/],
      [{ date: today, suggestedBpm: 150 }, 409, /now 151 bpm, not 150/],
    ];
    for (const [payload, status, message] of cases) {
      const res = await confirm(w.coach.token, w.a1.id, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(JSON.stringify(res.json().error), JSON.stringify(payload)).toMatch(message);
    }
    const nobody = await confirm(w.coach.token, '00000000-0000-4000-8000-000000000000', {
      date: today,
      suggestedBpm: 151,
    });
    expect(nobody.statusCode).toBe(404);
    expect(nobody.json().error.message).toBe('Athlete not found');
    expect((await confirm(w.coach.token, 'not-an-id', { date: today, suggestedBpm: 151 })).statusCode).toBe(
      400,
    );
    const calm = await confirm(w.coach.token, w.a2.id, { date: today, suggestedBpm: 151 });
    expect(calm.statusCode).toBe(409);
    expect(calm.json().error.message).toMatch(/does not call for a lower threshold/);
    expect(await t.app.deps.db.prisma.thresholdDayOverride.count()).toBe(0);
  });

  it('who may confirm: only a coach who sees the athlete’s wellness', async () => {
    const payload = { date: today, suggestedBpm: 151 };
    const noAuth = await t.app.inject({ method: 'POST', url: url(w.a1.id), payload });
    expect(noAuth.statusCode).toBe(401);
    for (const who of [w.a1, w.a2, w.outsider, w.otherCoach])
      expect((await confirm(who.token, w.a1.id, payload)).statusCode).toBe(403);
    const gets = [
      [w.a1, 200],
      [w.coach, 200],
      [w.a2, 403],
      [w.otherCoach, 403],
    ] as const;
    for (const [who, status] of gets) {
      const res = await t.app.inject({ method: 'GET', url: url(w.a1.id, '/log'), headers: auth(who.token) });
      expect(res.statusCode).toBe(status);
    }
    expect(await t.app.deps.db.prisma.thresholdDayOverride.count()).toBe(0);
  });

  it('confirm → logged → the live engine uses it that day, not the next', async () => {
    const res = await confirm(w.coach.token, w.a1.id, { date: today, suggestedBpm: 151 });
    expect(res.statusCode, res.body).toBe(201);
    const { override } = thresholdOverrideResponseSchema.parse(res.json());
    expect(override).toMatchObject({
      date: today,
      previousBpm: 160,
      hrAboveBpm: 151,
      recommendation: 'rest',
    });
    expect(override.confirmedBy).toEqual({ id: w.coach.id, name: expect.any(String) });
    expect(Date.now() - Date.parse(override.confirmedAt)).toBeLessThan(60_000);

    const again = await confirm(w.coach.token, w.a1.id, { date: today, suggestedBpm: 151 });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/Already confirmed today: 160 → 151 bpm/);

    const log = await t.app.inject({ method: 'GET', url: url(w.a1.id, '/log'), headers: auth(w.a1.token) });
    expect(thresholdOverridesResponseSchema.parse(log.json()).overrides.map((o) => o.id)).toEqual([
      override.id,
    ]);
    const shown = await t.app.inject({ method: 'GET', url: url(w.a1.id), headers: auth(w.coach.token) });
    expect(readinessThresholdSchema.parse(shown.json()).override?.id).toBe(override.id);

    // 155 bpm for 8 s: above the day's 151, below the usual 160.
    const ingest = (t0: number, hr: number[]) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/ingest',
        headers: auth(w.a1.token),
        payload: { samples: hr.map((h, i) => ({ ts: t0 + i * 1000, hr: h })) },
      });
    const burst = [120, 120, 155, 155, 155, 155, 155, 155, 155, 120, 120, 120, 120];
    const t0 = Date.now() - 60_000;
    expect((await ingest(t0, burst)).json().accepted).toBe(burst.length);
    await t.app.live.settled();
    const fired = await highAlerts(w.a1.id);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ value: 155, threshold: 151 });

    // The next day: the override's day is yesterday. The same burst fires nothing; 165 fires at 160.
    await t.app.deps.db.prisma.thresholdDayOverride.update({
      where: { id: override.id },
      data: { date: new Date(Date.parse(today) - DAY) },
    });
    await publishProfileChanged(t.app.deps, w.a1.id);
    await expect
      .poll(() => t.app.live.openSession(w.a1.id)?.profile.dayThresholds.has(today), { timeout: 5_000 })
      .toBe(false);
    const t1 = Date.now() - 40_000;
    await ingest(t1, burst);
    await ingest(
      t1 + 20_000,
      burst.map((h) => (h === 155 ? 165 : h)),
    );
    await t.app.live.settled();
    const after = await highAlerts(w.a1.id);
    expect(after).toHaveLength(2);
    expect(after[1]).toMatchObject({ value: 165, threshold: 160 });
  });
});
