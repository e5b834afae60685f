import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createUser, newToken } from './authz/world.ts';
import { buildTestApp, type TestApp } from './helpers.ts';

describe('account basics: display name and password', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => t?.close());

  const login = (email: string, password: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password },
      remoteAddress: '10.7.0.1',
    });

  it('renames the account; an empty name is refused naming the field', async () => {
    const u = await createUser(t.app, 'coach');
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: bearer(u.token),
      payload: { name: '  Morgan Field  ' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().user.name).toBe('Morgan Field');
    const me = await t.app.inject({ url: '/api/v1/me', headers: bearer(u.token) });
    expect(me.json().user.name).toBe('Morgan Field');
    const empty = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: bearer(u.token),
      payload: { name: ' ' },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.details).toEqual([{ field: 'body.name', message: 'is required' }]);
    const email = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: bearer(u.token),
      payload: { name: 'X', email: 'x@y.test' },
    });
    expect(email.statusCode).toBe(400);
  });

  it('changes the password after checking the current one and signs out the other sessions', async () => {
    const u = await createUser(t.app, 'athlete');
    const other = await newToken(t.app, u.id);
    const change = (currentPassword: string, newPassword: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/me/password',
        headers: bearer(u.token),
        payload: { currentPassword, newPassword },
      });

    const wrong = await change('not the password', 'a brand new password');
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.details).toEqual([
      { field: 'body.currentPassword', message: 'does not match your password' },
    ]);
    const short = await change(u.password, 'short');
    expect(short.statusCode).toBe(400);
    expect(short.json().error.details).toEqual([
      { field: 'body.newPassword', message: 'must be at least 10 characters' },
    ]);
    // Neither refusal changed anything.
    expect((await login(u.email, u.password)).statusCode).toBe(200);

    expect((await change(u.password, 'a brand new password')).statusCode).toBe(200);
    expect((await login(u.email, u.password)).statusCode).toBe(401);
    expect((await login(u.email, 'a brand new password')).statusCode).toBe(200);
    // The session that changed it stays; every other one is signed out.
    expect((await t.app.inject({ url: '/api/v1/me', headers: bearer(u.token) })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/me', headers: bearer(other) })).statusCode).toBe(401);
  });
});
