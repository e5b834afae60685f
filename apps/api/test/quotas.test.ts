import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers.ts';
import { createLiveWorld, type LiveWorld } from './live-fixtures.ts';

/** Issue #12.9: the expensive operations have a per-user hourly budget. */
describe('per-user hourly budgets', () => {
  let t: TestApp;
  let w: LiveWorld;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await buildTestApp({
      mode: 'embedded',
      overrides: { EXPORTS_PER_HOUR: 1, IMPORTS_PER_HOUR: 1, DEVICES_PER_HOUR: 2, INVITES_PER_HOUR: 1 },
    });
    w = await createLiveWorld(t.app.deps);
  });
  afterAll(async () => t?.close());

  function expectSpent(
    res: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
    what: RegExp,
  ) {
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    const body = res.json() as { error: { code: string; message: string } };
    expect(body.error.code).toBe('RATE_LIMITED');
    expect(body.error.message).toMatch(what);
    expect(body.error.message).toMatch(/try again in \d+ minutes?/);
  }

  it('refuses an account export beyond the budget with 429 and Retry-After; others are not affected', async () => {
    const first = await t.app.inject({ url: '/api/v1/me/export', headers: auth(w.a1.token) });
    expect(first.statusCode).toBe(200);
    expectSpent(
      await t.app.inject({ url: '/api/v1/me/export', headers: auth(w.a1.token) }),
      /At most 1 account exports per hour/,
    );
    expect((await t.app.inject({ url: '/api/v1/me/export', headers: auth(w.a2.token) })).statusCode).toBe(
      200,
    );
  });

  it('counts device keys, invites and imports per user', async () => {
    const device = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/devices',
        headers: auth(w.a2.token),
        payload: { name: 'Strap' },
      });
    expect((await device()).statusCode).toBe(201);
    expect((await device()).statusCode).toBe(201);
    expectSpent(await device(), /At most 2 new devices per hour/);
    // A refused body spends nothing: validation comes first.
    const invalid = await t.app.inject({
      method: 'POST',
      url: `/api/v1/teams/${w.teamId}/invites`,
      headers: auth(w.coach.token),
      payload: { email: 'not an address' },
    });
    expect(invalid.statusCode).toBe(400);
    const invite = (email: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/teams/${w.teamId}/invites`,
        headers: auth(w.coach.token),
        payload: { email, sendEmail: false },
      });
    expect((await invite('one@example.com')).statusCode).toBe(201);
    expectSpent(await invite('two@example.com'), /At most 1 invites per hour/);
    // An upload the route refuses still cost its parse: the next one is over budget.
    const upload = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/imports',
        headers: auth(w.a1.token),
        payload: { file: 'x' },
      });
    expect((await upload()).statusCode).toBe(415);
    expectSpent(await upload(), /At most 1 file imports per hour/);
  });
});
