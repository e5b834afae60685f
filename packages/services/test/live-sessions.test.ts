import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@athlete/config';
import { type Database, openPostgres, runMigrations } from '@athlete/db';
import {
  createEmptyTestDatabase,
  createTestDatabase,
  databaseTargets,
  migrateBefore,
  type TestDatabase,
} from '@athlete/db/testing';
import { createPlatform } from '@athlete/platform';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Deps, type DevicePrincipal, LiveService } from '../src/index.ts';
import { LiveSessions } from '../src/live/live-sessions.ts';
import { athleteCacheKey } from '../src/sessions/range.ts';

interface Announced {
  athleteId: string;
  event: string;
  sessionId: string;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function makeDeps(db: Database, databaseUrl?: string): Promise<Deps> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ap-live-sessions-'));
  dirs.push(dataDir);
  const config = loadConfig({ env: {}, overrides: { DATA_DIR: dataDir, DATABASE_URL: databaseUrl } });
  const platform = await createPlatform(config);
  return { config, db, platform, log: pino({ level: 'silent' }), metrics: new Registry() };
}

/** One process's session bookkeeping, recording what it announces. */
function sessionsOf(deps: Deps) {
  const announced: Announced[] = [];
  const sessions = new LiveSessions({
    deps,
    flushSamples: async () => {},
    announce: (_athleteId, message) => announced.push(message as Announced),
    onClosed: () => {},
  });
  return { sessions, announced };
}

async function seedAthletes(db: Database, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  await db.query(
    `INSERT INTO users (id, email, password_hash, name, role)
     SELECT u, u::text || '@test.local', 'x', 'A', 'athlete' FROM unnest($1::uuid[]) AS u`,
    [ids],
  );
  return ids;
}

const openRows = (db: Database, athleteIds: string[]) =>
  db.query<{ id: string; athlete_id: string }>(
    `SELECT id, athlete_id FROM training_sessions
      WHERE athlete_id = ANY($1::uuid[]) AND status = 'open' AND source IN ('live', 'simulator')`,
    [athleteIds],
  );

const insertOpenRow = async (db: Database, athleteId: string, lastSampleAt: Date) =>
  (
    await db.query<{ id: string }>(
      `INSERT INTO training_sessions (athlete_id, source, status, started_at, last_sample_at)
       VALUES ($1::uuid, 'live', 'open', $2, $2) RETURNING id`,
      [athleteId, lastSampleAt.toISOString()],
    )
  )[0]!.id;

const firstTsFor = (ids: string[], ts = Date.now()) => new Map(ids.map((id) => [id, ts]));

/** Postgres and PGlite (the shared targets), each with its own deps. */
const targets = databaseTargets.map((base) => ({
  name: base.name,
  async open() {
    const opened = await base.open();
    const deps = await makeDeps(opened.db);
    return {
      db: opened.db,
      deps,
      async cleanup() {
        await deps.platform.close();
        await opened.cleanup();
      },
    };
  },
}));

