import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@athlete/config';
import { openPostgres } from '@athlete/db';
import { createTestDatabase, type TestDatabase } from '@athlete/db/testing';
import { createPlatform, type Platform } from '@athlete/platform';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  archiveKeyFor,
  type Deps,
  expireRawObjects,
  jobs,
  listSamplePartitions,
  readSampleArchive,
  retireSamplePartitions,
  schedules,
} from '../src/index.ts';
import { withAfterPut } from './store-deps.ts';

let testDb: TestDatabase;
let deps: Deps;
let dataDir: string;

const athleteA = '00000000-0000-4000-8000-00000000000a';
const athleteB = '00000000-0000-4000-8000-00000000000b';

function sample(athleteId: string, ts: Date, hr: number, rr: number[] | null = null) {
  return {
    athleteId,
    ts,
    sessionId: null,
    seq: null,
    hr,
    rr,
    speed: 3.5,
    cadence: null,
    power: null,
    distance: 12.5,
    lat: 51.5,
    lon: -0.12,
    alt: null,
  };
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'ap-maint-'));
  const config = loadConfig({ env: {}, overrides: { DATA_DIR: dataDir, DATABASE_URL: testDb.url } });
  const db = await openPostgres(testDb.url, { poolSize: 2 });
  const platform: Platform = await createPlatform(config);
  deps = { config, db, platform, log: pino({ level: 'silent' }), metrics: new Registry() };
});

