import { Writable } from 'node:stream';
import { LOGIN_LIMITS, loginThrottleKey } from '@athlete/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loggerOptions } from '../src/logger.ts';
import { bearer, createUser, newToken } from './authz/world.ts';
import { buildTestApp, type TestApp } from './helpers.ts';

const ORIGIN = 'https://app.example.test';

function cookiesOf(res: {
  cookies: Array<{ name: string; value: string; httpOnly?: boolean; sameSite?: string }>;
}) {
  return Object.fromEntries(res.cookies.map((c) => [c.name, c]));
}

describe('accounts and sessions (services mode)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ overrides: { CORS_ORIGINS: ORIGIN, BODY_LIMIT_BYTES: 4096 } });
  });
  afterAll(async () => t?.close());

  const register = (body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: body });
  const login = (email: string, password: string, ip = '10.0.0.1') =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password },
      remoteAddress: ip,
    });

  it('registers, signs in and answers /me with a Bearer token', async () => {
    const res = await register({
      email: ' Ada@Example.TEST ',
      password: 'correct horse battery',
      name: 'Ada',
      role: 'athlete',
    });
    expect(res.statusCode).toBe(201);
    const { user, token } = res.json();
    expect(user).toMatchObject({ email: 'ada@example.test', name: 'Ada', role: 'athlete', disabled: false });
    expect(token).toMatch(/^aps_[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(res.json())).not.toContain('passwordHash');

    const me = await t.app.inject({ url: '/api/v1/me', headers: bearer(token) });
    expect(me.statusCode).toBe(200);
    expect(me.json().user).toMatchObject({ id: user.id, role: 'athlete', memberships: [] });
    expect(me.json().user.profile).toMatchObject({
      zonesDerived: true,
      hrMaxSource: 'default',
      effectiveHrMax: 190,
    });

    const stored = await t.app.deps.db.query<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE id = $1',
      [user.id],
    );
    expect(stored[0]?.password_hash).toMatch(/^scrypt1\$N=32768,r=8,p=1\$[\w-]{22}\$[\w-]{43}$/);
    const sessions = await t.app.deps.db.query<{ token_hash: string }>(
      'SELECT token_hash FROM auth_sessions WHERE user_id = $1',
      [user.id],
    );
    expect(sessions[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(sessions.some((s) => s.token_hash.includes(token))).toBe(false);
  });

  it('refuses bad registrations naming the field, and duplicate emails', async () => {
    const short = await register({ email: 'b@example.test', password: 'short', name: 'B', role: 'athlete' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.code).toBe('VALIDATION_ERROR');
    expect(short.json().error.message).toContain('body.password');
    const email = await register({
      email: 'not-an-email',
      password: 'long enough pw',
      name: 'B',
      role: 'athlete',
    });
    expect(email.json().error.message).toContain('body.email');
    const admin = await register({
      email: 'c@example.test',
      password: 'long enough pw',
      name: 'C',
      role: 'admin',
    });
    expect(admin.statusCode).toBe(400);
    expect(admin.json().error.message).toContain('body.role');
    const long = await register({
      email: 'd@example.test',
      password: 'x'.repeat(201),
      name: 'D',
      role: 'coach',
    });
    expect(long.json().error.message).toContain('body.password');

    await register({ email: 'dup@example.test', password: 'long enough pw', name: 'Dup', role: 'coach' });
    const dup = await register({
      email: 'DUP@example.test',
      password: 'another long pw',
      name: 'Dup2',
      role: 'athlete',
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('EMAIL_TAKEN');
  });

  it('refuses passwords a guessing attack finds first: common ones, variants, blanks, the own email', async () => {
    const attempt = (password: string, email = `p${Math.random().toString(36).slice(2, 8)}@example.test`) =>
      register({ email, password, name: 'Pat Doe', role: 'athlete' });
    for (const password of ['password12', 'qwertyuiop', '1234567890', 'iloveyou123', 'Password123!']) {
      const res = await attempt(password);
      expect(res.statusCode, password).toBe(400);
      expect(res.json().error.details).toEqual([
        { field: 'body.password', message: expect.stringMatching(/^is too easy to guess/) },
      ]);
    }
    const blank = await attempt(' '.repeat(12));
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.message).toContain('must not be only spaces');
    const own = await attempt('quentin.marsh.runner', 'quentin.marsh.runner@example.test');
    expect(own.statusCode).toBe(400);
    expect(own.json().error.details[0].message).toBe('is too close to your email or name');
    // A phrase of a few unrelated words is fine; nothing was stored for the refused ones.
    expect((await attempt('copper lantern orbit')).statusCode).toBe(201);
    const stored = await t.app.deps.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM users WHERE name = 'Pat Doe'",
    );
    expect(stored[0]!.n).toBe(1);
  });

  it('logs in with a session cookie and a readable CSRF cookie; unknown email and wrong password look alike', async () => {
    const u = await createUser(t.app, 'coach');
    const res = await login(u.email.toUpperCase(), u.password);
    expect(res.statusCode).toBe(200);
    const c = cookiesOf(res);
    expect(c.ap_session?.value).toBe(res.json().token);
    expect(c.ap_session?.httpOnly).toBe(true);
    expect(c.ap_session?.sameSite).toBe('Lax');
    expect(c.ap_csrf?.httpOnly).toBeFalsy();
    expect(res.headers['set-cookie']?.toString()).not.toMatch(/Secure/);

    const wrong = await login(u.email, 'not the password');
    const unknown = await login('nobody@example.test', 'not the password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
  });

  it('requires the CSRF header for state changes made with the cookie, and checks Origin; Bearer is exempt', async () => {
    const u = await createUser(t.app, 'athlete');
    const res = await login(u.email, u.password);
    const c = cookiesOf(res);
    const cookies = { ap_session: c.ap_session!.value, ap_csrf: c.ap_csrf!.value };

    expect((await t.app.inject({ url: '/api/v1/me', cookies })).statusCode).toBe(200);
    const noHeader = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', cookies });
    expect(noHeader.statusCode).toBe(403);
    expect(noHeader.json().error.code).toBe('CSRF_FAILED');
    const wrongHeader = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      cookies,
      headers: { 'x-csrf-token': 'nope' },
    });
    expect(wrongHeader.json().error.code).toBe('CSRF_FAILED');
    const evil = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/profile',
      cookies,
      headers: { 'x-csrf-token': cookies.ap_csrf, origin: 'https://evil.example' },
      payload: { hrMax: 180 },
    });
    expect(evil.statusCode).toBe(403);
    expect(evil.json().error.code).toBe('CSRF_FAILED');
    const allowed = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/profile',
      cookies,
      headers: { 'x-csrf-token': cookies.ap_csrf, origin: ORIGIN },
      payload: { hrMax: 180 },
    });
    expect(allowed.statusCode).toBe(200);

    const viaBearer = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/profile',
      headers: bearer(u.token),
      payload: { hrMax: 181 },
    });
    expect(viaBearer.statusCode).toBe(200);

    const out = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      cookies,
      headers: { 'x-csrf-token': cookies.ap_csrf },
    });
    expect(out.statusCode).toBe(200);
    expect(cookiesOf(out).ap_session?.value).toBe('');
    expect((await t.app.inject({ url: '/api/v1/me', cookies })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/me', headers: bearer(res.json().token) })).statusCode).toBe(
      401,
    );
    // Other sessions of the same user live on.
    expect((await t.app.inject({ url: '/api/v1/me', headers: bearer(u.token) })).statusCode).toBe(200);
  });

  it('refuses expired, revoked and malformed tokens with 401', async () => {
    const u = await createUser(t.app, 'athlete');
    const token = await newToken(t.app, u.id);
    await t.app.deps.db.query(
      "UPDATE auth_sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1",
      [u.id],
    );
    const res = await t.app.inject({ url: '/api/v1/me', headers: bearer(token) });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
    expect(
      (await t.app.inject({ url: '/api/v1/me', headers: { authorization: 'Bearer aps_forged' } })).statusCode,
    ).toBe(401);
    expect(
      (await t.app.inject({ url: '/api/v1/me', headers: { authorization: 'Basic abc' } })).statusCode,
    ).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/me' })).statusCode).toBe(401);
  });

  it('records lastUsedAt at most once a minute', async () => {
    const u = await createUser(t.app, 'coach');
    const longAgo = new Date(Date.now() - 5 * 60_000);
    await t.app.deps.db.query('UPDATE auth_sessions SET last_used_at = $2 WHERE user_id = $1', [
      u.id,
      longAgo,
    ]);
    const lastUsed = async () =>
      (
        await t.app.deps.db.query<{ last_used_at: Date }>(
          'SELECT last_used_at FROM auth_sessions WHERE user_id = $1',
          [u.id],
        )
      )[0]!.last_used_at;
    await t.app.inject({ url: '/api/v1/me', headers: bearer(u.token) });
    await expect
      .poll(async () => (await lastUsed()).getTime(), { timeout: 2000 })
      .toBeGreaterThan(longAgo.getTime());
    const first = await lastUsed();
    await t.app.inject({ url: '/api/v1/me', headers: bearer(u.token) });
    await new Promise((r) => setTimeout(r, 100));
    expect((await lastUsed()).getTime()).toBe(first.getTime());
  });

  it("throttles login per (account, address): a stranger's guesses lock out only the stranger, in Redis", async () => {
    const u = await createUser(t.app, 'athlete');
    const stranger = '198.51.100.23';
    for (let i = 0; i < LOGIN_LIMITS.perAccountAddress.limit; i++)
      expect((await login(u.email, `wrong password ${i}`, stranger)).statusCode).toBe(401);
    const blocked = await login(u.email, u.password, stranger);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('RATE_LIMITED');
    // The oldest attempt leaves the 15-minute window in just under 15 minutes.
    expect(blocked.json().error.message).toBe('Too many sign-in attempts; try again in 15 minutes');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    expect(t.app.deps.platform.mode).toBe('services');
    // The owner, from their own address, still signs in.
    expect((await login(u.email, u.password, '10.2.0.1')).statusCode).toBe(200);
    // Other accounts from the stranger's address are unaffected by that pair's budget.
    const v = await createUser(t.app, 'athlete');
    expect((await login(v.email, v.password, stranger)).statusCode).toBe(200);
  });

  it('a successful sign-in gives the (account, address) pair its whole budget back', async () => {
    const u = await createUser(t.app, 'athlete');
    const address = '10.3.0.1';
    const { limit, windowMs } = LOGIN_LIMITS.perAccountAddress;
    const key = loginThrottleKey.accountAddress(u.email, address);
    // Spend the budget directly: a real wrong attempt costs one scrypt hash (~0.2 s here).
    for (let i = 0; i < limit - 1; i++) await t.app.deps.platform.rateLimiter.consume(key, limit, windowMs);
    expect((await login(u.email, u.password, address)).statusCode).toBe(200);
    for (let i = 0; i < limit - 1; i++) await t.app.deps.platform.rateLimiter.consume(key, limit, windowMs);
    // Without the reset this would be attempt 2 × limit: refused.
    expect((await login(u.email, 'wrong password', address)).statusCode).toBe(401);
    expect((await login(u.email, u.password, address)).statusCode).toBe(429);
  });

  it('throttles login per client address; a forged X-Forwarded-For from an untrusted peer changes nothing', async () => {
    const u = await createUser(t.app, 'athlete');
    const address = '203.0.113.7';
    const { limit, windowMs } = LOGIN_LIMITS.perAddress;
    // Spend the address's budget directly: a real attempt costs one scrypt hash (~0.2 s here).
    for (let i = 0; i < limit; i++)
      await t.app.deps.platform.rateLimiter.consume(loginThrottleKey.address(address), limit, windowMs);

    const blocked = await login(u.email, u.password, address);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('RATE_LIMITED');
    const forged = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: u.email, password: u.password },
      remoteAddress: address,
      headers: { 'x-forwarded-for': '198.51.100.1' },
    });
    expect(forged.statusCode).toBe(429);
    // The same account from another address is not held back by that address's budget.
    expect((await login(u.email, u.password, '203.0.113.8')).statusCode).toBe(200);
    // Behind a trusted proxy (private network) the forwarded client address is the one throttled.
    const proxied = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: u.email, password: u.password },
      remoteAddress: '10.9.0.2',
      headers: { 'x-forwarded-for': address },
    });
    expect(proxied.statusCode).toBe(429);
  });

  it('sends security headers, CORS only for configured origins, and a 413 envelope past the body limit', async () => {
    const res = await t.app.inject({ url: '/healthz' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    // The installable web app: its service worker and manifest come from this origin.
    expect(res.headers['content-security-policy']).toContain("worker-src 'self'");
    expect(res.headers['content-security-policy']).toContain("manifest-src 'self'");
    expect(res.headers['x-frame-options']).toBe('DENY');

    const preflight = (origin: string) =>
      t.app.inject({
        method: 'OPTIONS',
        url: '/api/v1/auth/login',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    expect((await preflight(ORIGIN)).headers['access-control-allow-origin']).toBe(ORIGIN);
    expect((await preflight('https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();

    const big = await register({
      email: 'big@example.test',
      password: 'long enough pw',
      name: 'x'.repeat(5000),
      role: 'athlete',
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('keeps passwords, tokens and keys out of the logs', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const logged = await buildApp({
      config: t.config,
      logger: { ...(loggerOptions(t.config) as object), level: 'trace', stream },
    });
    await logged.ready();
    try {
      const password = 'a very secret password';
      const reg = await logged.inject({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: { email: 'logs@example.test', password, name: 'Logs', role: 'athlete' },
      });
      const lg = await logged.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'logs@example.test', password },
      });
      const token = lg.json().token as string;
      const csrf = cookiesOf(lg).ap_csrf!.value;
      const dev = await logged.inject({
        method: 'POST',
        url: '/api/v1/devices',
        headers: bearer(token),
        payload: { name: 'strap' },
      });
      const key = dev.json().key as string;
      expect(key).toMatch(/^apk_/);
      await logged.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(key) });
      await logged.inject({
        method: 'GET',
        url: `/api/v1/me?token=${token}`,
        cookies: { ap_session: token, ap_csrf: csrf },
      });
      await logged.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { ...bearer('aps_wrong-token-value') },
      });
      const text = lines.join('');
      expect(lines.length).toBeGreaterThan(5);
      for (const secret of [
        password,
        token,
        reg.json().token as string,
        key,
        csrf,
        'aps_wrong-token-value',
      ]) {
        expect(text).not.toContain(secret);
      }
    } finally {
      await logged.close();
    }
  });
});

describe('accounts smoke (embedded mode)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ mode: 'embedded' });
  });
  afterAll(async () => t?.close());

  it('throttles login per (account, address) with the in-process limiter', async () => {
    const body = {
      email: 'emb.throttle@example.test',
      password: 'embedded password',
      name: 'Emb',
      role: 'coach',
    };
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: body });
    const stranger = '198.51.100.40';
    const { limit, windowMs } = LOGIN_LIMITS.perAccountAddress;
    const key = loginThrottleKey.accountAddress(body.email, stranger);
    for (let i = 0; i < limit; i++) await t.app.deps.platform.rateLimiter.consume(key, limit, windowMs);
    const signIn = (remoteAddress: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: body.email, password: body.password },
        remoteAddress,
      });
    const blocked = await signIn(stranger);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.message).toBe('Too many sign-in attempts; try again in 15 minutes');
    expect((await signIn('10.4.0.1')).statusCode).toBe(200);
    expect(t.app.deps.platform.mode).toBe('embedded');
  });

  it('registers, logs in and answers /me on PGlite with in-process adapters', async () => {
    const body = { email: 'emb@example.test', password: 'embedded password', name: 'Emb', role: 'coach' };
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: body })).statusCode,
    ).toBe(201);
    const lg = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: body.email, password: body.password },
    });
    expect(lg.statusCode).toBe(200);
    const me = await t.app.inject({ url: '/api/v1/me', cookies: { ap_session: lg.json().token } });
    expect(me.json().user).toMatchObject({ email: body.email, role: 'coach', profile: null });
    expect(t.app.deps.db.kind).toBe('pglite');
  });
});
