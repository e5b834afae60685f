import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers.ts';
import { registerAthlete } from './sync-fixtures.ts';

describe('PROVIDER_SANDBOX=true (the demo, embedded mode)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({
      mode: 'embedded',
      overrides: { PROVIDER_SANDBOX: true, PROVIDER_SANDBOX_DAYS: 30 },
    });
  });
  afterAll(async () => t?.close());

  it('runs the sandbox in-process and points both providers at it', async () => {
    expect(t.app.providerSandbox).toBeDefined();
    expect(t.app.config.WHOOP_API_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/whoop\/developer$/);
    expect(t.app.config.GARMIN_TOKEN_URL).toMatch(/\/garmin\/di-oauth2-service\/oauth\/token$/);
    const athlete = await registerAthlete(t.app);
    const list = await t.app.inject({ url: '/api/v1/integrations', headers: athlete.auth });
    expect(list.json().integrations.map((i: { configured: boolean }) => i.configured)).toEqual([true, true]);

    const connect = await t.app.inject({ url: '/api/v1/integrations/whoop/connect', headers: athlete.auth });
    expect(connect.statusCode).toBe(302);
    const consent = new URL(connect.headers.location as string);
    expect(consent.origin + consent.pathname).toBe(`${t.app.config.WHOOP_OAUTH_URL.replace(/\/$/, '')}/auth`);
    expect(consent.searchParams.get('scope')).toContain('offline');
    expect(consent.searchParams.get('state')!.length).toBeGreaterThanOrEqual(8);

    const garmin = await t.app.inject({ url: '/api/v1/integrations/garmin/connect', headers: athlete.auth });
    const pkce = new URL(garmin.headers.location as string).searchParams;
    expect(pkce.get('code_challenge_method')).toBe('S256');
    const state = await t.app.deps.db.prisma.oAuthState.findUniqueOrThrow({
      where: { state: pkce.get('state')! },
    });
    expect(state.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(state.provider).toBe('garmin');
  });
});