afterAll(async () => {
  await deps?.platform.close();
  await deps?.db.close();
  await testDb?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('sample partition retention', () => {
  it('archives old months as gzip CSV, then drops only those partitions', async () => {
    const old = new Date(Date.UTC(2021, 2, 14, 9, 0, 0));
    const rows = Array.from({ length: 25 }, (_, i) =>
      sample(
        i % 2 ? athleteA : athleteB,
        new Date(old.getTime() + i * 1000),
        120 + i,
        i === 3 ? [812, 790] : null,
      ),
    );
    await deps.db.insertSamples(rows);
    const recent = new Date();
    await deps.db.insertSamples([sample(athleteA, recent, 99)]);

    const result = await retireSamplePartitions({
      deps,
      retentionMonths: 12,
      now: new Date(Date.UTC(2026, 5, 1)),
    });
    const key = archiveKeyFor(new Date(Date.UTC(2021, 2, 1)));
    expect(key).toBe('archive/samples/2021-03.csv.gz');
    expect(result.archived.map((a) => a.key)).toContain(key);
    expect(result.archived.find((a) => a.key === key)?.rows).toBe(25);

    const body = await deps.platform.objects.get(key);
    expect(body).toBeDefined();
    const lines = readSampleArchive(body!).trim().split('\n');
    expect(lines[0]).toBe('athlete_id,ts,session_id,seq,hr,rr,speed,cadence,power,distance,lat,lon,alt');
    expect(lines).toHaveLength(26);
    expect(lines).toContain(`${athleteA},2021-03-14T09:00:03.000Z,,,123,"{812,790}",3.5,,,12.5,51.5,-0.12,`);

    const names = (await listSamplePartitions({ deps })).map((p) => p.name);
    expect(names).not.toContain('samples_y2021m03');
    const [left] = await deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM samples WHERE ts < '2022-01-01'`,
    );
    expect(left?.n).toBe(0);
    const [kept] = await deps.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM samples WHERE ts >= $1',
      [new Date(recent.getTime() - 1000)],
    );
    expect(kept?.n).toBe(1);
    expect(await deps.metrics.getSingleMetricAsString('ap_maintenance_partitions_archived_total')).toMatch(
      /_total [1-9]/,
    );
  });

  it('appends late samples of a retired month to its archive instead of overwriting it', async () => {
    const key = archiveKeyFor(new Date(Date.UTC(2021, 2, 1)));
    const before = readSampleArchive((await deps.platform.objects.get(key))!)
      .trim()
      .split('\n');
    // A resend for the retired month recreates the partition (insertSamples does that on demand).
    await deps.db.insertSamples([sample(athleteB, new Date(Date.UTC(2021, 2, 20, 7)), 141)]);
    await retireSamplePartitions({ deps, retentionMonths: 12, now: new Date(Date.UTC(2026, 5, 1)) });
    const after = readSampleArchive((await deps.platform.objects.get(key))!)
      .trim()
      .split('\n');
    expect(after).toHaveLength(before.length + 1);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.at(-1)).toContain(`${athleteB},2021-03-20T07:00:00.000Z`);
    expect((await listSamplePartitions({ deps })).map((p) => p.name)).not.toContain('samples_y2021m03');
  });

  it('leaves the archive as it was when a late write stops the drop, so the next run archives each row once', async () => {
    const month = new Date(Date.UTC(2021, 4, 1));
    const key = archiveKeyFor(month);
    await deps.db.insertSamples([
      sample(athleteA, new Date(Date.UTC(2021, 4, 3, 8)), 130),
      sample(athleteB, new Date(Date.UTC(2021, 4, 3, 8)), 131),
    ]);
    // A resend lands for that month right after the archive is written, before the drop.
    let raced = false;
    const racing = withAfterPut(deps, async (k) => {
      if (k !== key || raced) return;
      raced = true;
      await deps.db.insertSamples([sample(athleteA, new Date(Date.UTC(2021, 4, 9, 6)), 142)]);
    });
    const first = await retireSamplePartitions({
      deps: racing,
      retentionMonths: 12,
      now: new Date(Date.UTC(2026, 5, 1)),
    });
    expect(first.skipped).toContain('samples_y2021m05');
    expect(await deps.platform.objects.get(key)).toBeUndefined();

    await retireSamplePartitions({ deps, retentionMonths: 12, now: new Date(Date.UTC(2026, 5, 1)) });
    const lines = readSampleArchive((await deps.platform.objects.get(key))!)
      .trim()
      .split('\n');
    expect(lines).toHaveLength(1 + 3);
    expect(new Set(lines).size).toBe(lines.length);
  });

  it('keeps everything when retention is 0', async () => {
    await deps.db.insertSamples([sample(athleteA, new Date(Date.UTC(2020, 0, 5)), 100)]);
    const result = await retireSamplePartitions({ deps, retentionMonths: 0 });
    expect(result.archived).toEqual([]);
    expect((await listSamplePartitions({ deps })).map((p) => p.name)).toContain('samples_y2020m01');
  });

  it('runs as a scheduled job that also creates partitions ahead', async () => {
    const job = jobs.find((j) => j.name === 'maintenance.sample-partitions');
    expect(job).toBeDefined();
    expect(schedules.some((s) => s.job === job)).toBe(true);
    await job!.handler(deps, {}, { id: '1', name: job!.name, attempt: 1, updateProgress: async () => {} });
    const now = new Date();
    const ahead = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 1));
    const name = `samples_y${ahead.getUTCFullYear()}m${String(ahead.getUTCMonth() + 1).padStart(2, '0')}`;
    const names = (await listSamplePartitions({ deps })).map((p) => p.name);
    expect(names).toContain(name);
    // Default retention (24 months) retires the 2020 month left by the previous test.
    expect(names).not.toContain('samples_y2020m01');
    expect(await deps.platform.objects.head('archive/samples/2020-01.csv.gz')).toBeDefined();
  });
});

describe('raw provider JSON lifecycle', () => {
  it('deletes raw objects older than the retention age and nothing else', async () => {
    const objects = deps.platform.objects;
    await objects.put('accounts/u1/biometric-data/whoop/20240101_101500.json', '{"old":true}');
    await objects.put('accounts/u1/biometric-data/garmin/20260520_080000.json', '{"new":true}');
    await objects.put('accounts/u1/imports/20200101_000000.json', '{"notRaw":true}');
    await objects.put('archive/samples/2019-01.csv.gz', 'x');

    const result = await expireRawObjects({ deps, retentionDays: 90, now: new Date(Date.UTC(2026, 5, 1)) });
    expect(result).toEqual({ deleted: 1, kept: 1 });
    expect(await objects.head('accounts/u1/biometric-data/whoop/20240101_101500.json')).toBeUndefined();
    expect(await objects.get('accounts/u1/biometric-data/garmin/20260520_080000.json')).toBeDefined();
    expect(await objects.head('accounts/u1/imports/20200101_000000.json')).toBeDefined();
    expect(await objects.head('archive/samples/2019-01.csv.gz')).toBeDefined();
    expect(jobs.some((j) => j.name === 'maintenance.raw-lifecycle')).toBe(true);
  });
});