describe.each(targets)('live session opening ($name)', (target) => {
  let db: Database;
  let deps: Deps;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ db, deps, cleanup } = await target.open());
  });
  afterAll(() => cleanup?.());

  it('opens a gateway message worth of athletes together, announcing each start once', async () => {
    const ids = await seedAthletes(db, 50);
    const { sessions, announced } = sessionsOf(deps);
    const ts = Date.now() - 2_000;
    const opened = await sessions.ensureMany(firstTsFor(ids, ts), 'live');
    expect(opened.size).toBe(50);
    const rows = await openRows(db, ids);
    expect(rows).toHaveLength(50);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set([...opened.values()].map((s) => s.id)));
    expect(
      announced
        .filter((a) => a.event === 'started')
        .map((a) => a.athleteId)
        .sort(),
    ).toEqual([...ids].sort());
    const first = opened.get(ids[0]!)!;
    expect(first).toMatchObject({ athleteId: ids[0], source: 'live', startedAt: ts, lastTs: ts });
    // The event carries the row in the API's shape (raw SQL rows typed as Prisma's).
    expect(announced.find((a) => a.athleteId === ids[0])).toMatchObject({
      sessionId: first.id,
      session: {
        id: first.id,
        status: 'open',
        source: 'live',
        startedAt: new Date(ts).toISOString(),
        lastSampleAt: new Date(ts).toISOString(),
        endedAt: null,
        timeInZonesS: [],
        summary: null,
      },
    });
    // The steady state answers without a promise.
    expect(sessions.ensureMany(firstTsFor(ids), 'live')).toBeInstanceOf(Map);
  });

  it('adopts an open row another process left (no new start), and replaces an idle one after summarising it', async () => {
    const [recent, idle] = await seedAthletes(db, 2);
    const recentRow = await insertOpenRow(db, recent!, new Date(Date.now() - 5_000));
    const idleSince = new Date(Date.now() - (deps.config.LIVE_SESSION_IDLE_SECONDS + 60) * 1000);
    const idleRow = await insertOpenRow(db, idle!, idleSince);
    const { sessions, announced } = sessionsOf(deps);
    const opened = await sessions.ensureMany(firstTsFor([recent!, idle!]), 'live');
    expect(opened.get(recent!)!.id).toBe(recentRow);
    expect(opened.get(idle!)!.id).not.toBe(idleRow);
    const [old] = await db.query<{ status: string; ended_at: Date | null; summary: unknown }>(
      'SELECT status::text AS status, ended_at, summary FROM training_sessions WHERE id = $1::uuid',
      [idleRow],
    );
    expect(old).toMatchObject({ status: 'closed', ended_at: idleSince, summary: expect.any(Object) });
    expect(announced.map((a) => [a.event, a.athleteId])).toEqual(
      expect.arrayContaining([
        ['stopped', idle],
        ['started', idle],
      ]),
    );
    expect(announced.some((a) => a.athleteId === recent)).toBe(false);
    expect(await openRows(db, [recent!, idle!])).toHaveLength(2);
  });

  it('after an explicit stop the next sample opens a new session; an explicit start keeps an open one', async () => {
    const [athlete] = await seedAthletes(db, 1);
    const { sessions } = sessionsOf(deps);
    const started = await sessions.start(athlete!, 'simulator');
    expect(started.source).toBe('simulator');
    expect((await sessions.start(athlete!, 'live')).id).toBe(started.id);
    const stopped = await sessions.stopAthlete(athlete!);
    expect(stopped).toMatchObject({ id: started.id, status: 'closed' });
    const again = await sessions.ensure(athlete!, 'live', Date.now());
    expect(again.id).not.toBe(started.id);
    expect((await openRows(db, [athlete!])).map((r) => r.id)).toEqual([again.id]);
  });

  it('refuses a second open live row for an athlete at the database', async () => {
    const [athlete] = await seedAthletes(db, 1);
    await insertOpenRow(db, athlete!, new Date());
    await expect(insertOpenRow(db, athlete!, new Date())).rejects.toThrow(/unique|duplicate/i);
    // Other sources (imports, providers) are not limited.
    await db.query(
      `INSERT INTO training_sessions (athlete_id, source, status, started_at) VALUES ($1::uuid, 'file', 'open', now())`,
      [athlete],
    );
  });
});

