import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildTestApp, type TestApp } from '../helpers.ts';
import { call, type RunningNginx, spaDist, startNginx } from './nginx-harness.ts';

/**
 * The production edge (nginx/) in front of a running api: Debian's nginx on loopback with the
 * project's configuration, a throwaway certificate, the SPA and the api's real port.
 */
describe('nginx edge in front of the api', () => {
  let t: TestApp;
  let nginx: RunningNginx;
  let dist: ReturnType<typeof spaDist>;
  let base: string;

  beforeAll(async () => {
    dist = spaDist();
    t = await buildTestApp({ mode: 'services' });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const apiPort = (t.app.server.address() as { port: number }).port;
    nginx = await startNginx({ apiPort, webRoot: dist.dir });
    base = `https://localhost:${nginx.httpsPort}`;
  });
  afterAll(async () => {
    await nginx?.stop();
    await t?.close();
    dist?.cleanup();
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    call(`${base}${path}`, { ca: nginx.cert, headers });

  it('redirects plain HTTP to HTTPS, keeping the path and query', async () => {
    const res = await call(`http://127.0.0.1:${nginx.httpPort}/coach/live?team=1`, {
      headers: { host: 'localhost' },
    });
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('https://localhost/coach/live?team=1');
  });

  it('serves the SPA over TLS with security headers; index.html is revalidated', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body.toString()).toMatch(/<div id="root">/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers.server).toBe('nginx');

    // Client-side routes fall back to index.html.
    const deep = await get('/athletes/123/sessions');
    expect(deep.status).toBe(200);
    expect(deep.body.toString()).toBe(res.body.toString());
    expect(deep.headers['cache-control']).toBe('no-cache');
  });

  it('caches hashed assets for a year and gzips them', async () => {
    const res = await get(dist.asset, { 'accept-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers.vary).toMatch(/Accept-Encoding/i);
    expect(gunzipSync(res.body).length).toBeGreaterThan(res.body.length);
    const missing = await get('/assets/nope-00000000.js');
    expect(missing.status).toBe(404);
  });

  it('proxies /api and the probes to the api, which sees the request id', async () => {
    const health = await get('/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body.toString())).toEqual({ status: 'ok' });
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body.toString()).status).toBe('ready');

    const res = await get('/api/v1/does-not-exist');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body.toString()).error.code).toBe('NOT_FOUND');
    // nginx's $request_id travels to the api, which echoes it.
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('keeps /metrics internal', async () => {
    expect((await get('/metrics')).status).toBe(404);
    expect((await t.app.inject({ url: '/metrics' })).statusCode).toBe(200);
  });

  it('limits request bodies like the api: 1 MiB, 50 MiB on imports', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 'a');
    const tooBig = await call(`${base}/api/v1/ingest`, {
      method: 'POST',
      ca: nginx.cert,
      headers: { 'content-type': 'application/json' },
      body: big,
    });
    expect(tooBig.status).toBe(413);
    expect(JSON.parse(tooBig.body.toString())).toEqual({
      error: { code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large' },
    });

    const upload = await call(`${base}/api/v1/imports`, {
      method: 'POST',
      ca: nginx.cert,
      headers: { 'content-type': 'application/octet-stream' },
      body: big,
    });
    // Through to the api (which answers in its envelope: no such route yet / unauthenticated / bad type).
    expect(upload.status).not.toBe(413);
    expect(upload.status).toBeLessThan(500);
    expect(JSON.parse(upload.body.toString()).error.code).toEqual(expect.any(String));
  });

  it('upgrades /ws to a WebSocket through nginx', async () => {
    const email = `edge-${randomBytes(4).toString('hex')}@example.test`;
    const reg = await call(`${base}/api/v1/auth/register`, {
      method: 'POST',
      ca: nginx.cert,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'correct horse battery', name: 'Edge Test', role: 'athlete' }),
    });
    expect(reg.status).toBe(201);
    const { user, token } = JSON.parse(reg.body.toString()) as { user: { id: string }; token: string };

    const ws = new WebSocket(`wss://localhost:${nginx.httpsPort}/ws/live?athleteId=${user.id}`, {
      ca: nginx.cert,
      headers: { authorization: `Bearer ${token}` },
    });
    let upgradeStatus = 0;
    ws.once('upgrade', (res) => {
      upgradeStatus = res.statusCode ?? 0;
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
    expect(upgradeStatus).toBe(101);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    // The connection stays usable: a ping crosses nginx and the pong comes back.
    const pong = new Promise<void>((resolve) => ws.once('pong', () => resolve()));
    ws.ping();
    await pong;
    ws.close();
  });

  it('rate-limits the auth routes per client with the error envelope', async () => {
    const started = Date.now();
    const attempts = await Promise.all(
      Array.from({ length: 15 }, () =>
        call(`${base}/api/v1/auth/login`, {
          method: 'POST',
          ca: nginx.cert,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'nobody@example.test', password: 'wrong password' }),
        }),
      ),
    );
    const elapsedMinutes = (Date.now() - started) / 60_000;
    const limited = attempts.filter((a) => a.status === 429);
    const passed = attempts.filter((a) => a.status !== 429);
    // 10/min with a burst of 5: at most 1 + 5 at once, plus one more per 6 s the burst took.
    expect(passed.length).toBeGreaterThanOrEqual(1);
    expect(passed.length).toBeLessThanOrEqual(6 + Math.ceil(elapsedMinutes * 10));
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(limited[0]!.body.toString()).error.code).toBe('RATE_LIMITED');
    expect(limited[0]!.headers['retry-after']).toBe('60');
    // Other API routes are not limited.
    expect((await get('/healthz')).status).toBe(200);
  });
});
