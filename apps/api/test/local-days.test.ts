import {
  athletePlansResponseSchema,
  readinessThresholdSchema,
  srpeSeriesResponseSchema,
  thresholdOverrideResponseSchema,
  trainingLoadResponseSchema,
  wellnessListResponseSchema,
} from '@athlete/contracts';
import { localDay } from '@athlete/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL, bearer, createTeamWith, createUser, type TestUser } from './authz/world.ts';
import { buildTestApp, type TestApp } from './helpers.ts';
import { createLiveWorld, type LiveWorld, seedRestDay } from './live-fixtures.ts';

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

// Monday 2026-11-30 and Tuesday 2026-12-01 (PST is UTC−8, NZDT UTC+13 then).
const MON = '2026-11-30';
const TUE = '2026-12-01';

describe('sessions count on the athlete’s local day', () => {
  let t: TestApp;
  let coach: TestUser;
  let la: TestUser;
  let nz: TestUser;
  let utc: TestUser;
  let teamId: string;

  const setZone = async (u: TestUser, timeZone: string) => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/preferences',
      headers: bearer(u.token),
      payload: { timeZone },
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  const session = (athleteId: string, startedAt: string, trimp: number) =>
    t.app.deps.db.prisma.trainingSession.create({
      data: {
        athleteId,
        source: 'file',
        externalId: `file-${Math.random()}`,
        sport: 'running',
        status: 'closed',
        startedAt: new Date(startedAt),
        endedAt: new Date(Date.parse(startedAt) + 45 * 60_000),
        durationS: 45 * 60,
        trimp,
        timeInZonesS: [],
      },
    });
  // Plans for past days go straight in: the API refuses to plan a day that is over.
  const planFor = (athleteId: string, date: string) =>
    t.app.deps.db.prisma.plannedSession.create({
      data: {
        teamId,
        athleteId,
        date: new Date(`${date}T00:00:00Z`),
        sport: 'running',
        durationMin: 45,
        createdById: coach.id,
      },
    });
  const plans = async (u: TestUser) => {
    const res = await t.app.inject({
      url: `/api/v1/athletes/${u.id}/plans?from=${MON}&to=${TUE}`,
      headers: bearer(u.token),
    });
    expect(res.statusCode, res.body).toBe(200);
    return athletePlansResponseSchema.parse(res.json());
  };
  const load = async (u: TestUser) => {
    const res = await t.app.inject({
      url: `/api/v1/athletes/${u.id}/load?from=${MON}&to=${TUE}`,
      headers: bearer(u.token),
    });
    expect(res.statusCode, res.body).toBe(200);
    return trainingLoadResponseSchema.parse(res.json()).load;
  };

  beforeAll(async () => {
    t = await buildTestApp();
    [coach, la, nz, utc] = await Promise.all([
      createUser(t.app, 'coach', 'Coach Tia'),
      createUser(t.app, 'athlete', 'Lou'),
      createUser(t.app, 'athlete', 'Nia'),
      createUser(t.app, 'athlete', 'Uma'),
    ]);
    teamId = await createTeamWith(
      t.app,
      coach,
      [
        { user: la, consent: ALL },
        { user: nz, consent: ALL },
        { user: utc, consent: ALL },
      ],
      'Zones',
    );
    await setZone(la, 'America/Los_Angeles');
    await setZone(nz, 'Pacific/Auckland');
  });
  afterAll(async () => t?.close());

  it('Los Angeles: Monday 18:00 local (Tuesday 02:00 UTC) fulfils Monday’s plan and is Monday’s load', async () => {
    const plan = await planFor(la.id, MON);
    const s = await session(la.id, `${TUE}T02:00:00Z`, 80);
    const body = await plans(la);
    expect(body.plans.map((p) => [p.id, p.date, p.status, p.done?.sessionId])).toEqual([
      [plan.id, MON, 'done', s.id],
    ]);
    expect(body.unplanned).toEqual([]);
    const l = await load(la);
    expect(l.days.map((d) => [d.date, d.load])).toEqual([
      [MON, 80],
      [TUE, 0],
    ]);
    expect(l.sessions.map((x) => [x.id, x.date])).toEqual([[s.id, MON]]);
  });

  it('Auckland: Tuesday 08:00 local (Monday 19:00 UTC) fulfils Tuesday’s plan and is Tuesday’s load', async () => {
    const plan = await planFor(nz.id, TUE);
    const s = await session(nz.id, `${MON}T19:00:00Z`, 60);
    const body = await plans(nz);
    expect(body.plans.map((p) => [p.id, p.status, p.done?.sessionId])).toEqual([[plan.id, 'done', s.id]]);
    const l = await load(nz);
    expect(l.days.map((d) => [d.date, d.load])).toEqual([
      [MON, 0],
      [TUE, 60],
    ]);
  });

  it('no zone: UTC days as before, so the same instant misses Monday’s plan', async () => {
    const plan = await planFor(utc.id, MON);
    const s = await session(utc.id, `${TUE}T02:00:00Z`, 80);
    const body = await plans(utc);
    expect(body.plans.map((p) => [p.id, p.status])).toEqual([[plan.id, 'missed']]);
    expect(body.unplanned.map((u) => [u.sessionId, u.date])).toEqual([[s.id, TUE]]);
    expect(body.today).toBe(utcDay(Date.now()));
    const l = await load(utc);
    expect(l.days.map((d) => [d.date, d.load])).toEqual([
      [MON, 0],
      [TUE, 80],
    ]);
  });

  it('the sRPE series dates a rated session by the same local day; no zone stays UTC', async () => {
    const srpe = async (u: TestUser, sessionId: string) => {
      const rated = await t.app.inject({
        method: 'PUT',
        url: `/api/v1/sessions/${sessionId}/rpe`,
        headers: bearer(u.token),
        payload: { rpe: 6 },
      });
      expect(rated.statusCode, rated.body).toBe(200);
      const res = await t.app.inject({
        url: `/api/v1/athletes/${u.id}/srpe?from=${MON}&to=${TUE}`,
        headers: bearer(u.token),
      });
      return srpeSeriesResponseSchema.parse(res.json()).days.map((d) => [d.date, d.load, d.ratedSessions]);
    };
    // 6 × 45 min = 270, at the day each athlete's session counted on above.
    const [laSession, utcSession] = await Promise.all(
      [la, utc].map((u) =>
        t.app.deps.db.prisma.trainingSession.findFirstOrThrow({ where: { athleteId: u.id } }),
      ),
    );
    expect(await srpe(la, laSession!.id)).toEqual([
      [MON, 270, 1],
      [TUE, 0, 0],
    ]);
    expect(await srpe(utc, utcSession!.id)).toEqual([
      [MON, 0, 0],
      [TUE, 270, 1],
    ]);
  });

  it('`today` of the plan list and the wellness form is the athlete’s', async () => {
    const wellnessToday = async (u: TestUser) =>
      wellnessListResponseSchema.parse(
        (await t.app.inject({ url: `/api/v1/athletes/${u.id}/wellness`, headers: bearer(u.token) })).json(),
      ).today.date;
    expect(await wellnessToday(la)).toBe(localDay(Date.now(), 'America/Los_Angeles'));
    expect(await wellnessToday(utc)).toBe(utcDay(Date.now()));
    expect((await plans(la)).today).toBe(localDay(Date.now(), 'America/Los_Angeles'));
    expect((await plans(nz)).today).toBe(localDay(Date.now(), 'Pacific/Auckland'));
  });
});

