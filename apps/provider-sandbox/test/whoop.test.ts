import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  normaliseWhoopDays,
  ProviderAuthError,
  ProviderRateLimitError,
  type ProviderResponseInfo,
  ProviderUnavailableError,
  verifyWhoopSignature,
  WhoopClient,
  whoopCycleSchema,
  whoopRecoverySchema,
  whoopSleepSchema,
  whoopWorkoutSchema,
} from '@athlete/providers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SANDBOX_WHOOP_CLIENT } from '../src/options.ts';
import { NOW_MS, type RunningSandbox, startReceiver, startSandbox } from './helpers.ts';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());
afterEach(() => {
  sandbox.app.sandbox.clearFaults();
  sandbox.app.sandbox.resetStats();
});

const clientFor = (login: string, extra: Partial<ConstructorParameters<typeof WhoopClient>[0]> = {}) =>
  new WhoopClient({
    accessToken: sandbox.app.sandbox.issueTokens('whoop', login).accessToken,
    apiBaseUrl: sandbox.whoopApi,
    ...extra,
  });

describe('WHOOP data end-to-end with the providers client', () => {
  it('pages through a full year: every day exactly once, within the request budget', async () => {
    const client = clientFor('dana');
    const [cycles, recoveries, sleeps, workouts] = [
      await client.allCycles(),
      await client.allRecoveries(),
      await client.allSleeps(),
      await client.allWorkouts(),
    ];
    expect(cycles).toHaveLength(365);
    expect(new Set(cycles.map((c) => c.id)).size).toBe(365);
    expect(cycles.filter((c) => c.end === undefined)).toHaveLength(1);
    const expected = sandbox.app.sandbox.whoopData('dana');
    expect(recoveries).toHaveLength(expected.recoveries.length);
    expect(sleeps).toHaveLength(expected.sleeps.length);
    expect(workouts).toHaveLength(expected.workouts.length);
    expect(workouts.length).toBeGreaterThan(150);

    const days = normaliseWhoopDays({ cycles, recoveries, sleeps });
    expect(new Set(days.map((d) => d.date)).size).toBe(365);
    expect(days.at(-1)?.date).toBe(new Date(NOW_MS).toISOString().slice(0, 10));
    expect(days.filter((d) => d.recoveryScore !== null).length).toBeGreaterThanOrEqual(364);

    const stats = sandbox.app.sandbox.stats().whoop;
    const pages = (n: number) => Math.max(1, Math.ceil(n / 25));
    expect(stats.requests).toBe(
      pages(365) + pages(recoveries.length) + pages(sleeps.length) + pages(workouts.length),
    );
    expect(stats.rateLimited).toBe(0);
  });

  it('honours start (inclusive) and end (exclusive) and returns newest first', async () => {
    const client = clientFor('dana');
    const all = sandbox.app.sandbox.whoopData('dana').cycles;
    const start = all[40]!.start;
    const end = all[10]!.start;
    const cycles = await client.allCycles({ start, end });
    expect(cycles.map((c) => c.id)).toEqual(all.slice(11, 41).map((c) => c.id));
    const page = await client.listCycles({ limit: 5 });
    expect(page.records).toHaveLength(5);
    expect(page.records[0]!.start > page.records[1]!.start).toBe(true);
    expect(page.nextToken).toBeDefined();
  });

  it('serves single resources and 404s a cycle without recovery', async () => {
    const client = clientFor('erin');
    const data = sandbox.app.sandbox.whoopData('erin');
    const cycle = data.cycles[3]!;
    expect(await client.getCycle(cycle.id)).toEqual(cycle);
    expect((await client.getRecoveryForCycle(cycle.id))?.cycle_id).toBe(cycle.id);
    expect((await client.getSleepForCycle(cycle.id)).cycle_id).toBe(cycle.id);
    expect(await client.getRecoveryForCycle(1)).toBeNull();
    const workout = data.workouts[0]!;
    expect((await client.getWorkout(workout.id)).id).toBe(workout.id);
    expect((await client.getBodyMeasurement()).max_heart_rate).toBeGreaterThan(170);
  });

  it('is deterministic per user and differs between users', async () => {
    const again = await clientFor('dana').listCycles({ limit: 3 });
    expect(again.records).toEqual(sandbox.app.sandbox.whoopData('dana').cycles.slice(0, 3));
    expect(sandbox.app.sandbox.whoopData('erin').cycles[0]!.score).not.toEqual(again.records[0]!.score);
  });
});

