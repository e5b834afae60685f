import { randomUUID } from 'node:crypto';
import type { Database } from '@athlete/db';
import { createTestDatabase, type TestDatabase } from '@athlete/db/testing';
import { uniquePrefix } from '@athlete/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps, LiveService, UserPrincipal } from '../src/index.ts';
import { LiveSessions } from '../src/live/live-sessions.ts';
import {
  processDeps,
  removeProcessDirs,
  startProcess as startLiveProcess,
  stopProcess,
  until,
} from './live-processes.ts';

const THRESHOLDS = {
  hrAbovePctMax: null,
  hrAboveBpm: 180,
  hrAboveSeconds: 3,
  clearSeconds: 2,
  hrBelowBpm: 40,
  // Long enough that the processes' own 1 s ticks (real time) never fire during a test; the
  // tests ask for dropouts by ticking ahead explicitly.
  dropoutSeconds: 60,
  jumpBpm: 80,
};

afterAll(removeProcessDirs);

/** This file's processes: its thresholds, and samples written within 20 ms. */
const OVERRIDES = { THRESHOLDS: JSON.stringify(THRESHOLDS), LIVE_FLUSH_INTERVAL_MS: 20 };
const makeDeps = (url: string, redisPrefix?: string) =>
  processDeps(url, { redisPrefix, overrides: OVERRIDES });
const startProcess = (url: string, redisPrefix?: string) =>
  startLiveProcess(url, { redisPrefix, overrides: OVERRIDES });

