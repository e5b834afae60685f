import { describe, expect, it } from 'vitest';
import {
  chunkBackfillRange,
  createGarminOAuth,
  GarminClient,
  garminPushConfirmationRanges,
  garminRecordedAtS,
  ProviderAuthError,
  ProviderRequestError,
  parseGarminNotification,
  pkceChallenge,
  toEpochSeconds,
} from '../src/index.ts';
import { fakeFetch, json } from './helpers.ts';

const DAY = 86_400;

describe('Garmin OAuth 2.0 + PKCE', () => {
  it('computes the S256 challenge as base64url(sha256(verifier))', () => {
    // Expected value computed independently with: openssl dgst -sha256 -binary | base64 (url alphabet, no padding)
    expect(pkceChallenge('dBjftJeZ4CVP-mJ92IZ1ST5G3XFPT0rR3JUlOozJUzQ')).toBe(
      '1S6ssVJawlL4hm6vnhN99E2CMNNLiHW-JX4FvTcJq_4',
    );
  });

  it('builds the consent URL and sends the verifier with the code', async () => {
    const { fetch, requests } = fakeFetch(() =>
      json({
        access_token: 'a',
        refresh_token: 'r',
        token_type: 'bearer',
        expires_in: 86_400,
        refresh_token_expires_in: 7_776_000,
        scope: 'PARTNER_WRITE',
        jti: 'x',
      }),
    );
    const oauth = createGarminOAuth({
      clientId: 'c',
      clientSecret: 's',
      redirectUri: 'https://app/cb',
      fetch,
      now: () => 0,
    });
    const url = new URL(oauth.authorizeUrl({ state: 'state123', codeChallenge: 'chal' }));
    expect(`${url.origin}${url.pathname}`).toBe('https://connect.garmin.com/oauth2Confirm');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    const tokens = await oauth.exchangeCode({ code: 'code', codeVerifier: 'verifier' });
    expect(tokens.refreshTokenExpiresAt?.getTime()).toBe(7_776_000_000);
    expect(requests[0]!.url.toString()).toBe('https://diauth.garmin.com/di-oauth2-service/oauth/token');
    expect(new URLSearchParams(requests[0]!.body).get('code_verifier')).toBe('verifier');
  });
});