describe('WHOOP responses conform to whoop-openapi.yml', () => {
  type SchemaNode = {
    $ref?: string;
    required?: string[];
    properties?: Record<string, SchemaNode>;
    type?: string;
    items?: SchemaNode;
    enum?: string[];
  };
  const spec = parse(
    readFileSync(
      fileURLToPath(new URL('../../../fixtures/reference/whoop-openapi.yml', import.meta.url)),
      'utf8',
    ),
  ) as { components: { schemas: Record<string, SchemaNode> } };

  /** Required fields present, no undeclared fields, primitive types and enums as declared. */
  function conformance(value: unknown, node: SchemaNode, path: string, problems: string[]): void {
    const schema = node.$ref === undefined ? node : spec.components.schemas[node.$ref.split('/').at(-1)!]!;
    if (schema.type === 'object' || schema.properties !== undefined) {
      if (typeof value !== 'object' || value === null) return void problems.push(`${path}: not an object`);
      for (const key of schema.required ?? []) if (!(key in value)) problems.push(`${path}.${key}: required`);
      for (const [key, child] of Object.entries(value)) {
        const declared = schema.properties?.[key];
        if (declared === undefined) problems.push(`${path}.${key}: not in the spec`);
        else conformance(child, declared, `${path}.${key}`, problems);
      }
      return;
    }
    if (schema.type === 'array') {
      if (!Array.isArray(value)) return void problems.push(`${path}: not an array`);
      for (const [i, item] of value.entries()) conformance(item, schema.items!, `${path}[${i}]`, problems);
      return;
    }
    const actual = typeof value;
    const ok =
      (schema.type === 'integer' && Number.isInteger(value)) ||
      (schema.type === 'number' && actual === 'number') ||
      (schema.type === 'string' && actual === 'string') ||
      (schema.type === 'boolean' && actual === 'boolean');
    if (!ok) problems.push(`${path}: expected ${schema.type}, got ${actual}`);
    if (schema.enum !== undefined && !schema.enum.includes(value as string))
      problems.push(`${path}: not in enum`);
  }

  it.each([
    ['cycle', 'PaginatedCycleResponse', whoopCycleSchema],
    ['recovery', 'RecoveryCollection', whoopRecoverySchema],
    ['activity/sleep', 'PaginatedSleepResponse', whoopSleepSchema],
    ['activity/workout', 'WorkoutCollection', whoopWorkoutSchema],
  ] as const)('GET /v2/%s matches %s and the providers zod schema', async (path, schemaName, zodSchema) => {
    const token = sandbox.app.sandbox.issueTokens('whoop', 'frank').accessToken;
    const response = await fetch(`${sandbox.whoopApi}/v2/${path}?limit=25`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await response.json()) as { records: unknown[]; next_token?: string };
    expect(body.records).toHaveLength(25);
    const problems: string[] = [];
    conformance(body, { $ref: `#/components/schemas/${schemaName}` }, path, problems);
    expect(problems).toEqual([]);
    for (const record of body.records) expect(zodSchema.safeParse(record).success).toBe(true);
  });

  it('profile and body measurement match their schemas', async () => {
    const token = sandbox.app.sandbox.issueTokens('whoop', 'frank').accessToken;
    for (const [path, name] of [
      ['user/profile/basic', 'UserBasicProfile'],
      ['user/measurement/body', 'UserBodyMeasurement'],
    ] as const) {
      const body = await (
        await fetch(`${sandbox.whoopApi}/v2/${path}`, { headers: { authorization: `Bearer ${token}` } })
      ).json();
      const problems: string[] = [];
      conformance(body, { $ref: `#/components/schemas/${name}` }, path, problems);
      expect(problems).toEqual([]);
    }
  });
});

