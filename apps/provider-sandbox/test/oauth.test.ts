import {
  createGarminOAuth,
  createPkcePair,
  createWhoopOAuth,
  ProviderAuthError,
  WhoopClient,
} from '@athlete/providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_GARMIN_CLIENT, SANDBOX_WHOOP_CLIENT } from '../src/options.ts';
import { type RunningSandbox, startSandbox } from './helpers.ts';

const REDIRECT = 'https://app.test/api/v1/integrations/whoop/callback';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ whoopClient: { redirectUris: [REDIRECT] } });
});
afterAll(() => sandbox.close());

async function consent(authorizeUrl: string, decision: 'allow' | 'deny', login = 'alice'): Promise<URL> {
  const page = await fetch(authorizeUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  const form = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(match[1]!, match[2]!.replaceAll('&amp;', '&').replaceAll('&quot;', '"'));
  }
  form.set('login', login);
  form.set('decision', decision);
  const action = /<form method="post" action="([^"]+)"/.exec(html)![1]!;
  const response = await fetch(new URL(action, sandbox.url), {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location')!);
}

describe('WHOOP OAuth against the sandbox', () => {
  const oauth = () =>
    createWhoopOAuth({
      clientId: SANDBOX_WHOOP_CLIENT.clientId,
      clientSecret: SANDBOX_WHOOP_CLIENT.clientSecret,
      redirectUri: REDIRECT,
      oauthBaseUrl: sandbox.whoopOAuth,
    });

  it('consent → code → token → refresh rotation → old refresh token refused', async () => {
    const html = await (await fetch(oauth().authorizeUrl({ state: 'state-12345' }))).text();
    expect(html).toContain('Athlete Platform (sandbox)');
    expect(html).toContain('read:recovery');
    expect(html).toContain('>Allow</button>');
    expect(html).toContain('>Deny</button>');

    const callback = await consent(oauth().authorizeUrl({ state: 'state-12345' }), 'allow');
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT);
    expect(callback.searchParams.get('state')).toBe('state-12345');
    const code = callback.searchParams.get('code')!;

    const first = await oauth().exchangeCode(code);
    expect(first.expiresInS).toBe(3600);
    expect(first.refreshToken).toBeDefined();
    await expect(oauth().exchangeCode(code)).rejects.toBeInstanceOf(ProviderAuthError);

    const client = new WhoopClient({ accessToken: first.accessToken, apiBaseUrl: sandbox.whoopApi });
    expect((await client.getProfile()).first_name).toBe('Alice');

    const second = await oauth().refresh(first.refreshToken!);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const reused = await oauth()
      .refresh(first.refreshToken!)
      .catch((e: unknown) => e);
    expect(reused).toBeInstanceOf(ProviderAuthError);
    expect((reused as ProviderAuthError).oauthError).toBe('invalid_grant');
    const third = await oauth().refresh(second.refreshToken!);
    expect(third.accessToken).toBeTruthy();
  });

  it('redirects a denial with error=access_denied and the state', async () => {
    const callback = await consent(oauth().authorizeUrl({ state: 'deny-state-1' }), 'deny');
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe('deny-state-1');
  });

  it('refuses unknown redirect URIs, short states and a wrong client secret', async () => {
    const bad = new URL(oauth().authorizeUrl({ state: 'state-12345' }));
    bad.searchParams.set('redirect_uri', 'https://evil.test/cb');
    expect((await fetch(bad)).status).toBe(400);
    bad.searchParams.set('redirect_uri', REDIRECT);
    bad.searchParams.set('state', 'short');
    expect((await fetch(bad)).status).toBe(400);
    const wrong = createWhoopOAuth({
      clientId: SANDBOX_WHOOP_CLIENT.clientId,
      clientSecret: 'nope',
      redirectUri: REDIRECT,
      oauthBaseUrl: sandbox.whoopOAuth,
    });
    await expect(wrong.refresh('whatever')).rejects.toBeInstanceOf(ProviderAuthError);
  });

  it('revoke (DELETE /v2/user/access) kills the access and refresh tokens', async () => {
    const tokens = await oauth().exchangeCode(
      (await consent(oauth().authorizeUrl({ state: 'revoke-state' }), 'allow', 'bob')).searchParams.get(
        'code',
      )!,
    );
    const client = new WhoopClient({ accessToken: tokens.accessToken, apiBaseUrl: sandbox.whoopApi });
    await client.revokeAccess();
    await expect(client.getProfile()).rejects.toBeInstanceOf(ProviderAuthError);
    await expect(oauth().refresh(tokens.refreshToken!)).rejects.toBeInstanceOf(ProviderAuthError);
  });
});

describe('Garmin OAuth 2.0 + PKCE against the sandbox', () => {
  const oauth = () =>
    createGarminOAuth({
      clientId: SANDBOX_GARMIN_CLIENT.clientId,
      clientSecret: SANDBOX_GARMIN_CLIENT.clientSecret,
      redirectUri: 'https://app.test/garmin/cb',
      authorizeUrl: `${sandbox.url}/garmin/oauth2Confirm`,
      tokenUrl: `${sandbox.url}/garmin/di-oauth2-service/oauth/token`,
    });

  it('checks the verifier and rotates refresh tokens', async () => {
    const pkce = createPkcePair();
    const url = oauth().authorizeUrl({ state: 'g-state', codeChallenge: pkce.codeChallenge });
    const code = (await consent(url, 'allow', 'carol')).searchParams.get('code')!;
    const wrong = await oauth()
      .exchangeCode({ code, codeVerifier: createPkcePair().codeVerifier })
      .catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(ProviderAuthError);

    const code2 = (await consent(url, 'allow', 'carol')).searchParams.get('code')!;
    const tokens = await oauth().exchangeCode({ code: code2, codeVerifier: pkce.codeVerifier });
    expect(tokens.expiresInS).toBe(86_400);
    expect(tokens.refreshTokenExpiresAt).toBeInstanceOf(Date);
    const refreshed = await oauth().refresh(tokens.refreshToken!);
    await expect(oauth().refresh(tokens.refreshToken!)).rejects.toBeInstanceOf(ProviderAuthError);
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
  });

  it('requires a S256 code challenge on the consent page', async () => {
    const url = new URL(oauth().authorizeUrl({ state: 's', codeChallenge: 'x' }));
    url.searchParams.delete('code_challenge');
    expect((await fetch(url)).status).toBe(400);
  });
});