async function seedAthlete(db: Database): Promise<UserPrincipal> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO users (id, email, password_hash, name, role) VALUES ($1::uuid, $2, 'x', 'A', 'athlete')`,
    [id, `${id}@test.local`],
  );
  return { kind: 'user', userId: id, role: 'athlete', sessionId: randomUUID(), via: 'bearer' };
}

/** Sends 1 Hz samples at these heart rates, device time continuing from `clock.next`. */
async function stream(live: LiveService, athlete: UserPrincipal, hrs: number[], clock: { next: number }) {
  const samples = hrs.map((hr) => ({ ts: clock.next++ * 1000, hr }));
  const outcome = await live.ingest({
    principal: athlete,
    samples,
    transport: 'http',
    forbidden: 'throw',
  });
  expect(outcome.rejected).toEqual([]);
  await outcome.durable;
  await live.settled();
}

const alertsOf = (db: Database, athleteId: string) =>
  db.prisma.alert.findMany({ where: { athleteId }, orderBy: { startedAt: 'asc' } });

const sessionRows = (db: Database, athleteId: string) =>
  db.query<{ id: string; status: string }>(
    `SELECT id, status::text AS status FROM training_sessions WHERE athlete_id = $1::uuid ORDER BY started_at`,
    [athleteId],
  );

describe('an athlete’s live stream moving to another API process (Postgres + Redis)', () => {
  let test: TestDatabase;
  let a: LiveService;
  let b: LiveService;
  let db: Database;

  beforeAll(async () => {
    test = await createTestDatabase();
    const prefix = uniquePrefix('handoff');
    [a, b] = await Promise.all([startProcess(test.url, prefix), startProcess(test.url, prefix)]);
    db = a.deps.db;
  });
  afterAll(async () => {
    await Promise.all([stopProcess(a), stopProcess(b)]);
    await test?.drop();
  });

  it('an ongoing high-HR alert continues on the new process: no second row, and that row is cleared there', async () => {
    const athlete = await seedAthlete(db);
    const id = athlete.userId;
    const clock = { next: Math.floor(Date.now() / 1000) - 120 };

    await stream(a, athlete, [170, 185, 190, 190, 190, 190], clock);
    const fired = await alertsOf(db, id);
    expect(fired).toEqual([expect.objectContaining({ rule: 'hr_high', clearedAt: null })]);
    const sessionId = a.openSession(id)!.id;
    expect(fired[0]!.sessionId).toBe(sessionId);

    // The gateway reconnects to B, HR still high: B takes the athlete over, A lets go.
    await stream(b, athlete, [192, 191, 190, 190, 190, 190], clock);
    await until('A released the athlete', () => a.openSession(id) === undefined);
    expect(b.openSession(id)?.id).toBe(sessionId);
    expect(b.openAlerts(id)).toEqual([
      expect.objectContaining({ rule: 'hr_high', startedAt: fired[0]!.startedAt.getTime() }),
    ]);
    expect(a.openAlerts(id)).toEqual([]);
    expect(await alertsOf(db, id)).toHaveLength(1);

    // HR comes down on B: B clears the row A stored, with the episode's peak seen on B.
    await stream(b, athlete, [170, 170, 170, 170], clock);
    const after = await alertsOf(db, id);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: fired[0]!.id, value: 192 });
    expect(after[0]!.clearedAt).not.toBeNull();
    expect(b.openAlerts(id)).toEqual([]);
  });

  it('the old process fires no dropout and closes nothing while the new one streams; the new one still watches', async () => {
    const athlete = await seedAthlete(db);
    const id = athlete.userId;
    const clock = { next: Math.floor(Date.now() / 1000) - 60 };
    await stream(a, athlete, [120, 121, 122], clock);
    const sessionId = a.openSession(id)!.id;
    await stream(b, athlete, [123, 124, 125], clock);
    await until('A released the athlete', () => a.openSession(id) === undefined);

    // Long past A's last sample from A's point of view: dropout time and idle time.
    const later = Date.now() + (a.deps.config.LIVE_SESSION_IDLE_SECONDS + 60) * 1000;
    expect(await a.runChecks(later)).toEqual({ idleClosed: 0 });
    expect(await alertsOf(db, id)).toEqual([]);
    expect(await sessionRows(db, id)).toEqual([{ id: sessionId, status: 'open' }]);

    // B keeps streaming into the same session; B is the one watching for silence.
    await stream(b, athlete, [126, 127], clock);
    expect(b.openSession(id)?.id).toBe(sessionId);
    // Past dropout time, not idle time: B fires the dropout and keeps the session open.
    expect(await b.runChecks(Date.now() + 120_000)).toEqual({ idleClosed: 0 });
    expect(await alertsOf(db, id)).toEqual([expect.objectContaining({ rule: 'dropout', sessionId })]);
  });

  it('keeps one open session row, and every sample from either process lands in it', async () => {
    const athlete = await seedAthlete(db);
    const id = athlete.userId;
    const clock = { next: Math.floor(Date.now() / 1000) - 60 };
    await stream(a, athlete, [110, 111, 112, 113, 114], clock);
    const sessionId = a.openSession(id)!.id;
    await stream(b, athlete, [115, 116, 117, 118, 119], clock);
    await until('A released the athlete', () => a.openSession(id) === undefined);
    // Back to A (another blip): A takes over again and B lets go.
    await stream(a, athlete, [120, 121], clock);
    await until('B released the athlete', () => b.openSession(id) === undefined);
    await stream(a, athlete, [122], clock);
    await Promise.all([a.flush(), b.flush()]);

    expect(await sessionRows(db, id)).toEqual([{ id: sessionId, status: 'open' }]);
    const samples = await db.query<{ hr: number; session_id: string }>(
      'SELECT hr, session_id::text AS session_id FROM samples WHERE athlete_id = $1::uuid ORDER BY ts',
      [id],
    );
    expect(samples.map((s) => s.hr)).toEqual([
      110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122,
    ]);
    expect(new Set(samples.map((s) => s.session_id))).toEqual(new Set([sessionId]));
    expect(a.openSession(id)?.id).toBe(sessionId);
  });

  it('a session stopped on another process is let go where it is fed: the next sample opens a new one', async () => {
    const athlete = await seedAthlete(db);
    const id = athlete.userId;
    const clock = { next: Math.floor(Date.now() / 1000) - 60 };
    await stream(b, athlete, [110, 111, 112], clock);
    const first = b.openSession(id)!.id;
    // The coach presses stop on a tablet whose request reaches A (A does not feed the athlete).
    const stopped = await a.stopSession({ principal: athlete, athleteId: id });
    expect(stopped).toMatchObject({ id: first, status: 'closed' });
    await until('B let go of the closed session', () => b.openSession(id) === undefined);
    await stream(b, athlete, [113, 114], clock);
    await b.flush();

    const rows = await sessionRows(db, id);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({ id: first, status: 'closed' });
    expect(rows[1]!.status).toBe('open');
    const samples = await db.query<{ hr: number; session_id: string }>(
      'SELECT hr, session_id::text AS session_id FROM samples WHERE athlete_id = $1::uuid ORDER BY ts',
      [id],
    );
    expect(samples.filter((x) => x.session_id === first).map((x) => x.hr)).toEqual([110, 111, 112]);
    expect(samples.filter((x) => x.session_id === rows[1]!.id).map((x) => x.hr)).toEqual([113, 114]);
  });
});

describe('idle sweep of a session another process feeds (no handoff notice arrived)', () => {
  let test: TestDatabase;
  let db: Database;
  let deps: Deps;

  beforeAll(async () => {
    test = await createTestDatabase();
    deps = await makeDeps(test.url);
    db = deps.db;
  });
  afterAll(async () => {
    await deps?.platform.close();
    await db?.close();
    await test?.drop();
  });

  const sessionsOf = () => {
    const released: string[] = [];
    const sessions = new LiveSessions({
      deps,
      flushSamples: async () => {},
      announce: () => {},
      onClosed: () => {},
      onReleased: (athleteId) => released.push(athleteId),
    });
    return { sessions, released };
  };

  it('lets go of a session whose last_sample_at moved past what it saw, and closes one nobody fed', async () => {
    const fedElsewhere = (await seedAthlete(db)).userId;
    const silent = (await seedAthlete(db)).userId;
    const { sessions, released } = sessionsOf();
    const ts = Date.now() - 30_000;
    const opened = await sessions.ensureMany(
      new Map([
        [fedElsewhere, ts],
        [silent, ts],
      ]),
      'live',
    );
    // Another process advanced the row's last_sample_at (as its write-behind does).
    await db.query(`UPDATE training_sessions SET last_sample_at = $2 WHERE id = $1::uuid`, [
      opened.get(fedElsewhere)!.id,
      new Date(ts + 20_000).toISOString(),
    ]);

    const later = Date.now() + deps.config.LIVE_SESSION_IDLE_SECONDS * 1000;
    expect(await sessions.sweepIdle(later)).toBe(1);
    expect(released).toEqual([fedElsewhere]);
    expect(sessions.current(fedElsewhere)).toBeUndefined();
    expect(await sessionRows(db, fedElsewhere)).toEqual([
      { id: opened.get(fedElsewhere)!.id, status: 'open' },
    ]);
    expect(await sessionRows(db, silent)).toEqual([{ id: opened.get(silent)!.id, status: 'closed' }]);
  });
});

describe('one process (no Redis): a session adopted after a restart continues its open alerts', () => {
  let test: TestDatabase;
  let first: LiveService | undefined;
  let second: LiveService | undefined;

  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(async () => {
    await stopProcess(first);
    await stopProcess(second);
    await test?.drop();
  });

  it('does not raise the ongoing alert again after a restart, and clears it when HR comes down', async () => {
    first = await startProcess(test.url);
    expect(first.deps.platform.mode).toBe('embedded');
    const athlete = await seedAthlete(first.deps.db);
    const id = athlete.userId;
    const clock = { next: Math.floor(Date.now() / 1000) - 60 };
    await stream(first, athlete, [185, 190, 190, 190, 190], clock);
    await stopProcess(first);
    first = undefined;

    second = await startProcess(test.url);
    await stream(second, athlete, [190, 190, 190], clock);
    const during = await alertsOf(second.deps.db, id);
    expect(during).toEqual([expect.objectContaining({ rule: 'hr_high', clearedAt: null })]);
    await stream(second, athlete, [170, 170, 170, 170], clock);
    const after = await alertsOf(second.deps.db, id);
    expect(after).toHaveLength(1);
    expect(after[0]!.id).toBe(during[0]!.id);
    expect(after[0]!.clearedAt).not.toBeNull();
  });
});