describe('WHOOP fault modes and rate limits', () => {
  it('answers 429 bursts with Retry-After and rate-limit headers', async () => {
    const seen: ProviderResponseInfo[] = [];
    const client = clientFor('gail', { hooks: { onResponse: (info) => seen.push(info) } });
    sandbox.app.sandbox.setFaults('whoop', { rateLimitBurst: 2, retryAfterS: 3 });
    for (let i = 0; i < 2; i++) {
      const error = await client.getProfile().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderRateLimitError);
      expect((error as ProviderRateLimitError).retryAfterMs).toBe(3000);
    }
    await expect(client.getProfile()).resolves.toBeDefined();
    expect(seen.map((s) => s.status)).toEqual([429, 429, 200]);
    expect(seen[2]?.rateLimit?.windows).toEqual([
      { limit: 100, windowS: 60 },
      { limit: 10_000, windowS: 86_400 },
    ]);
    expect(sandbox.app.sandbox.stats().whoop.rateLimited).toBe(2);
  });

  it('answers 5xx on demand and slow answers trip the client timeout', async () => {
    const client = clientFor('gail', { timeoutMs: 100 });
    sandbox.app.sandbox.setFaults('whoop', { serverErrors: 1, serverErrorStatus: 502 });
    const error = await client.getProfile().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).status).toBe(502);
    await expect(client.getProfile()).resolves.toBeDefined();

    sandbox.app.sandbox.setFaults('whoop', { delayMs: 300 });
    await expect(client.getProfile()).rejects.toThrow(/timed out/);
  });

  it('expired and revoked tokens get 401 (via the admin endpoint too)', async () => {
    const client = clientFor('hana');
    await client.getProfile();
    const expire = await fetch(`${sandbox.url}/_sandbox/tokens/expire`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'whoop', user: 'hana' }),
    });
    expect(await expire.json()).toEqual({ expired: 1 });
    const error = await client.getProfile().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect((error as ProviderAuthError).message).toContain('expired');

    const other = clientFor('hana');
    sandbox.app.sandbox.revokeTokens('whoop', 'hana');
    await expect(other.getProfile()).rejects.toThrow(/revoked/);
  });

  it('sets faults over HTTP', async () => {
    const put = await fetch(`${sandbox.url}/_sandbox/faults/whoop`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ serverErrors: 1 }),
    });
    expect(put.status).toBe(200);
    await expect(clientFor('ivan').getProfile()).rejects.toBeInstanceOf(ProviderUnavailableError);
    const bad = await fetch(`${sandbox.url}/_sandbox/faults/whoop`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ serverErrors: -1 }),
    });
    expect(bad.status).toBe(400);
    const stats = (await (await fetch(`${sandbox.url}/_sandbox/stats`)).json()) as {
      whoop: { serverErrors: number };
    };
    expect(stats.whoop.serverErrors).toBe(1);
  });

  it('enforces 100 requests per minute per app and reports the reset', async () => {
    let now = NOW_MS;
    const limited = await startSandbox({ now: () => now, days: 5 });
    try {
      const client = new WhoopClient({
        accessToken: limited.app.sandbox.issueTokens('whoop', 'jo').accessToken,
        apiBaseUrl: limited.whoopApi,
      });
      const otherUser = new WhoopClient({
        accessToken: limited.app.sandbox.issueTokens('whoop', 'kim').accessToken,
        apiBaseUrl: limited.whoopApi,
      });
      for (let i = 0; i < 60; i++) await client.listCycles({ limit: 1 });
      now += 20_000;
      for (let i = 0; i < 40; i++) await otherUser.listCycles({ limit: 1 });
      const error = await client.getProfile().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderRateLimitError);
      expect((error as ProviderRateLimitError).retryAfterMs).toBe(40_000);
      now += 40_000;
      await expect(client.getProfile()).resolves.toBeDefined();
      expect(limited.app.sandbox.stats().whoop).toMatchObject({ requests: 102, rateLimited: 1 });
    } finally {
      await limited.close();
    }
  });
});

describe('WHOOP webhooks', () => {
  it('signs webhooks the way providers verifies them', async () => {
    const receiver = await startReceiver();
    try {
      const sleepId = sandbox.app.sandbox.whoopData('lena').sleeps[0]!.id;
      const result = await sandbox.app.sandbox.sendWhoopWebhook(receiver.url, {
        type: 'sleep.updated',
        id: sleepId,
        user: 'lena',
      });
      expect(result.status).toBe(200);
      const [delivery] = receiver.received;
      const body = JSON.parse(delivery!.body) as Record<string, unknown>;
      expect(body).toMatchObject({
        type: 'sleep.updated',
        id: sleepId,
        user_id: sandbox.app.sandbox.user('lena').whoopUserId,
      });
      const verdict = verifyWhoopSignature({
        rawBody: delivery!.body,
        timestamp: delivery!.headers['x-whoop-signature-timestamp'] as string,
        signature: delivery!.headers['x-whoop-signature'] as string,
        secret: SANDBOX_WHOOP_CLIENT.clientSecret,
        nowMs: NOW_MS,
      });
      expect(verdict).toEqual({ ok: true });
    } finally {
      await receiver.close();
    }
  });
});