describe('live session opening across processes (Postgres)', () => {
  let test: TestDatabase;
  let dbA: Database;
  let dbB: Database;
  let depsA: Deps;
  let depsB: Deps;
  beforeAll(async () => {
    test = await createTestDatabase();
    // Two processes: separate pools on the same database.
    [dbA, dbB] = await Promise.all([
      openPostgres(test.url, { poolSize: 4 }),
      openPostgres(test.url, { poolSize: 4 }),
    ]);
    [depsA, depsB] = await Promise.all([makeDeps(dbA, test.url), makeDeps(dbB, test.url)]);
  });
  afterAll(async () => {
    await Promise.all([depsA?.platform.close(), depsB?.platform.close()]);
    await Promise.all([dbA?.close(), dbB?.close()]);
    await test?.drop();
  });

  it('two processes opening 400 athletes at once (batches and single athletes) share exactly one row each', async () => {
    const ids = await seedAthletes(dbA, 400);
    const a = sessionsOf(depsA);
    const b = sessionsOf(depsB);
    const ts = Date.now();
    // A receives gateway messages of 50; B receives the same athletes in other groupings, and
    // some one by one, all at the same moment.
    const work: Array<Promise<unknown>> = [];
    for (let i = 0; i < ids.length; i += 50) {
      work.push(Promise.resolve(a.sessions.ensureMany(firstTsFor(ids.slice(i, i + 50), ts), 'live')));
    }
    for (let i = 0; i < ids.length; i += 80) {
      work.push(Promise.resolve(b.sessions.ensureMany(firstTsFor(ids.slice(i, i + 80), ts), 'live')));
    }
    for (const id of ids.slice(0, 20)) work.push(Promise.resolve(b.sessions.ensure(id, 'live', ts)));
    await Promise.all(work);

    const rows = await openRows(dbA, ids);
    expect(rows).toHaveLength(ids.length);
    expect(new Set(rows.map((r) => r.athlete_id)).size).toBe(ids.length);
    const rowOf = new Map(rows.map((r) => [r.athlete_id, r.id]));
    for (const id of ids) {
      expect(a.sessions.current(id)?.id).toBe(rowOf.get(id));
      expect(b.sessions.current(id)?.id).toBe(rowOf.get(id));
    }
    // Each session was announced as started once, by whichever process created it.
    const started = [...a.announced, ...b.announced].filter((m) => m.event === 'started');
    expect(started.map((m) => m.athleteId).sort()).toEqual([...ids].sort());
  });

  it('two processes finding the same idle rows close each once and share the new rows', async () => {
    const ids = await seedAthletes(dbA, 30);
    const idleSince = new Date(Date.now() - (depsA.config.LIVE_SESSION_IDLE_SECONDS + 60) * 1000);
    const old = await Promise.all(ids.map((id) => insertOpenRow(dbA, id, idleSince)));
    const a = sessionsOf(depsA);
    const b = sessionsOf(depsB);
    await Promise.all([
      a.sessions.ensureMany(firstTsFor(ids), 'live'),
      b.sessions.ensureMany(firstTsFor(ids), 'live'),
    ]);
    const closed = await dbA.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM training_sessions WHERE id = ANY($1::uuid[]) AND status = 'closed'`,
      [old],
    );
    expect(closed[0]!.n).toBe(ids.length);
    const rows = await openRows(dbA, ids);
    expect(rows).toHaveLength(ids.length);
    for (const r of rows) {
      expect(a.sessions.current(r.athlete_id)?.id).toBe(r.id);
      expect(b.sessions.current(r.athlete_id)?.id).toBe(r.id);
    }
    const all = [...a.announced, ...b.announced];
    expect(all.filter((m) => m.event === 'stopped')).toHaveLength(ids.length);
    expect(all.filter((m) => m.event === 'started')).toHaveLength(ids.length);
  });
});

describe('migration 0004: one open live session per athlete', () => {
  let test: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    test = await createEmptyTestDatabase();
    db = await openPostgres(test.url, { poolSize: 1 });
  });
  afterAll(async () => {
    await db?.close();
    await test?.drop();
  });

  it('closes older duplicate open rows (keeping the newest) before creating the index', async () => {
    await migrateBefore(db, '0004_one_open_live_session.sql');
    const [twice, once] = await seedAthletes(db, 2);
    const t0 = Date.now() - 3_600_000;
    const at = (s: number) => new Date(t0 + s * 1000).toISOString();
    const insert = async (athleteId: string, startS: number, lastS: number | null, source = 'live') =>
      (
        await db.query<{ id: string }>(
          `INSERT INTO training_sessions (athlete_id, source, status, started_at, last_sample_at)
           VALUES ($1::uuid, $2::"SessionSource", 'open', $3, $4) RETURNING id`,
          [athleteId, source, at(startS), lastS === null ? null : at(lastS)],
        )
      )[0]!.id;
    const oldest = await insert(twice!, 0, 600);
    const middle = await insert(twice!, 100, null, 'simulator');
    const newest = await insert(twice!, 200, 900);
    const single = await insert(once!, 50, 700);

    // 0004 comes first; later migrations follow it in the same run.
    expect((await runMigrations(db))[0]).toBe('0004_one_open_live_session.sql');
    const rows = await db.query<{
      id: string;
      status: string;
      ended_at: Date | null;
      duration_s: number | null;
    }>(
      `SELECT id, status::text AS status, ended_at, duration_s FROM training_sessions WHERE id = ANY($1::uuid[])`,
      [[oldest, middle, newest, single]],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(newest)).toMatchObject({ status: 'open', ended_at: null });
    expect(byId.get(single)).toMatchObject({ status: 'open', ended_at: null });
    expect(byId.get(oldest)).toMatchObject({
      status: 'closed',
      ended_at: new Date(at(600)),
      duration_s: 600,
    });
    expect(byId.get(middle)).toMatchObject({ status: 'closed', ended_at: new Date(at(100)), duration_s: 0 });
    await expect(insert(once!, 800, 800)).rejects.toThrow(/unique|duplicate/i);
  });
});

describe('LiveService ingest rights: one query per message, shared while in flight, dropped on access change', () => {
  let test: TestDatabase;
  let db: Database;
  let live: LiveService;
  let queries = 0;
  let athletes: string[];
  let gateway: DevicePrincipal;
  beforeAll(async () => {
    test = await createTestDatabase();
    db = await openPostgres(test.url, { poolSize: 2 });
    const counting: Database = {
      ...db,
      query: (sql: string, params?: unknown[]) => {
        if (/team_members/.test(sql)) queries++;
        return db.query(sql, params);
      },
    } as Database;
    live = new LiveService({ ...(await makeDeps(db, test.url)), db: counting });
    athletes = await seedAthletes(db, 60);
    const [coach] = await db.query<{ id: string }>(
      `INSERT INTO users (email, password_hash, name, role) VALUES ('c@test.local', 'x', 'C', 'coach') RETURNING id`,
    );
    const [team] = await db.query<{ id: string }>(
      `INSERT INTO teams (name, created_by_id) VALUES ('T', $1::uuid) RETURNING id`,
      [coach!.id],
    );
    await db.query(
      `INSERT INTO team_members (team_id, user_id, role, consent_live)
       SELECT $1::uuid, u, 'athlete'::"TeamRole", i <= 50 FROM unnest($2::uuid[]) WITH ORDINALITY AS x(u, i)
       UNION ALL SELECT $1::uuid, $3::uuid, 'coach'::"TeamRole", false`,
      [team!.id, athletes, coach!.id],
    );
    gateway = {
      kind: 'device',
      deviceId: randomUUID(),
      ownerId: coach!.id,
      deviceKind: 'gateway',
      athleteId: null,
      teamId: team!.id,
    };
  });
  afterAll(async () => {
    await live?.close();
    await live?.deps.platform.close();
    await db?.close();
    await test?.drop();
  });

  it('checks a message of 60 athletes in one query; a concurrent message waits for it; then answers from the cache', async () => {
    queries = 0;
    const first = live.forbiddenAthletes(gateway, athletes);
    const second = live.forbiddenAthletes(gateway, athletes.slice(0, 30));
    expect(first).toBeInstanceOf(Promise);
    const [f1, f2] = await Promise.all([first, second]);
    expect(queries).toBe(1);
    expect([...f1].sort()).toEqual(athletes.slice(50).sort());
    expect(f2).toEqual(new Set());
    const cached = live.forbiddenAthletes(gateway, athletes);
    expect(cached).toBeInstanceOf(Set);
    expect(cached).toEqual(f1);
    expect(await live.mayIngestFor(gateway, athletes[0]!)).toBe(true);
    expect(await live.mayIngestFor(gateway, athletes[55]!)).toBe(false);
    expect(queries).toBe(1);
  });

  it('drops the cached reads of the athletes a gateway message opens sessions for in one round trip', async () => {
    const cache = live.deps.platform.cache;
    const calls: string[][] = [];
    const setMany = cache.setMany.bind(cache);
    cache.setMany = (entries, ttlMs) => {
      const list = [...entries];
      calls.push(list.map(([k]) => k));
      return setMany(list, ttlMs);
    };
    const key = await athleteCacheKey(live.deps, athletes[0]!, 'x');
    // One message from the gateway opens a session for each of the 50 consenting athletes.
    const outcome = await live.ingest({
      principal: gateway,
      samples: athletes.slice(0, 50).map((athleteId) => ({ athleteId, ts: Date.now() - 1_000, hr: 120 })),
      transport: 'http',
      forbidden: 'throw',
    });
    expect(outcome.taken).toBe(50);
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(50);
    expect(await athleteCacheKey(live.deps, athletes[0]!, 'x')).not.toBe(key);
  });

  it('forgets verdicts when access changes, including one computed while the change happened', async () => {
    await db.query('UPDATE team_members SET consent_live = false WHERE user_id = $1::uuid', [athletes[1]]);
    // Cached until told (access.changed): the stale "allowed" still stands.
    expect(live.forbiddenAthletes(gateway, [athletes[1]!])).toEqual(new Set());
    await live.accessChanged({ athleteId: athletes[3] });
    queries = 0;
    const during = live.forbiddenAthletes(gateway, [athletes[2]!]);
    expect(during).toBeInstanceOf(Promise);
    await live.accessChanged({ athleteId: athletes[1] });
    await during;
    // The verdict that straddled the change was not kept: asked again, it goes to the database.
    const again = live.forbiddenAthletes(gateway, [athletes[2]!]);
    expect(again).toBeInstanceOf(Promise);
    expect(await again).toEqual(new Set());
    expect(await live.forbiddenAthletes(gateway, [athletes[1]!])).toEqual(new Set([athletes[1]]));
    expect(queries).toBe(3);
  });
});
