import { describe, expect, it } from 'vitest';
import {
  createWhoopOAuth,
  ProviderAuthError,
  ProviderRateLimitError,
  ProviderResponseError,
  type ProviderResponseInfo,
  ProviderUnavailableError,
  parseRateLimitHeaders,
  signWhoopPayload,
  verifyWhoopSignature,
  WhoopClient,
} from '../src/index.ts';
import { cycleFixture, fakeFetch, json } from './helpers.ts';

describe('WHOOP webhook signature', () => {
  const secret = 'client-secret';
  const rawBody =
    '{"user_id":10129,"id":"ecfc6a15-4661-442f-a9a4-f160dd7afae8","type":"sleep.updated","trace_id":"t"}';
  const timestamp = '1748241241000';
  const nowMs = 1748241245000;

  it('accepts base64(HMAC-SHA256(secret, timestamp + body))', () => {
    const signature = signWhoopPayload({ rawBody, timestamp, secret });
    expect(signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(verifyWhoopSignature({ rawBody, timestamp, signature, secret, nowMs })).toEqual({ ok: true });
    expect(
      verifyWhoopSignature({ rawBody: Buffer.from(rawBody), timestamp, signature, secret, nowMs }).ok,
    ).toBe(true);
  });

  it('refuses a changed body, the wrong secret, a dotted formula and missing headers', () => {
    const signature = signWhoopPayload({ rawBody, timestamp, secret });
    expect(verifyWhoopSignature({ rawBody: `${rawBody} `, timestamp, signature, secret, nowMs })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyWhoopSignature({ rawBody, timestamp, signature, secret: 'other', nowMs }).ok).toBe(false);
    const dotted = signWhoopPayload({ rawBody: `.${rawBody}`, timestamp, secret });
    expect(verifyWhoopSignature({ rawBody, timestamp, signature: dotted, secret, nowMs }).ok).toBe(false);
    expect(verifyWhoopSignature({ rawBody, timestamp, signature: 'short', secret, nowMs }).ok).toBe(false);
    expect(verifyWhoopSignature({ rawBody, timestamp: undefined, signature, secret, nowMs })).toEqual({
      ok: false,
      reason: 'missing',
    });
  });

  it('refuses stale and future timestamps outside the tolerance', () => {
    const signature = signWhoopPayload({ rawBody, timestamp, secret });
    const late = { rawBody, timestamp, signature, secret, toleranceMs: 60_000 };
    expect(verifyWhoopSignature({ ...late, nowMs: Number(timestamp) + 61_000 })).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(verifyWhoopSignature({ ...late, nowMs: Number(timestamp) - 61_000 }).ok).toBe(false);
    expect(verifyWhoopSignature({ ...late, nowMs: Number(timestamp) + 59_000 }).ok).toBe(true);
    expect(verifyWhoopSignature({ ...late, timestamp: 'abc', nowMs }).ok).toBe(false);
  });
});

describe('WHOOP OAuth', () => {
  const config = { clientId: 'cid', clientSecret: 'secret', redirectUri: 'https://app.test/cb' };

  it('builds the consent URL with state and offline scope', () => {
    const url = new URL(
      createWhoopOAuth(config).authorizeUrl({ state: 'abcdefgh12', scopes: ['read:cycles'] }),
    );
    expect(`${url.origin}${url.pathname}`).toBe('https://api.prod.whoop.com/oauth/oauth2/auth');
    expect(url.searchParams.get('scope')).toBe('read:cycles offline');
    expect(url.searchParams.get('state')).toBe('abcdefgh12');
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(() => createWhoopOAuth(config).authorizeUrl({ state: 'short' })).toThrow(RangeError);
  });

  it('exchanges a code and refreshes with the documented form fields', async () => {
    const { fetch, requests } = fakeFetch(() =>
      json({
        access_token: 'a2',
        refresh_token: 'r2',
        expires_in: 3600,
        scope: 'offline',
        token_type: 'bearer',
      }),
    );
    const oauth = createWhoopOAuth({ ...config, fetch, now: () => 1_000_000 });
    const tokens = await oauth.refresh('r1');
    expect(tokens).toMatchObject({ accessToken: 'a2', refreshToken: 'r2', expiresInS: 3600 });
    expect(tokens.expiresAt.getTime()).toBe(1_000_000 + 3_600_000);
    const form = new URLSearchParams(requests[0]!.body);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'r1',
      scope: 'offline',
      client_id: 'cid',
      client_secret: 'secret',
    });
    await oauth.exchangeCode('code-1');
    expect(new URLSearchParams(requests[1]!.body).get('grant_type')).toBe('authorization_code');
    expect(requests[1]!.url.toString()).toBe('https://api.prod.whoop.com/oauth/oauth2/token');
  });

  it('sends the browser to its own address of the consent page, tokens to the server one', async () => {
    const { fetch, requests } = fakeFetch(() =>
      json({ access_token: 'a', refresh_token: 'r', expires_in: 60, scope: 'offline', token_type: 'bearer' }),
    );
    const oauth = createWhoopOAuth({
      ...config,
      fetch,
      oauthBaseUrl: 'http://sandbox:4010/whoop/oauth/oauth2',
      authorizeBaseUrl: 'http://localhost:4010/whoop/oauth/oauth2/',
    });
    const url = new URL(oauth.authorizeUrl({ state: 'abcdefgh12' }));
    expect(`${url.origin}${url.pathname}`).toBe('http://localhost:4010/whoop/oauth/oauth2/auth');
    await oauth.exchangeCode('code-1');
    expect(requests[0]!.url.toString()).toBe('http://sandbox:4010/whoop/oauth/oauth2/token');
  });

  it('turns invalid_grant into ProviderAuthError', async () => {
    const { fetch } = fakeFetch(() => json({ error: 'invalid_grant' }, 400));
    const error = await createWhoopOAuth({ ...config, fetch })
      .refresh('old')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect((error as ProviderAuthError).oauthError).toBe('invalid_grant');
  });
});