// hr_high at a flat 160 bpm; a rest day takes 5 % × HR max 190 off → 151.
const THRESHOLDS = { hrAbovePctMax: null, hrAboveBpm: 160, hrAboveSeconds: 3, clearSeconds: 2 };

describe('a confirmed day threshold applies on the athlete’s local day', () => {
  let t: TestApp;
  let w: LiveWorld;
  // A zone whose date differs from UTC's right now (Los Angeles in the UTC morning, else one
  // further east or west), so "today" locally is not today in UTC: the case this guards.
  const now = Date.now();
  const zone = ['America/Los_Angeles', 'Pacific/Auckland', 'Pacific/Pago_Pago', 'Pacific/Kiritimati'].find(
    (z) => localDay(now, z) !== utcDay(now),
  )!;
  const localToday = localDay(now, zone);
  const url = (athleteId: string) => `/api/v1/athletes/${athleteId}/readiness/threshold`;

  beforeAll(async () => {
    t = await buildTestApp({
      overrides: { THRESHOLDS: JSON.stringify(THRESHOLDS), LIVE_FLUSH_INTERVAL_MS: 50 },
    });
    w = await createLiveWorld(t.app.deps, { hrMax: 190 });
    await t.app.deps.db.prisma.user.update({ where: { id: w.a1.id }, data: { timeZone: zone } });
    // 40 nights up to the athlete's today, the last with HRV low and resting HR high: rest.
    await seedRestDay(t.app.deps, w.a1.id, localToday);
  });
  afterAll(async () => t?.close());

  it(`the coach confirms for the athlete's today and a live sample now uses it`, async () => {
    const shown = await t.app.inject({ url: url(w.a1.id), headers: bearer(w.coach.token) });
    expect(shown.statusCode, shown.body).toBe(200);
    const body = readinessThresholdSchema.parse(shown.json());
    expect(body.date).toBe(localToday);
    expect(body.suggestion).toMatchObject({ recommendation: 'rest', suggestedBpm: 151 });

    const confirm = (date: string) =>
      t.app.inject({
        method: 'POST',
        url: url(w.a1.id),
        headers: bearer(w.coach.token),
        payload: { date, suggestedBpm: 151 },
      });
    // The UTC date is not the athlete's day.
    const wrong = await confirm(utcDay(now));
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.message).toContain(`date must be today (${localToday})`);
    const ok = await confirm(localToday);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(thresholdOverrideResponseSchema.parse(ok.json()).override).toMatchObject({
      date: localToday,
      hrAboveBpm: 151,
    });

    // 155 bpm for 7 s, now: above the day's 151 though the UTC day has no override.
    const burst = [120, 120, 155, 155, 155, 155, 155, 155, 155, 120, 120, 120, 120];
    const t0 = Date.now() - 30_000;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: bearer(w.a1.token),
      payload: { samples: burst.map((hr, i) => ({ ts: t0 + i * 1000, hr })) },
    });
    expect(res.json().accepted).toBe(burst.length);
    await t.app.live.settled();
    const fired = await t.app.deps.db.prisma.alert.findMany({
      where: { athleteId: w.a1.id, rule: 'hr_high' },
    });
    expect(fired.map((a) => [a.value, a.threshold])).toEqual([[155, 151]]);

    // Stopping it writes its TRIMP to the 'live' daily row of the athlete's day, not UTC's.
    const stop = await t.app.inject({
      method: 'POST',
      url: `/api/v1/sessions/${fired[0]!.sessionId}/stop`,
      headers: bearer(w.a1.token),
    });
    expect(stop.statusCode, stop.body).toBe(200);
    const rows = await t.app.deps.db.prisma.dailySummary.findMany({
      where: { athleteId: w.a1.id, source: 'live' },
    });
    expect(rows.map((r) => utcDay(r.date.getTime()))).toEqual([localToday]);
    expect(rows[0]!.trainingLoad).toBeGreaterThan(0);
  });
});
