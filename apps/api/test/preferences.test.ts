import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createUser } from './authz/world.ts';
import { buildTestApp, type TestApp } from './helpers.ts';

describe('display preferences: units and time zone', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t?.close());

  const put = (token: string, payload: unknown) =>
    t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/preferences',
      headers: bearer(token),
      payload: payload as object,
    });
  const me = async (token: string) =>
    (await t.app.inject({ url: '/api/v1/me', headers: bearer(token) })).json().user;

  it('starts metric in the browser zone and round-trips both fields, for coaches too', async () => {
    for (const role of ['athlete', 'coach'] as const) {
      const u = await createUser(t.app, role);
      expect((await me(u.token)).preferences).toEqual({ units: 'metric', timeZone: null });

      const set = await put(u.token, { units: 'imperial', timeZone: 'america/new_york' });
      expect(set.statusCode).toBe(200);
      // Stored as Intl spells it, so every reader agrees on the name.
      expect(set.json().preferences).toEqual({ units: 'imperial', timeZone: 'America/New_York' });
      expect((await me(u.token)).preferences).toEqual({ units: 'imperial', timeZone: 'America/New_York' });

      // A field left out stays; null hands times back to the browser's zone.
      const back = await put(u.token, { timeZone: null });
      expect(back.json().preferences).toEqual({ units: 'imperial', timeZone: null });
      expect((await me(u.token)).preferences).toEqual({ units: 'imperial', timeZone: null });
    }
  });

  it('refuses an unknown time zone or unit system, naming the field in words', async () => {
    const u = await createUser(t.app, 'athlete');
    await put(u.token, { units: 'imperial', timeZone: 'Europe/Berlin' });

    const zone = await put(u.token, { timeZone: 'Mars/Olympus_Mons' });
    expect(zone.statusCode).toBe(400);
    expect(zone.json().error.message).toMatch(/^Time zone “Mars\/Olympus_Mons” is not one we know/);
    expect(zone.json().error.details).toEqual([
      {
        field: 'body.timeZone',
        message: 'must be a time zone name such as Europe/London or America/New_York',
      },
    ]);

    const units = await put(u.token, { units: 'nautical' });
    expect(units.statusCode).toBe(400);
    expect(units.json().error.details).toEqual([
      { field: 'body.units', message: 'must be metric or imperial' },
    ]);

    const extra = await put(u.token, { units: 'metric', locale: 'en-GB' });
    expect(extra.statusCode).toBe(400);

    // Nothing refused was stored.
    expect((await me(u.token)).preferences).toEqual({ units: 'imperial', timeZone: 'Europe/Berlin' });
  });

  it('needs a signed-in user', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/preferences',
      payload: { units: 'metric' },
    });
    expect(res.statusCode).toBe(401);
  });
});
