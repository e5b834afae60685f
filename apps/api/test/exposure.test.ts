import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers.ts';
import { createUser } from './live-fixtures.ts';

/** Issue #12.11: what the API shows to whom, and the headers on what it serves. */
describe('exposure of /metrics and /docs, and response headers', () => {
  let dev: TestApp;
  let prod: TestApp;
  let token: string;

  beforeAll(async () => {
    dev = await buildTestApp();
    prod = await buildTestApp({
      overrides: {
        NODE_ENV: 'production',
        TOKEN_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
      },
    });
    token = (await createUser(prod.app.deps, 'athlete')).token;
  });
  afterAll(async () => {
    await prod?.close();
    await dev?.close();
  });

  it('serves /metrics to loopback and private peers only, unless made public', async () => {
    const from = (remoteAddress: string) => dev.app.inject({ url: '/metrics', remoteAddress });
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.5',
      '192.168.1.9',
      '::1',
      '::ffff:10.0.0.7',
      'fd00::5',
    ])
      expect((await from(ip)).statusCode, ip).toBe(200);
    for (const ip of ['203.0.113.9', '8.8.8.8', '2001:db8::1', '::ffff:198.51.100.4'])
      expect((await from(ip)).statusCode, ip).toBe(404);
    // Behind a trusted proxy the client's forwarded address decides, not the proxy's.
    const forwarded = await dev.app.inject({
      url: '/metrics',
      remoteAddress: '10.0.0.2',
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    expect(forwarded.statusCode).toBe(404);
    const open = await buildTestApp({ overrides: { METRICS_PUBLIC: true } });
    try {
      expect((await open.app.inject({ url: '/metrics', remoteAddress: '203.0.113.9' })).statusCode).toBe(200);
    } finally {
      await open.close();
    }
  });

  it('keeps /docs for signed-in users in production, open in development', async () => {
    expect((await dev.app.inject({ url: '/docs/json' })).statusCode).toBe(200);
    const anonymous = await prod.app.inject({ url: '/docs/json' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toEqual({
      error: { code: 'UNAUTHENTICATED', message: 'Sign in to read the API documentation' },
    });
    expect((await prod.app.inject({ url: '/docs' })).statusCode).toBe(401);
    const signedIn = await prod.app.inject({
      url: '/docs/json',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().openapi).toBe('3.1.0');
  });

  it('forbids framing, limits browser features, and keeps signed-in answers out of caches', async () => {
    const me = await prod.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.headers['x-frame-options']).toBe('DENY');
    expect(me.headers['permissions-policy']).toMatch(/bluetooth=\(self\)/);
    expect(me.headers['permissions-policy']).toMatch(/camera=\(\)/);
    expect(me.headers['cache-control']).toBe('private, no-store');
    // Public answers may be cached as their routes say.
    const health = await prod.app.inject({ url: '/healthz' });
    expect(health.headers['cache-control']).not.toBe('private, no-store');
    expect(health.headers['x-frame-options']).toBe('DENY');
  });
});
