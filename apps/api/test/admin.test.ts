import { ACCESS_CHANGED_CHANNEL, resolvePrincipal } from '@athlete/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createPersonalKey, createUser } from './authz/world.ts';
import { buildTestApp, type TestApp } from './helpers.ts';

describe('admin (services mode)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t?.close());

  it('pages and searches users', async () => {
    const admin = await createUser(t.app, 'admin');
    await Promise.all([1, 2, 3].map((i) => createUser(t.app, 'athlete', `Pager${i}`)));
    const page1 = await t.app.inject({ url: '/api/v1/admin/users?pageSize=2', headers: bearer(admin.token) });
    expect(page1.json()).toMatchObject({ page: 1, pageSize: 2, total: 4 });
    expect(page1.json().users).toHaveLength(2);
    const page2 = await t.app.inject({
      url: '/api/v1/admin/users?pageSize=2&page=2',
      headers: bearer(admin.token),
    });
    const ids = [...page1.json().users, ...page2.json().users].map((u: { id: string }) => u.id);
    expect(new Set(ids).size).toBe(4);
    const search = await t.app.inject({ url: '/api/v1/admin/users?q=PAGER2', headers: bearer(admin.token) });
    expect(search.json().users.map((u: { name: string }) => u.name)).toEqual(['Pager2']);
    expect(search.body).not.toContain('password');
    // createUser signs in, so every listed account has a last use and a creation time.
    for (const u of search.json().users) {
      expect(Date.parse(u.lastSeenAt)).toBeGreaterThan(0);
      expect(Date.parse(u.createdAt)).toBeGreaterThan(0);
    }
    const bad = await t.app.inject({ url: '/api/v1/admin/users?pageSize=0', headers: bearer(admin.token) });
    expect(bad.json().error.message).toContain('querystring.pageSize');
  });

  it('disables an account: sessions and keys stop at once, login is refused, and it is announced; enable restores keys', async () => {
    const admin = await createUser(t.app, 'admin');
    const athlete = await createUser(t.app, 'athlete');
    const { key } = await createPersonalKey(t.app, athlete);
    const seen: unknown[] = [];
    const unsubscribe = await t.app.deps.platform.pubsub.subscribe(ACCESS_CHANGED_CHANNEL, (m) =>
      seen.push(JSON.parse(m.toString())),
    );

    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/users/${athlete.id}/disable`,
      headers: bearer(admin.token),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ id: athlete.id, disabled: true });
    expect((await t.app.inject({ url: '/api/v1/me', headers: bearer(athlete.token) })).statusCode).toBe(401);
    expect(await resolvePrincipal({ deps: t.app.deps, credential: key, via: 'bearer' })).toBeNull();
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: athlete.email, password: athlete.password },
    });
    expect(login.statusCode).toBe(403);
    expect(login.json().error.code).toBe('ACCOUNT_DISABLED');
    await expect.poll(() => seen).toContainEqual({ userId: athlete.id, athleteId: athlete.id });
    await unsubscribe();

    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/admin/users/${admin.id}/disable`,
          headers: bearer(admin.token),
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/admin/users/${crypto.randomUUID()}/disable`,
          headers: bearer(admin.token),
        })
      ).statusCode,
    ).toBe(404);

    const enabled = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/users/${athlete.id}/enable`,
      headers: bearer(admin.token),
    });
    expect(enabled.json().user.disabled).toBe(false);
    expect(await resolvePrincipal({ deps: t.app.deps, credential: key, via: 'bearer' })).not.toBeNull();
    // Sessions revoked by disabling stay revoked; signing in works again.
    expect((await t.app.inject({ url: '/api/v1/me', headers: bearer(athlete.token) })).statusCode).toBe(401);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: athlete.email, password: athlete.password },
    });
    expect(again.statusCode).toBe(200);
  });
});
