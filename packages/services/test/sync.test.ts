import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryRateLimiter, type Platform } from '@athlete/platform';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AppError,
  applyDailyUpdate,
  type Deps,
  decryptToken,
  describeSyncError,
  encryptToken,
  GENERATED_KEY_FILE,
  loadTokenKeyring,
  parseTokenKeys,
  rawObjectKey,
  rawObjectTime,
  takeProviderBudget,
} from '../src/index.ts';
import { openStoreDeps } from './store-deps.ts';

const key = () => randomBytes(32).toString('base64');

describe('provider token encryption (AES-256-GCM)', () => {
  const config = (keys: string | undefined, dataDir = '/nonexistent') => ({
    TOKEN_ENCRYPTION_KEYS: keys,
    DATA_DIR: dataDir,
    DATABASE_URL: undefined,
    NODE_ENV: 'test' as const,
  });

  it('round-trips, never stores plaintext, and binds the key id and purpose', () => {
    const ring = loadTokenKeyring(config(`k1:${key()}`));
    const secret = 'whoop-access-token-123';
    const a = encryptToken(ring, secret, 'access');
    const b = encryptToken(ring, secret, 'access');
    expect(a.keyId).toBe('k1');
    expect(a.ciphertext).not.toContain(secret);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(decryptToken(ring, 'k1', a.ciphertext, 'access')).toBe(secret);
    expect(() => decryptToken(ring, 'k1', a.ciphertext, 'refresh')).toThrow(AppError);
    const [v, iv, tag, body] = a.ciphertext.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0]! ^= 1;
    expect(() =>
      decryptToken(ring, 'k1', [v, iv, tag, flipped.toString('base64url')].join('.'), 'access'),
    ).toThrow(/failed authentication/);
  });

  it('rotates: the first key encrypts, every listed key still decrypts', () => {
    const oldKey = key();
    const before = loadTokenKeyring(config(`old:${oldKey}`));
    const stored = encryptToken(before, 'refresh-1', 'refresh');
    const after = loadTokenKeyring(config(`new:${key()},old:${oldKey}`));
    expect(decryptToken(after, stored.keyId, stored.ciphertext, 'refresh')).toBe('refresh-1');
    expect(encryptToken(after, 'refresh-2', 'refresh').keyId).toBe('new');
    expect(() =>
      decryptToken(loadTokenKeyring(config(`new:${key()}`)), 'old', stored.ciphertext, 'refresh'),
    ).toThrow(/unknown key id "old"/);
  });

  it('refuses malformed key lists with a message naming the problem', () => {
    expect(() => parseTokenKeys('k1:c2hvcnQ=')).toThrow(/exactly 32 bytes/);
    expect(() => parseTokenKeys(`a:${key()},a:${key()}`)).toThrow(/duplicate key id/);
    expect(() => parseTokenKeys(`${key()},b:${key()}`)).toThrow(/every key needs an id/);
    expect(parseTokenKeys(key())[0]!.id).toBe('k1');
  });

  it('generates one key under DATA_DIR (mode 0600) when none is configured, and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ap-keys-'));
    try {
      const first = loadTokenKeyring(config(undefined, dir));
      const file = join(dir, GENERATED_KEY_FILE);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const sealed = encryptToken(first, 'x', 'access');
      // A new process (no cache) reads the same file.
      const again = loadTokenKeyring({ ...config(undefined, `${dir}/`) });
      expect(decryptToken(again, sealed.keyId, sealed.ciphertext, 'access')).toBe('x');
      expect(first.origin).toBe('generated');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to generate a key in production with an external database', () => {
    expect(() =>
      loadTokenKeyring({
        TOKEN_ENCRYPTION_KEYS: undefined,
        DATA_DIR: '/tmp/never',
        DATABASE_URL: 'postgres://db/x',
        NODE_ENV: 'production',
      }),
    ).toThrow(/TOKEN_ENCRYPTION_KEYS must be set/);
  });
});