describe('WhoopClient', () => {
  it('sends nextToken camelCase, reads next_token snake_case, strips unknown fields', async () => {
    const { fetch, requests } = fakeFetch(({ url }) =>
      url.searchParams.get('nextToken') === null
        ? json({ records: [{ ...cycleFixture, surprise: true }], next_token: 'page2' })
        : json({ records: [{ ...cycleFixture, id: 2 }], next_token: null }),
    );
    const client = new WhoopClient({
      accessToken: () => 'tok',
      fetch,
      apiBaseUrl: 'http://sandbox.test/developer',
    });
    const cycles = await client.allCycles({ start: new Date('2024-01-01T00:00:00Z') });
    expect(cycles.map((c) => c.id)).toEqual([93845, 2]);
    expect('surprise' in cycles[0]!).toBe(false);
    expect(requests[0]!.url.pathname).toBe('/developer/v2/cycle');
    expect(requests[0]!.url.searchParams.get('limit')).toBe('25');
    expect(requests[0]!.url.searchParams.get('start')).toBe('2024-01-01T00:00:00.000Z');
    expect(requests[1]!.url.searchParams.get('nextToken')).toBe('page2');
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer tok');
    await expect(client.listCycles({ limit: 26 })).rejects.toThrow(RangeError);
  });

  it('types 429 with Retry-After or X-RateLimit-Reset, 5xx, 401 and bad shapes', async () => {
    let answer: Response = json({});
    const { fetch } = fakeFetch(() => answer);
    const client = new WhoopClient({ accessToken: 't', fetch });

    answer = json({}, 429, { 'retry-after': '7' });
    const limited = await client.getProfile().catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(ProviderRateLimitError);
    expect((limited as ProviderRateLimitError).retryAfterMs).toBe(7000);

    answer = json({}, 429, { 'x-ratelimit-reset': '42' });
    expect(
      ((await client.getProfile().catch((e: unknown) => e)) as ProviderRateLimitError).retryAfterMs,
    ).toBe(42_000);

    answer = json({ message: 'boom' }, 503);
    await expect(client.getProfile()).rejects.toBeInstanceOf(ProviderUnavailableError);
    answer = json({}, 401);
    await expect(client.getProfile()).rejects.toBeInstanceOf(ProviderAuthError);
    answer = json({ user_id: 'not a number' });
    const shape = await client.getProfile().catch((e: unknown) => e);
    expect(shape).toBeInstanceOf(ProviderResponseError);
    expect((shape as ProviderResponseError).issues.join()).toContain('user_id');
  });

  it('returns null for a cycle without recovery (404)', async () => {
    const { fetch } = fakeFetch(() => new Response('', { status: 404 }));
    expect(await new WhoopClient({ accessToken: 't', fetch }).getRecoveryForCycle(1)).toBeNull();
  });

  it('awaits beforeRequest and reports rate-limit headers to onResponse', async () => {
    const order: string[] = [];
    const seen: ProviderResponseInfo[] = [];
    const { fetch } = fakeFetch(() => {
      order.push('fetch');
      return json({ user_id: 1, email: 'a@b.c', first_name: 'A', last_name: 'B' }, 200, {
        'x-ratelimit-limit': '100, 100;window=60, 10000;window=86400',
        'x-ratelimit-remaining': '98',
        'x-ratelimit-reset': '31',
      });
    });
    const client = new WhoopClient({
      accessToken: 't',
      fetch,
      hooks: {
        beforeRequest: async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          order.push('before');
        },
        onResponse: (info) => seen.push(info),
      },
    });
    await client.getProfile();
    expect(order).toEqual(['before', 'fetch']);
    expect(seen[0]?.rateLimit).toEqual({
      limit: 100,
      remaining: 98,
      resetS: 31,
      windows: [
        { limit: 100, windowS: 60 },
        { limit: 10000, windowS: 86400 },
      ],
    });
  });

  it('raises ProviderUnavailableError on timeouts', async () => {
    const slowFetch: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    const client = new WhoopClient({ accessToken: 't', fetch: slowFetch, timeoutMs: 20 });
    await expect(client.getProfile()).rejects.toThrow(/timed out after 20 ms/);
  });

  it('parses rate-limit headers leniently', () => {
    expect(parseRateLimitHeaders(new Headers())).toBeNull();
    expect(parseRateLimitHeaders(new Headers({ 'x-ratelimit-remaining': '3' }))?.remaining).toBe(3);
  });
});
