import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers.ts';
import { registerAthlete, type SyncWorld, startSyncWorld } from '../sync-fixtures.ts';

/**
 * The demo and plain-HTTP deployments are opened by any host name (a LAN address from a
 * tablet, 127.0.0.1): the security policy must not upgrade their scripts to https, and the
 * OAuth round trip must bring the user back to the host they came from.
 */
describe('security policy: strict behind TLS only', () => {
  let plain: TestApp;
  let tls: TestApp;
  beforeAll(async () => {
    plain = await buildTestApp({ mode: 'embedded' });
    tls = await buildTestApp({
      mode: 'embedded',
      overrides: { PUBLIC_URL: 'https://athletes.example.com' },
    });
  });
  afterAll(async () => {
    await plain?.close();
    await tls?.close();
  });

  it('plain HTTP (no PUBLIC_URL): no upgrade-insecure-requests, ws: allowed, no HSTS', async () => {
    const res = await plain.app.inject({ url: '/healthz', headers: { host: '192.168.1.20:3000' } });
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(csp).toMatch(/connect-src 'self' ws: wss:/);
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('behind TLS (PUBLIC_URL https): upgrade-insecure-requests, wss: only, HSTS', async () => {
    const res = await tls.app.inject({ url: '/healthz' });
    const csp = res.headers['content-security-policy'] as string;
    expect(csp.split(';').map((d) => d.trim())).toContain('upgrade-insecure-requests');
    expect(csp).toMatch(/connect-src 'self' wss:(;|$)/);
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });
});

describe('OAuth consent returns to the host the user came from (provider sandbox)', () => {
  let w: SyncWorld;
  beforeAll(async () => {
    w = await startSyncWorld({ sandbox: { days: 2 } });
  });
  afterAll(async () => w?.close());

  /** connect as `host` → sandbox consent (Allow) → where the sandbox sends the browser back. */
  async function consentFrom(host: string, extra: Record<string, string> = {}) {
    const athlete = await registerAthlete(w.app);
    const start = await w.app.inject({
      url: '/api/v1/integrations/whoop/connect',
      headers: { ...athlete.auth, host, ...extra },
    });
    expect(start.statusCode, start.body).toBe(302);
    const consent = new URL(start.headers.location as string);
    const form = new URLSearchParams(consent.searchParams);
    form.set('decision', 'allow');
    form.set('login', `whoop-${athlete.id.slice(0, 8)}`);
    const answer = await fetch(`${w.sandboxUrl}${consent.pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
      redirect: 'manual',
    });
    expect(answer.status).toBe(302);
    return { athlete, back: new URL(answer.headers.get('location') as string) };
  }

  it('a user on a LAN address comes back there, and the code exchange succeeds', async () => {
    const { athlete, back } = await consentFrom('192.168.1.20:3000');
    expect(back.origin).toBe('http://192.168.1.20:3000');
    expect(back.pathname).toBe('/api/v1/integrations/whoop/callback');
    // The browser follows that redirect: same host, so the code exchange repeats the same
    // redirect_uri (the sandbox checks it, as WHOOP does) and the settings page is relative.
    const callback = await w.app.inject({
      url: `${back.pathname}${back.search}`,
      headers: { host: back.host },
    });
    expect(callback.statusCode, callback.body).toBe(302);
    expect(callback.headers.location).toBe('/settings/integrations?connected=whoop');
    const connection = await w.app.deps.db.prisma.providerConnection.findFirstOrThrow({
      where: { userId: athlete.id, provider: 'whoop' },
    });
    expect(connection.status).toBe('active');
  });

  it('a user on 127.0.0.1 over the real socket comes back to 127.0.0.1, not localhost', async () => {
    const athlete = await registerAthlete(w.app);
    const start = await fetch(`${w.url}/api/v1/integrations/whoop/connect`, {
      headers: athlete.auth,
      redirect: 'manual',
    });
    expect(start.status).toBe(302);
    const redirectUri = new URL(start.headers.get('location') as string).searchParams.get('redirect_uri');
    expect(redirectUri).toBe(`${w.url}/api/v1/integrations/whoop/callback`);
    expect(w.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('behind a trusted TLS proxy the callback is https on the forwarded host', async () => {
    const { back } = await consentFrom('api:3000', {
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'team.example.org',
    });
    expect(back.origin).toBe('https://team.example.org');
  });

  it('a code exchanged on another host than the consent started from is refused', async () => {
    const { back } = await consentFrom('192.168.1.20:3000');
    const elsewhere = await w.app.inject({
      url: `${back.pathname}${back.search}`,
      headers: { host: 'localhost:3000' },
    });
    expect(elsewhere.statusCode).toBe(302);
    expect(elsewhere.headers.location).toBe('/settings/integrations?provider=whoop&error=exchange_failed');
  });
});

describe('OAuth with PUBLIC_URL configured', () => {
  let w: SyncWorld;
  beforeAll(async () => {
    w = await startSyncWorld({
      app: { overrides: { PUBLIC_URL: 'https://athletes.example.com/' } },
      sandbox: { days: 2 },
    });
  });
  afterAll(async () => w?.close());

  it('always uses PUBLIC_URL for the callback, whatever Host the request carried', async () => {
    const athlete = await registerAthlete(w.app);
    const start = await w.app.inject({
      url: '/api/v1/integrations/whoop/connect',
      headers: { ...athlete.auth, host: 'evil.example' },
    });
    expect(start.statusCode).toBe(302);
    const redirectUri = new URL(start.headers.location as string).searchParams.get('redirect_uri');
    expect(redirectUri).toBe('https://athletes.example.com/api/v1/integrations/whoop/callback');
  });
});
