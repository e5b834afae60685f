import { randomUUID } from 'node:crypto';
import { type Database, openPostgres } from '@athlete/db';
import { createTestDatabase, sampleRow, type TestDatabase } from '@athlete/db/testing';
import { uniquePrefix } from '@athlete/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/accounts/password.ts';
import { deleteAccount, type LiveService, type UserPrincipal } from '../src/index.ts';
import { WriteBehind } from '../src/live/write-behind.ts';
import { removeProcessDirs, startProcess as startLiveProcess, stopProcess, until } from './live-processes.ts';

/**
 * No sample of a deleted account is written after its erasure: every API process drops the
 * athlete's samples still waiting in its write-behind buffer when the deletion is announced
 * (their senders acked), and a batch that was being written when it failed is retried without
 * them. (A batch that commits after the deletion is purged once the erasure settles:
 * account-erasure.test.ts.)
 */

const PASSWORD = 'drop my buffered samples 1';
afterAll(removeProcessDirs);

/** One API process on the shared database and Redis prefix; samples wait a minute in its buffer. */
const startProcess = (url: string, redisPrefix: string) =>
  startLiveProcess(url, { redisPrefix, overrides: { LIVE_FLUSH_INTERVAL_MS: 60_000 } });

async function createAthlete(db: Database): Promise<UserPrincipal> {
  const user = await db.prisma.user.create({
    data: {
      email: `${randomUUID()}@live-erasure.test`,
      name: 'A',
      role: 'athlete',
      passwordHash: await hashPassword(PASSWORD),
    },
  });
  return { kind: 'user', userId: user.id, role: 'athlete', sessionId: randomUUID(), via: 'bearer' };
}

const storedSamples = async (db: Database, athleteId: string) =>
  (await db.query('SELECT 1 FROM samples WHERE athlete_id = $1::uuid', [athleteId])).length;

describe('samples of a deleted account buffered by the live write-behind (Postgres + Redis)', () => {
  let test: TestDatabase;
  let a: LiveService;
  let b: LiveService;

  beforeAll(async () => {
    test = await createTestDatabase();
    const prefix = uniquePrefix('live-erasure');
    [a, b] = await Promise.all([startProcess(test.url, prefix), startProcess(test.url, prefix)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([stopProcess(a), stopProcess(b)]);
    await test?.drop();
  });

  it('another API process drops them when the account is deleted, acks their sender, and keeps the others', async () => {
    const db = a.deps.db;
    const [gone, stays] = await Promise.all([createAthlete(db), createAthlete(db)]);
    const start = Date.now() - 60_000;
    const send = (athlete: UserPrincipal, n: number) =>
      b.ingest({
        principal: athlete,
        samples: Array.from({ length: n }, (_, i) => ({ ts: start + i * 1000, hr: 120 + i, seq: i })),
        transport: 'http',
        forbidden: 'throw',
      });
    const goneBatch = await send(gone, 3);
    const staysBatch = await send(stays, 2);
    expect(goneBatch.taken).toBe(3);
    expect(b.status().bufferedSamples).toBe(5);

    // Deleted through process a; b hears of it only through access.changed.
    await deleteAccount({ deps: a.deps, principal: gone, password: PASSWORD });
    await until('b dropped the deleted athlete’s samples', () => b.status().bufferedSamples === 2);
    expect(await goneBatch.durable).toEqual({ inserted: 0, duplicates: 0, erased: 3 });

    await b.flush();
    expect(await staysBatch.durable).toEqual({ inserted: 2, duplicates: 0 });
    expect(await storedSamples(db, gone.userId)).toBe(0);
    expect(await storedSamples(db, stays.userId)).toBe(2);
  }, 30_000);

  it('keeps the buffered samples of an athlete whose access changed but whose account exists', async () => {
    const db = a.deps.db;
    const athlete = await createAthlete(db);
    const batch = await b.ingest({
      principal: athlete,
      samples: [{ ts: Date.now() - 5_000, hr: 130 }],
      transport: 'http',
      forbidden: 'throw',
    });
    const buffered = b.status().bufferedSamples;
    expect(buffered).toBeGreaterThan(0);
    await b.accessChanged({ userId: athlete.userId, athleteId: athlete.userId });
    expect(b.status().bufferedSamples).toBe(buffered);
    // Still held, not dropped: its batch reports it written, not erased, once flushed.
    await b.flush();
    expect(await batch.durable).toEqual({ inserted: 1, duplicates: 0 });
    expect(await storedSamples(db, athlete.userId)).toBe(1);
  });
});

describe('WriteBehind.discard', () => {
  let test: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    test = await createTestDatabase();
    db = await openPostgres(test.url, { poolSize: 2 });
  });
  afterAll(async () => {
    await db?.close();
    await test?.drop();
  });

  it('leaves discarded athletes out of the retry of a batch that was being written when it failed', async () => {
    const [erased, kept] = [randomUUID(), randomUUID()];
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let attempts = 0;
    const writer = new WriteBehind({
      flushIntervalMs: 10,
      capacity: 100,
      maxBackoffMs: 20,
      async quarantine() {
        throw new Error('no row is refused in this test');
      },
      async insert(rows) {
        attempts++;
        if (attempts === 1) {
          await held;
          throw new Error('connection reset');
        }
        return db.insertSamplesReport(rows);
      },
    });
    const ts = Date.now() - 10_000;
    const mixed = writer.write([sampleRow(erased, ts, { hr: 100 }), sampleRow(kept, ts, { hr: 101 })]);
    const onlyErased = writer.write([sampleRow(erased, ts + 1000, { hr: 102 })]);
    await until('the batch is being written', () => attempts === 1);
    expect(writer.heldAthletes()).toEqual(new Set([erased, kept]));

    // Nothing of theirs is waiting (all in flight): nothing dropped yet, but marked for a retry.
    expect(writer.discard(new Set([erased]))).toBe(0);
    release();

    expect(await mixed).toEqual({ inserted: 1, duplicates: 0, erased: 1 });
    expect(await onlyErased).toEqual({ inserted: 0, duplicates: 0, erased: 1 });
    expect(await storedSamples(db, erased)).toBe(0);
    expect(await storedSamples(db, kept)).toBe(1);
    expect(writer.buffered).toBe(0);
    await writer.close();
  });
});
