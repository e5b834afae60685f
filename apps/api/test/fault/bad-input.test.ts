import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createUser, type TestUser } from '../authz/world.ts';
import { buildTestApp, type TestApp } from '../helpers.ts';

/** #12.6: inputs Postgres or Date cannot hold answered 500; each must be a 400 naming its field. */
describe('bad input is a 400 naming the field (#12.6)', () => {
  let t: TestApp;
  let coach: TestUser;
  let athlete: TestUser;
  let admin: TestUser;
  beforeAll(async () => {
    t = await buildTestApp();
    [coach, athlete, admin] = await Promise.all([
      createUser(t.app, 'coach'),
      createUser(t.app, 'athlete'),
      createUser(t.app, 'admin'),
    ]);
  });
  afterAll(async () => t?.close());

  const expect400 = (
    res: { statusCode: number; json(): { error: { code: string; message: string } } },
    field: string,
  ) => {
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_ERROR');
    expect(res.json().error.message).toContain(field);
  };

  it('refuses NUL in a team, device or registration name', async () => {
    expect400(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/teams',
        headers: bearer(coach.token),
        payload: { name: 'A\u0000B' },
      }),
      'body.name',
    );
    expect400(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/devices',
        headers: bearer(athlete.token),
        payload: { name: '\u0000' },
      }),
      'body.name',
    );
    expect400(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: {
          email: 'nul@example.test',
          password: 'a sound passphrase 42',
          name: 'N\u0000',
          role: 'athlete',
        },
      }),
      'body.name',
    );
    expect(await t.app.deps.db.prisma.user.count({ where: { email: 'nul@example.test' } })).toBe(0);
  });

  it('refuses NUL in the admin search', async () => {
    expect400(
      await t.app.inject({ url: '/api/v1/admin/users?q=%00', headers: bearer(admin.token) }),
      'querystring.q',
    );
    const ok = await t.app.inject({ url: '/api/v1/admin/users?q=ath', headers: bearer(admin.token) });
    expect(ok.statusCode).toBe(200);
  });

  it('refuses a date outside the calendar the database keeps', async () => {
    for (const from of ['0000-01-01', '0000-01-01T00:00:00Z', '-000001-01-01']) {
      expect400(
        await t.app.inject({
          url: `/api/v1/athletes/${athlete.id}/sessions?from=${from}`,
          headers: bearer(athlete.token),
        }),
        'querystring.from',
      );
    }
    expect400(
      await t.app.inject({
        url: `/api/v1/athletes/${athlete.id}/daily?to=0000-01-01`,
        headers: bearer(athlete.token),
      }),
      'querystring.to',
    );
    const ok = await t.app.inject({
      url: `/api/v1/athletes/${athlete.id}/sessions?from=2020-01-01`,
      headers: bearer(athlete.token),
    });
    expect(ok.statusCode).toBe(200);
  });

  it('refuses a cursor whose time is not a date', async () => {
    const forged = Buffer.from(JSON.stringify([9e15, '00000000-0000-4000-8000-000000000000'])).toString(
      'base64url',
    );
    expect400(
      await t.app.inject({
        url: `/api/v1/athletes/${athlete.id}/sessions?cursor=${forged}`,
        headers: bearer(athlete.token),
      }),
      'querystring.cursor',
    );
  });
});
