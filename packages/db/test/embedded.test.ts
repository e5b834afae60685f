import { existsSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyPathFor, type Database, embeddedThreadFor, openPglite } from '../src/database.ts';
import type { SampleRow } from '../src/index.ts';
import { tempDir } from './targets.ts';

// ~0.5–1 s of PGlite work on this machine; all that matters is that it takes many event-loop turns.
const HEAVY = 'SELECT count(*)::int AS n, sum(i % 7)::int AS s FROM generate_series(1, 1500000) AS i';
const HEAVY_RESULT = { n: 1_500_000, s: 4_500_000 };

/** Runs work while counting setImmediate turns of this thread's event loop. */
async function countTurns<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let running = true;
  const spin = () => {
    if (!running) return;
    turns++;
    setImmediate(spin);
  };
  setImmediate(spin);
  try {
    return { result: await work(), turns };
  } finally {
    running = false;
  }
}

function sample(athleteId: string, i: number): SampleRow {
  return {
    athleteId,
    ts: new Date(Date.UTC(2026, 4, 1, 6, 0, i)),
    sessionId: null,
    seq: i,
    hr: 130 + (i % 20),
    rr: [450 + i, 455],
    speed: 3,
    cadence: null,
    power: null,
    distance: i * 3,
    lat: null,
    lon: null,
    alt: null,
  };
}

describe('embedded PGlite in a worker thread', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite(undefined);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('keeps this event loop free while PGlite works (in-process PGlite blocks it)', async () => {
    const threaded = await countTurns(() => db.query(HEAVY));
    expect(threaded.result).toEqual([HEAVY_RESULT]);

    // The control: the same statement on PGlite in this thread leaves no turn to the loop
    // while it runs, so the count stays at the few turns around it.
    const inProcess = await PGlite.create();
    try {
      const blocked = await countTurns(() => inProcess.query(HEAVY));
      expect(blocked.result.rows).toEqual([HEAVY_RESULT]);
      expect(blocked.turns).toBeLessThan(20);
    } finally {
      await inProcess.close();
    }
    expect(threaded.turns).toBeGreaterThan(1000);
  });

  it('keeps serving after SQL errors (node-postgres reconnects after each one)', async () => {
    for (let i = 0; i < 20; i++) {
      await expect(db.query('SELECT * FROM no_such_table')).rejects.toMatchObject({ code: '42P01' });
      await expect(db.query('SELECT $1::int AS i', [i])).resolves.toEqual([{ i }]);
    }
    const user = await db.prisma.user.create({
      data: { email: 'after-errors@example.com', passwordHash: 'h', name: 'A', role: 'athlete' },
    });
    await expect(
      db.prisma.user.create({ data: { email: user.email, passwordHash: 'h', name: 'B', role: 'athlete' } }),
    ).rejects.toMatchObject({ code: 'P2002' });
    expect(await db.prisma.user.count({ where: { email: user.email } })).toBe(1);
  });

  it('serves several connections without mixing their statements; an open transaction keeps the others out', async () => {
    await db.exec('CREATE TABLE tx_probe (v int)');
    let inside = 0;
    const tx = db.transaction(async (t) => {
      await t.query('INSERT INTO tx_probe VALUES (1)');
      // While this transaction is open and idle, the other connections' statements must wait:
      // run here, they would see (and be part of) the uncommitted row.
      await new Promise((r) => setTimeout(r, 200));
      inside = (await t.query<{ n: number }>('SELECT count(*)::int AS n FROM tx_probe'))[0]!.n;
      throw new Error('roll back');
    });
    const others = Array.from({ length: 60 }, (_, i) =>
      i % 3 === 0
        ? db.query<{ n: number }>('SELECT count(*)::int AS n FROM tx_probe WHERE v > $1', [0])
        : db.query<{ i: number; s: string }>('SELECT $1::int AS i, $2::text AS s', [i, `q${i}`]),
    );
    await expect(tx).rejects.toThrow('roll back');
    const answers = await Promise.all(others);
    expect(inside).toBe(1);
    answers.forEach((rows, i) => {
      expect(rows).toEqual(i % 3 === 0 ? [{ n: 0 }] : [{ i, s: `q${i}` }]);
    });
  });

  it('rolls back the transaction of a connection that went away, and serves the others', async () => {
    const client = new pg.Client({
      host: embeddedThreadFor(db)!.socketDir,
      user: 'postgres',
      database: 'postgres',
    });
    client.on('error', () => {}); // its connection is cut below
    await client.connect();
    await client.query('CREATE TABLE left_open (v int)');
    await client.query('BEGIN');
    await client.query('INSERT INTO left_open VALUES (1)');
    client.connection.stream.destroy(); // gone without COMMIT or Terminate
    expect(await db.query('SELECT count(*)::int AS n FROM left_open')).toEqual([{ n: 0 }]);
  });

  it('runs the COPY path (text loaded by the thread) inside the caller transaction', async () => {
    const [user] = await db.query<{ id: string }>(
      `INSERT INTO users (email, password_hash, name, role) VALUES ('copy@example.com', 'h', 'C', 'athlete')
       RETURNING id`,
    );
    const rows = Array.from({ length: 30 }, (_, i) => sample(user!.id, i));
    await db.ensureSamplePartitions(rows[0]!.ts, rows[0]!.ts);
    const copy = copyPathFor(db)!;
    expect(await copy(rows)).toHaveLength(30);
    expect(await copy(rows)).toEqual([]);
    const stored = await db.query<{ n: number; rr: number[] }>(
      'SELECT count(*)::int AS n, max(rr) AS rr FROM samples WHERE athlete_id = $1',
      [user!.id],
    );
    expect(stored).toEqual([{ n: 30, rr: [479, 455] }]);
  });
});

describe('embedded PGlite thread lifecycle', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('close flushes to disk, ends the thread, removes the socket directory and the lock', async () => {
    const base = await tempDir();
    dirs.push(base);
    const dir = join(base, 'pglite');
    const db = await openPglite(dir);
    const { worker, socketDir } = embeddedThreadFor(db)!;
    expect(socketDir.startsWith(join(tmpdir(), 'athlete-pglite-'))).toBe(true);
    expect(statSync(socketDir).mode & 0o777).toBe(0o700);
    expect(existsSync(join(socketDir, '.s.PGSQL.5432'))).toBe(true);
    expect(existsSync(join(dir, 'athlete.lock'))).toBe(true);

    await db.exec('CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)');
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
    await db.close();
    expect(await exited).toBe(0);
    expect(existsSync(socketDir)).toBe(false);
    expect(existsSync(join(dir, 'athlete.lock'))).toBe(false);
    await db.close(); // twice is harmless

    const again = await openPglite(dir);
    try {
      expect(await again.query('SELECT v FROM kept')).toEqual([{ v: 42 }]);
    } finally {
      await again.close();
    }
  });

  it('a thread that dies fails queries and ping() instead of hanging; close still cleans up', async () => {
    const base = await tempDir();
    dirs.push(base);
    const dir = join(base, 'pglite');
    const db = await openPglite(dir);
    const { worker, socketDir } = embeddedThreadFor(db)!;
    expect(await db.ping()).toBe(true);

    const inFlight = expect(db.query(HEAVY)).rejects.toThrow();
    await worker.terminate();
    await inFlight;
    expect(await db.ping()).toBe(false);
    await expect(db.query('SELECT 1')).rejects.toThrow();
    await expect(db.prisma.user.count()).rejects.toThrow();

    await db.close();
    expect(existsSync(socketDir)).toBe(false);
    expect(existsSync(join(dir, 'athlete.lock'))).toBe(false);
  });
});
