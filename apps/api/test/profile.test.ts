import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createUser, type TestUser } from './authz/world.ts';
import { buildTestApp, type TestApp } from './helpers.ts';

describe('athlete profile (services mode)', () => {
  let t: TestApp;
  let athlete: TestUser;
  beforeAll(async () => {
    t = await buildTestApp();
    athlete = await createUser(t.app, 'athlete');
  });
  afterAll(async () => t?.close());

  const put = (payload: object) =>
    t.app.inject({ method: 'PUT', url: '/api/v1/me/profile', headers: bearer(athlete.token), payload });

  it('derives HR max and zones from what is known, keeps edited zones, and reverts to derived on null', async () => {
    const blank = await t.app.inject({ url: '/api/v1/me/profile', headers: bearer(athlete.token) });
    expect(blank.json().profile).toMatchObject({ hrMax: null, effectiveHrMax: 190, hrMaxSource: 'default' });

    const year = new Date().getUTCFullYear();
    const est = await put({ birthYear: year - 40, sex: 'female', weightKg: 61.5 });
    expect(est.json().profile).toMatchObject({
      hrMax: null,
      effectiveHrMax: 180,
      hrMaxSource: 'estimated',
      zonesDerived: true,
    });
    expect(est.json().profile.hrZones).toEqual([108, 126, 144, 162, 180]);

    const set = await put({ hrMax: 190, hrRest: 50 });
    expect(set.json().profile).toMatchObject({
      effectiveHrMax: 190,
      hrMaxSource: 'profile',
      hrZones: [134, 148, 162, 176, 190],
    });

    const custom = await put({ hrZones: [120, 140, 155, 170, 195] });
    expect(custom.json().profile).toMatchObject({ hrZones: [120, 140, 155, 170, 195], zonesDerived: false });
    expect(
      (await t.app.inject({ url: '/api/v1/me/profile', headers: bearer(athlete.token) })).json().profile
        .hrZones,
    ).toEqual([120, 140, 155, 170, 195]);
    const reverted = await put({ hrZones: null });
    expect(reverted.json().profile).toMatchObject({
      zonesDerived: true,
      hrZones: [134, 148, 162, 176, 190],
      sex: 'female',
      weightKg: 61.5,
    });
  });

  it('stores threshold overrides and source precedence; refuses bad values naming the field without changing anything', async () => {
    const ok = await put({
      thresholds: { hrAbovePctMax: 0.9, hrBelow: 38 },
      sourcePrecedence: ['garmin', 'whoop'],
    });
    expect(ok.json().profile).toMatchObject({
      thresholds: { hrAbovePctMax: 0.9, hrBelowBpm: 38 },
      sourcePrecedence: ['garmin', 'whoop'],
    });

    const cases: Array<[object, string]> = [
      [{ hrZones: [120, 110, 150, 160, 170] }, 'body.hrZones'],
      [{ hrZones: [120, 130] }, 'body.hrZones'],
      [{ hrRest: 195 }, 'body.hrRest'],
      [{ thresholds: { hrAbovePctMax: 5 } }, 'body.thresholds.hrAbovePctMax'],
      [{ sourcePrecedence: ['garmin', 'garmin'] }, 'body.sourcePrecedence'],
      [{ weightKg: 'heavy' }, 'body.weightKg'],
      [{ colour: 'red' }, 'body'],
    ];
    for (const [payload, field] of cases) {
      const res = await put(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.message).toContain(field);
    }
    const after = (await t.app.inject({ url: '/api/v1/me/profile', headers: bearer(athlete.token) })).json()
      .profile;
    expect(after).toMatchObject({
      hrMax: 190,
      hrRest: 50,
      zonesDerived: true,
      thresholds: { hrAbovePctMax: 0.9 },
      sourcePrecedence: ['garmin', 'whoop'],
    });
    const cleared = await put({ thresholds: null });
    expect(cleared.json().profile.thresholds).toBeNull();
  });
});