describe('Garmin backfill', () => {
  it('chunks a range into ≤ 90-day (health) or ≤ 30-day (activity) windows', () => {
    const windows = chunkBackfillRange({ startS: 0, endS: 200 * DAY }, 90);
    expect(windows).toEqual([
      { startS: 0, endS: 90 * DAY },
      { startS: 90 * DAY, endS: 180 * DAY },
      { startS: 180 * DAY, endS: 200 * DAY },
    ]);
    expect(chunkBackfillRange({ startS: 5, endS: 5 }, 30)).toEqual([]);
    expect(() => toEpochSeconds(1_700_000_000_000)).toThrow(/milliseconds/);
  });

  it('requests each window and treats 409 as already requested', async () => {
    let call = 0;
    const { fetch, requests } = fakeFetch(() => {
      call += 1;
      return new Response(call === 2 ? '{"errorMessage":"duplicate"}' : null, {
        status: call === 2 ? 409 : 202,
      });
    });
    const client = new GarminClient({
      accessToken: 't',
      fetch,
      apiBaseUrl: 'http://sandbox.test/garmin/wellness-api/rest',
    });
    const results = await client.requestBackfill('activities', { start: 0, end: 65 * DAY });
    expect(results.map((r) => r.status)).toEqual(['accepted', 'duplicate', 'accepted']);
    expect(requests.map((r) => r.url.pathname)).toEqual(
      Array(3).fill('/garmin/wellness-api/rest/backfill/activities'),
    );
    expect(requests[2]!.url.searchParams.get('summaryStartTimeInSeconds')).toBe(String(60 * DAY));
  });

  it('maps 403 to ProviderAuthError and 412 to ProviderRequestError', async () => {
    let status = 403;
    const { fetch } = fakeFetch(() => json({ errorMessage: 'nope' }, status));
    const client = new GarminClient({ accessToken: 't', fetch });
    await expect(client.getUserId()).rejects.toBeInstanceOf(ProviderAuthError);
    status = 412;
    const error = await client.requestBackfill('sleeps', { start: 0, end: DAY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRequestError);
    expect((error as ProviderRequestError).status).toBe(412);
  });

  it('splits pulls into 24 h upload windows and refuses foreign callback URLs', async () => {
    const { fetch, requests } = fakeFetch(() => json([]));
    const client = new GarminClient({ accessToken: 't', fetch });
    await client.dailies({ start: 0, end: 2 * DAY + 10 });
    expect(requests).toHaveLength(3);
    await expect(client.fetchCallback('dailies', 'https://evil.test/rest/dailies')).rejects.toThrow(
      /outside/,
    );
  });
});

describe('Garmin notifications', () => {
  it('splits ping, push, file, deregistration and permission-change bodies', () => {
    const parsed = parseGarminNotification({
      dailies: [
        {
          userId: 'u1',
          callbackURL:
            'https://apis.garmin.com/wellness-api/rest/dailies?uploadStartTimeInSeconds=1&uploadEndTimeInSeconds=2&token=x',
        },
      ],
      sleeps: [
        {
          userId: 'u1',
          summaryId: 's1',
          calendarDate: '2024-05-04',
          startTimeInSeconds: 1714780800,
          startTimeOffsetInSeconds: 7200,
          durationInSeconds: 27_000,
          unmeasurableSleepDurationInSeconds: 60,
          overallSleepScore: { value: 82, qualifierKey: 'GOOD' },
        },
        { userId: 'u1' },
      ],
      activityFiles: [
        {
          userId: 'u1',
          summaryId: '99-file',
          fileType: 'FIT',
          callbackURL: 'https://apis.garmin.com/wellness-api/rest/activityFile?id=99&token=t',
          activityId: 99,
        },
      ],
      deregistrations: [{ userId: 'u2' }],
      userPermissionsChange: [
        { userId: 'u3', summaryId: 'p', permissions: ['HEALTH_EXPORT'], changeTimeInSeconds: 1714780800 },
      ],
      somethingNew: [{ userId: 'u1' }],
    });
    expect(parsed.notifications.map((n) => n.kind)).toEqual([
      'ping',
      'push',
      'activityFile',
      'deregistration',
      'permissionsChange',
    ]);
    const push = parsed.notifications[1];
    expect(
      push?.kind === 'push' && push.summaryType === 'sleeps' && push.summary.unmeasurableSleepInSeconds,
    ).toBe(60);
    expect(parsed.rejected).toHaveLength(1);
    expect(parsed.rejected[0]).toMatchObject({ key: 'sleeps', index: 1 });
    expect(parsed.unknownKeys).toEqual(['somethingNew']);
    expect(() => parseGarminNotification('nope')).toThrow();
  });
});

describe('garminPushConfirmationRanges', () => {
  const received = 1_750_000_000;

  it('always looks in the day before the push, and three days after each recording, merged', () => {
    const ranges = garminPushConfirmationRanges(
      [
        { summaryId: 'a', startTimeInSeconds: received - 10 * DAY },
        { summaryId: 'b', startTimeInSeconds: received - 10 * DAY + 3600 },
        { summaryId: 'c', summary: { startTimeInSeconds: received - 2 * DAY } },
      ],
      received,
    );
    expect(ranges).toEqual([
      { startS: received - 10 * DAY, endS: received - 7 * DAY + 3600 },
      { startS: received - 2 * DAY, endS: received + 1 },
    ]);
  });

  it('reads a body composition measurement time and a calendar day, and ignores future times', () => {
    expect(garminRecordedAtS({ measurementTimeInSeconds: 123 })).toBe(123);
    expect(garminRecordedAtS({ calendarDate: '2025-06-01' })).toBe(
      Date.parse('2025-06-01T00:00:00Z') / 1000 - 14 * 3600,
    );
    expect(garminRecordedAtS({ summaryId: 'x' })).toBeNull();
    expect(garminPushConfirmationRanges([{ startTimeInSeconds: received + DAY }], received)).toEqual([
      { startS: received - DAY, endS: received + 1 },
    ]);
  });
});
