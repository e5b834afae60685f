import {
  athleteReadinessResponseSchema,
  readinessSeriesResponseSchema,
  teamReadinessResponseSchema,
} from '@athlete/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL, bearer, createTeamWith, createUser, type TestUser } from './authz/world.ts';
import { buildTestApp, type TestApp } from './helpers.ts';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('respiratory rate and skin temperature: bands and flags (services mode)', () => {
  let t: TestApp;
  let coach: TestUser;
  let ada: TestUser;
  let ben: TestUser;
  let teamId: string;
  const today = iso(Date.now());

  beforeAll(async () => {
    t = await buildTestApp();
    [coach, ada, ben] = await Promise.all([
      createUser(t.app, 'coach', 'Coach Vita'),
      createUser(t.app, 'athlete', 'Ada'),
      createUser(t.app, 'athlete', 'Ben'),
    ]);
    teamId = await createTeamWith(t.app, coach, [
      { user: ada, consent: ALL },
      { user: ben, consent: { live: true, sessions: true, wellness: false } },
    ]);
    // 40 nights: respiration 15.0–15.4 /min and skin 33.3–33.5 °C from WHOOP, Garmin's deviation
    // −0.1…+0.1 °C; the last night runs 18.2 /min, 34.5 °C and +1.0 °C, as a cold starting would.
    for (const athlete of [ada, ben]) {
      await t.app.deps.db.prisma.dailySummary.createMany({
        data: Array.from({ length: 40 }, (_, i) => {
          const last = i === 39;
          return {
            athleteId: athlete.id,
            date: new Date(Date.parse(today) - (39 - i) * DAY),
            source: 'merged' as const,
            respiratoryRate: last ? 18.2 : 15 + (i % 5) / 10,
            skinTempC: last ? 34.5 : 33.3 + (i % 3) / 10,
            skinTempDeviationC: last ? 1 : ((i % 3) - 1) / 10,
            sources: { respiratoryRate: 'whoop', skinTempC: 'whoop', skinTempDeviationC: 'garmin' },
          };
        }),
      });
    }
  });
  afterAll(async () => t?.close());

  it('serves each day with its robust band and flags the night outside it', async () => {
    const from = iso(Date.parse(today) - 9 * DAY);
    const res = await t.app.inject({
      url: `/api/v1/athletes/${ada.id}/readiness/series?from=${from}&to=${today}`,
      headers: bearer(ada.token),
    });
    expect(res.statusCode, res.body).toBe(200);
    const days = readinessSeriesResponseSchema.parse(res.json()).days;
    expect(days).toHaveLength(10);
    expect(days.slice(0, -1).every((d) => d.flags.length === 0)).toBe(true);
    const last = days.at(-1)!;
    // History: 39 nights of 15.0, 15.1 … 15.4 (8 each but 15.4 ×7): median 15.2, MAD 0.1,
    // band 15.2 ± 3 × 1.4826 × 0.1 = 14.755–15.645.
    expect(last.vitals.respiratoryRate).toMatchObject({ value: 18.2, source: 'whoop' });
    expect(last.vitals.respiratoryRate.band!.median).toBeCloseTo(15.2, 10);
    expect(last.vitals.respiratoryRate.band!.lower).toBeCloseTo(15.2 - 0.44478, 4);
    expect(last.vitals.respiratoryRate.band!.upper).toBeCloseTo(15.2 + 0.44478, 4);
    expect(last.vitals.respiratoryRate.band!.days).toBe(39);
    expect(last.vitals.skinTempC.band!.median).toBeCloseTo(33.4, 10);
    expect(last.vitals.skinTempDeviationC).toMatchObject({ value: 1, source: 'garmin' });
    expect(last.flags.map((f) => [f.metric, f.direction, f.label])).toEqual([
      ['respiratoryRate', 'high', 'Respiratory rate'],
      ['skinTempC', 'high', 'Skin temperature'],
      ['skinTempDeviationC', 'high', 'Skin temperature deviation'],
    ]);

    const today_ = await t.app.inject({
      url: `/api/v1/athletes/${ada.id}/readiness`,
      headers: bearer(ada.token),
    });
    const readiness = athleteReadinessResponseSchema.parse(today_.json()).readiness;
    expect(readiness.today.flags).toHaveLength(3);
    expect(readiness.reasons.find((r) => r.rule === 'flags')).toMatchObject({ effect: 'rest', value: 3 });
  });

  it('shows the flags to the coach only for an athlete who shares wellness', async () => {
    const res = await t.app.inject({
      url: `/api/v1/teams/${teamId}/readiness?date=${today}`,
      headers: bearer(coach.token),
    });
    expect(res.statusCode, res.body).toBe(200);
    const rows = teamReadinessResponseSchema.parse(res.json()).athletes;
    const shared = rows.find((r) => r.athleteId === ada.id)!;
    expect(shared.readiness!.today.flags.map((f) => f.metric)).toEqual([
      'respiratoryRate',
      'skinTempC',
      'skinTempDeviationC',
    ]);
    expect(shared.readiness!.today.vitals.respiratoryRate.value).toBe(18.2);
    const hidden = rows.find((r) => r.athleteId === ben.id)!;
    expect(hidden).toMatchObject({ shared: false, readiness: null });
    const refused = await t.app.inject({
      url: `/api/v1/athletes/${ben.id}/readiness/series`,
      headers: bearer(coach.token),
    });
    expect(refused.statusCode).toBe(403);
  });
});