describe('raw object keys', () => {
  it('keep the documented prefix, stay unique within a second, and date the lifecycle job', () => {
    const at = new Date(Date.UTC(2026, 10, 22, 7, 5, 9, 42));
    const keys = Array.from({ length: 50 }, () =>
      rawObjectKey({ userId: 'u-1', source: 'whoop', kind: 'cycle-p3', at }),
    );
    expect(new Set(keys).size).toBe(50);
    expect(keys[0]).toMatch(
      /^accounts\/u-1\/biometric-data\/whoop\/20261122_070509_cycle-p3_042[0-9a-f]{6}\.json$/,
    );
    expect(rawObjectTime(keys[0]!)?.toISOString()).toBe('2026-11-22T07:05:09.000Z');
  });
});

describe('sync errors as shown to users and admins', () => {
  it('redact credentials carried in URLs', () => {
    const err = new Error(
      'GET https://apis.garmin.com/wellness-api/rest/dailies?uploadStartTimeInSeconds=1&token=pull_secret → 500',
    );
    expect(describeSyncError(err)).toBe(
      'GET https://apis.garmin.com/wellness-api/rest/dailies?uploadStartTimeInSeconds=1&token=[redacted] → 500',
    );
  });
});

describe('provider budget', () => {
  it('waits for the window instead of failing, and never exceeds the limit', async () => {
    const deps = {
      platform: { rateLimiter: createMemoryRateLimiter() } as Platform,
      metrics: new Registry(),
    };
    const budget = [{ name: 'min', limit: 3, windowMs: 400 }];
    const started = Date.now();
    for (let i = 0; i < 7; i++) await takeProviderBudget(deps, 'whoop', budget);
    // 7 requests at 3 per 400 ms need at least two full windows.
    expect(Date.now() - started).toBeGreaterThanOrEqual(780);
  });
});

describe('daily rows and the merged row (Postgres)', () => {
  let deps: Deps;
  let close: (() => Promise<void>) | undefined;
  let athleteId: string;

  beforeAll(async () => {
    ({ deps, close } = await openStoreDeps({ s3: false }));
    const user = await deps.db.prisma.user.create({
      data: { email: `merge-${Date.now()}@example.test`, name: 'M', role: 'athlete', passwordHash: 'x' },
    });
    athleteId = user.id;
  });
  afterAll(async () => close?.());

  const merged = () =>
    deps.db.prisma.dailySummary.findUniqueOrThrow({
      where: {
        athleteId_date_source: { athleteId, date: new Date('2026-03-01T00:00:00Z'), source: 'merged' },
      },
    });

  it('merges per metric by the declared precedence and records each metric’s source', async () => {
    const write = (source: 'whoop' | 'garmin', fields: Record<string, number | null>) =>
      applyDailyUpdate({ deps, athleteId, date: '2026-03-01', source, update: () => ({ fields }) });
    await write('whoop', { restingHr: 52, recoveryScore: 71, sleepDurationS: 25_000 });
    await write('garmin', { restingHr: 55, steps: 9_000, sleepDurationS: null });
    // Default precedence (the profile's): WHOOP first.
    expect(await merged()).toMatchObject({
      restingHr: 52,
      steps: 9_000,
      recoveryScore: 71,
      sleepDurationS: 25_000,
    });
    expect((await merged()).sources).toEqual({
      restingHr: 'whoop',
      recoveryScore: 'whoop',
      sleepDurationS: 'whoop',
      steps: 'garmin',
    });
    await deps.db.prisma.athleteProfile.create({
      data: { userId: athleteId, sourcePrecedence: ['garmin', 'whoop'] },
    });
    await write('garmin', { restingHr: 54 });
    expect(await merged()).toMatchObject({ restingHr: 54, recoveryScore: 71 });
    expect((await merged()).sources).toMatchObject({ restingHr: 'garmin', recoveryScore: 'whoop' });
  });

  it('serialises concurrent writers of one athlete-day under the processing lock', async () => {
    const date = '2026-03-02';
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        applyDailyUpdate({
          deps,
          athleteId,
          date,
          source: 'garmin',
          // Read-modify-write of the data JSON: without the lock, concurrent writers lose updates.
          update: (existing) => {
            const seen = ((existing?.data as { writers?: number[] } | null)?.writers ?? []).concat(i);
            return { fields: { steps: i }, data: { writers: seen } };
          },
        }),
      ),
    );
    const row = await deps.db.prisma.dailySummary.findUniqueOrThrow({
      where: { athleteId_date_source: { athleteId, date: new Date(`${date}T00:00:00Z`), source: 'garmin' } },
    });
    expect(((row.data as { writers: number[] }).writers ?? []).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
