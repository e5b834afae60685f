import { type Principal, resolvePrincipal } from '@athlete/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers.ts';
import {
  type Actor,
  acks,
  createLiveWorld,
  createUser,
  framesSamples,
  type LiveWorld,
  listen,
  samplesFor,
  TestSocket,
} from './live-fixtures.ts';

describe('ingest (services mode)', () => {
  let t: TestApp;
  let w: LiveWorld;
  let base: string;
  const post = (token: string | undefined, body: unknown) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: token ? { authorization: `Bearer ${token}` } : {},
      payload: body as object,
    });
  const rowsOf = async (athleteId: string) =>
    t.app.deps.db.query<{ ts: Date; seq: number; session_id: string | null; hr: number }>(
      'SELECT ts, seq, session_id, hr FROM samples WHERE athlete_id = $1 ORDER BY ts',
      [athleteId],
    );

  beforeAll(async () => {
    t = await buildTestApp({ overrides: { LIVE_FLUSH_INTERVAL_MS: 50 } });
    w = await createLiveWorld(t.app.deps);
    base = await listen(t.app);
  });
  afterAll(async () => t?.close());

  it('stores the good samples of a batch, names the bad ones, and opens a session', async () => {
    const samples = samplesFor(undefined, 4);
    samples[3] = { ...samples[3], hr: 300 };
    samples.push({ ts: 'yesterday', hr: 100 });
    const res = await post(w.a1.token, { samples });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body.accepted).toBe(3);
    expect(body.duplicates).toBe(0);
    expect(body.rejected).toEqual([
      { index: 3, field: 'hr', reason: expect.stringContaining('between 25 and 250') },
      { index: 4, field: 'ts', reason: expect.any(String) },
    ]);
    const rows = await rowsOf(w.a1.id);
    expect(rows.map((r) => r.hr)).toEqual([120, 121, 122]);
    const session = await t.app.deps.db.prisma.trainingSession.findFirstOrThrow({
      where: { athleteId: w.a1.id },
    });
    expect(session.status).toBe('open');
    expect(rows.every((r) => r.session_id === session.id)).toBe(true);

    // The same batch again: nothing new, every valid sample reported as a duplicate.
    const again = await post(w.a1.token, { samples });
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 3 });
    expect(await rowsOf(w.a1.id)).toHaveLength(3);
  });

  it('refuses a batch with no valid sample with a 400 naming the fields', async () => {
    const res = await post(w.a1.token, {
      samples: [
        { ts: Date.now(), hr: 10 },
        { ts: Date.now(), lat: 95, lon: 0 },
      ],
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('VALIDATION_ERROR');
    expect(body.error.details.map((d: { field: string }) => d.field)).toEqual([
      'body.samples.0.hr',
      'body.samples.1.lat',
    ]);
    const empty = await post(w.a1.token, { samples: [] });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toContain('samples');
  });

  it('lets a gateway key write only for consenting members of its team, naming the athlete otherwise', async () => {
    const ok = await post(w.gatewayKey, { samples: samplesFor(w.a2.id, 2) });
    expect(ok.statusCode).toBe(202);
    expect(ok.json().accepted).toBe(2);

    const before = await rowsOf(w.outsider.id);
    const res = await post(w.gatewayKey, {
      samples: [...samplesFor(w.a2.id, 1, { start: Date.now() }), ...samplesFor(w.outsider.id, 2)],
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toContain(w.outsider.id);
    expect(await rowsOf(w.outsider.id)).toEqual(before);

    // A gateway must say which athlete; a personal key defaults to its athlete.
    const missing = await post(w.gatewayKey, { samples: samplesFor(undefined, 1) });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details[0].field).toBe('body.samples.0.athleteId');
    const personal = await post(w.a1Key, { samples: samplesFor(undefined, 1, { start: Date.now() - 500 }) });
    expect(personal.json().accepted).toBe(1);
    const foreign = await post(w.a1Key, { samples: samplesFor(w.a2.id, 1) });
    expect(foreign.statusCode).toBe(403);
  });

  it('answers 401 without credentials', async () => {
    const res = await post(undefined, { samples: samplesFor(undefined, 1) });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('acks streamed samples by seq once durable; reconnect-and-resend leaves one row per sample', async () => {
    const athlete = w.a2.id;
    const start = Date.now() - 3_600_000;
    const all = samplesFor(athlete, 30, { start, seqFrom: 1 });
    const before = (await rowsOf(athlete)).length;

    const first = await TestSocket.open(`${base}/ws/ingest`, w.gatewayKey);
    first.send({ type: 'samples', samples: all.slice(0, 10) });
    await first.waitFor((m) => acks(m, 10));
    // Sent but the connection drops before any ack arrives.
    first.send({ type: 'samples', samples: all.slice(10, 20) });
    first.ws.terminate();

    const second = await TestSocket.open(`${base}/ws/ingest`, w.gatewayKey);
    // The client resends everything not acknowledged (11..20) plus new samples.
    second.send({ type: 'samples', samples: all.slice(10, 20) });
    second.send({ type: 'samples', samples: all.slice(20) });
    await second.waitFor((m) => acks(m, 30));
    second.close();

    const rows = (await rowsOf(athlete)).filter(
      (r) => r.ts.getTime() >= start && r.ts.getTime() < start + 30_000,
    );
    expect(rows).toHaveLength(30);
    expect(rows.map((r) => r.seq)).toEqual(all.map((s) => s.seq));
    expect((await rowsOf(athlete)).length - before).toBe(30);
  });

  it('reports rejected stream samples with their seq and still acks them', async () => {
    const s = await TestSocket.open(`${base}/ws/ingest`, w.a1Key);
    s.send({ type: 'samples', samples: [{ ts: Date.now(), seq: 500, hr: 20 }] });
    const rejected = await s.waitFor((m) => m.type === 'rejected');
    expect(rejected.items).toEqual([{ index: 0, field: 'hr', reason: expect.any(String), seq: 500 }]);
    await s.waitFor((m) => acks(m, 500));
    s.send({ type: 'nonsense' });
    const err = await s.waitFor((m) => m.type === 'error');
    expect(err.code).toBe('VALIDATION_ERROR');
    s.close();
  });

  /** The team gateway as the live service sees it (for asking its cached ingest verdicts). */
  const gatewayPrincipal = async () =>
    (await resolvePrincipal({ deps: t.app.deps, credential: w.gatewayKey, via: 'bearer' })) as Principal;
  /** A consenting athlete of the world's team, for tests that change their account. */
  const teamAthlete = async (): Promise<Actor> => {
    const athlete = await createUser(t.app.deps, 'athlete');
    await t.app.deps.db.prisma.teamMember.create({
      data: { teamId: w.teamId, userId: athlete.id, role: 'athlete', consentLive: true },
    });
    return athlete;
  };
  const openSessions = (athleteId: string) =>
    t.app.deps.db.prisma.trainingSession.count({ where: { athleteId, status: 'open' } });

  it('takes an upper-case athlete id as the stored athlete: one row per sample, resends in either case deduplicated', async () => {
    const athlete = await teamAthlete();
    const upper = athlete.id.toUpperCase();
    const samples = samplesFor(upper, 3);
    const first = await post(w.gatewayKey, { samples });
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    // Again, now that the id is known (the fast path), and in lower case.
    const again = await post(w.gatewayKey, {
      samples: samplesFor(upper, 3, { start: samples[0]!.ts as number }),
    });
    expect(again.json()).toEqual({ accepted: 0, duplicates: 3, rejected: [] });
    const lower = samplesFor(athlete.id, 3, { start: samples[0]!.ts as number });
    expect((await post(w.gatewayKey, { samples: lower })).json()).toEqual({
      accepted: 0,
      duplicates: 3,
      rejected: [],
    });
    expect((await rowsOf(athlete.id)).map((r) => r.hr)).toEqual([120, 121, 122]);
    expect(await openSessions(athlete.id)).toBe(1);
    // The athlete's own sign-in names themselves in upper case too.
    const own = await post(athlete.token, {
      samples: samplesFor(upper, 1, { start: (samples[2]!.ts as number) + 1000 }),
    });
    expect(own.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect(await rowsOf(athlete.id)).toHaveLength(4);
    expect(await openSessions(athlete.id)).toBe(1);
  });

  it('streams upper-case ids into the same session and fan-out as lower-case ones', async () => {
    const athlete = await teamAthlete();
    const upper = athlete.id.toUpperCase();
    const viewer = await TestSocket.open(`${base}/ws/live?athleteId=${athlete.id}`, w.coach.token);
    await viewer.waitFor((m) => m.type === 'snapshot');
    const start = Date.now() - 60_000;
    const all = samplesFor(upper, 6, { start, seqFrom: 1 });
    const s = await TestSocket.open(`${base}/ws/ingest`, w.gatewayKey);
    s.send({ type: 'session', action: 'start', athleteId: upper });
    const started = await s.waitFor((m) => m.type === 'session');
    expect(started.athleteId).toBe(athlete.id);
    s.send({ type: 'samples', samples: all.slice(0, 4) });
    await s.waitFor((m) => acks(m, 4));
    // A resend of 3..4 in lower case plus the rest in upper case.
    s.send({
      type: 'samples',
      samples: [...samplesFor(athlete.id, 2, { start: start + 2000, seqFrom: 3 }), ...all.slice(4)],
    });
    await s.waitFor((m) => acks(m, 6));
    expect(s.messages.filter((m) => m.type === 'rejected' || m.type === 'error')).toEqual([]);
    s.close();

    const rows = await rowsOf(athlete.id);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(rows.map((r) => r.session_id))).toEqual(new Set([started.sessionId]));
    expect(await openSessions(athlete.id)).toBe(1);
    await expect.poll(() => framesSamples(viewer.messages).map((m) => m.ts)).toEqual(all.map((x) => x.ts));
    expect(new Set(framesSamples(viewer.messages).map((m) => m.athleteId))).toEqual(new Set([athlete.id]));
    viewer.close();
  });

  it('stops a gateway writing for a disabled athlete, on an open socket too, and resumes once re-enabled', async () => {
    const [kept, disabled] = await Promise.all([teamAthlete(), teamAthlete()]);
    const gateway = await gatewayPrincipal();
    const s = await TestSocket.open(`${base}/ws/ingest`, w.gatewayKey);
    let seq = 1000;
    const ts = Date.now() - 120_000;
    /** One sample of each athlete per message; resolves with the message's rejections. */
    const sendBoth = async () => {
      const batch = [
        { athleteId: kept.id, ts: ts + seq, seq: seq++, hr: 130 },
        { athleteId: disabled.id, ts: ts + seq, seq: seq++, hr: 131 },
      ];
      const before = s.messages.length;
      s.send({ type: 'samples', samples: batch });
      await s.waitFor((m) => acks(m, seq - 1));
      return s.messages.slice(before).filter((m) => m.type === 'rejected');
    };
    const admin = (action: 'disable' | 'enable') =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/admin/users/${disabled.id}/${action}`,
        headers: { authorization: `Bearer ${w.admin.token}` },
      });

    expect(await sendBoth()).toEqual([]);
    expect((await admin('disable')).statusCode).toBe(200);
    // The verdict the socket's earlier message cached is dropped once access.changed arrives.
    await expect.poll(() => t.app.live.mayIngestFor(gateway, disabled.id)).toBe(false);
    expect(await sendBoth()).toEqual([
      {
        type: 'rejected',
        items: [
          {
            index: 1,
            field: 'athleteId',
            reason: `not allowed to write for athlete ${disabled.id}`,
            seq: seq - 1,
          },
        ],
      },
    ]);
    // Upper case is the same athlete: still refused.
    s.send({
      type: 'samples',
      samples: [{ athleteId: disabled.id.toUpperCase(), ts: ts + seq, seq, hr: 90 }],
    });
    const refused = await s.waitFor(
      (m) => m.type === 'rejected' && (m.items as Array<{ seq: number }>)[0]?.seq === seq,
    );
    expect((refused.items as Array<{ reason: string }>)[0]!.reason).toContain(disabled.id);
    seq++;
    // A plain request is refused whole, naming the athlete.
    const http = await post(w.gatewayKey, { samples: samplesFor(disabled.id, 1) });
    expect(http.statusCode).toBe(403);
    expect(http.json().error.message).toContain(disabled.id);

    expect((await admin('enable')).statusCode).toBe(200);
    await expect.poll(() => t.app.live.mayIngestFor(gateway, disabled.id)).toBe(true);
    expect(await sendBoth()).toEqual([]);
    s.close();

    expect((await rowsOf(kept.id)).map((r) => r.hr)).toEqual([130, 130, 130]);
    expect((await rowsOf(disabled.id)).map((r) => r.seq)).toEqual([1001, 1006]);
  });

  it("accepts a gateway's samples for an athlete as soon as they grant live consent, on an open socket", async () => {
    const athlete = await createUser(t.app.deps, 'athlete');
    await t.app.deps.db.prisma.teamMember.create({
      data: { teamId: w.teamId, userId: athlete.id, role: 'athlete', consentLive: false },
    });
    const gateway = await gatewayPrincipal();
    const s = await TestSocket.open(`${base}/ws/ingest`, w.gatewayKey);
    const ts = Date.now() - 60_000;
    s.send({ type: 'samples', samples: [{ athleteId: athlete.id, ts, seq: 1, hr: 120 }] });
    const refused = await s.waitFor((m) => m.type === 'rejected');
    expect((refused.items as Array<{ reason: string }>)[0]!.reason).toBe(
      `not allowed to write for athlete ${athlete.id}`,
    );

    const granted = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/teams/${w.teamId}/consent`,
      headers: { authorization: `Bearer ${athlete.token}` },
      payload: { live: true, sessions: false, wellness: false },
    });
    expect(granted.statusCode).toBe(200);
    // The refusal the socket cached is dropped when access.changed arrives (it would otherwise last minutes).
    await expect.poll(() => t.app.live.mayIngestFor(gateway, athlete.id)).toBe(true);
    const before = s.messages.length;
    s.send({ type: 'samples', samples: [{ athleteId: athlete.id, ts: ts + 1000, seq: 2, hr: 121 }] });
    await s.waitFor((m) => acks(m, 2));
    expect(s.messages.slice(before).filter((m) => m.type === 'rejected')).toEqual([]);
    s.close();
    expect((await rowsOf(athlete.id)).map((r) => r.seq)).toEqual([2]);
  });

  it("accepts a gateway's samples for an athlete as soon as they join the team by invite", async () => {
    const athlete = await createUser(t.app.deps, 'athlete');
    const gateway = await gatewayPrincipal();
    // Not a member yet: refused, and the refusal is cached.
    expect(await t.app.live.mayIngestFor(gateway, athlete.id)).toBe(false);
    const { email } = await t.app.deps.db.prisma.user.findUniqueOrThrow({ where: { id: athlete.id } });
    const invite = await t.app.inject({
      method: 'POST',
      url: `/api/v1/teams/${w.teamId}/invites`,
      headers: { authorization: `Bearer ${w.coach.token}` },
      payload: { email },
    });
    expect(invite.statusCode).toBe(201);
    const accepted = await t.app.inject({
      method: 'POST',
      url: `/api/v1/invites/${invite.json().invite.code}/accept`,
      headers: { authorization: `Bearer ${athlete.token}` },
      payload: {},
    });
    expect(accepted.statusCode).toBe(200);
    await expect.poll(() => t.app.live.mayIngestFor(gateway, athlete.id)).toBe(true);
    const res = await post(w.gatewayKey, { samples: samplesFor(athlete.id, 2) });
    expect(res.json()).toMatchObject({ accepted: 2, rejected: [] });
  });

  it('puts samples far older than the open session into a session of their own time (#12.8)', async () => {
    const athlete = await createUser(t.app.deps, 'athlete');
    const sessionsOf = () =>
      t.app.deps.db.prisma.trainingSession.findMany({
        where: { athleteId: athlete.id },
        orderBy: { startedAt: 'asc' },
      });
    // Streaming now: one open session.
    expect((await post(athlete.token, { samples: samplesFor(undefined, 5) })).statusCode).toBe(202);
    const [today] = await sessionsOf();
    expect(today!.status).toBe('open');

    // A recorder that was offline six days ago sends its backlog: 202, kept, but not today's.
    const sixDaysAgo = Date.now() - 6 * 86_400_000;
    const res = await post(athlete.token, {
      samples: samplesFor(undefined, 5, { start: sixDaysAgo, seqFrom: 100 }),
    });
    expect(res.statusCode).toBe(202);
    expect(res.json().accepted).toBe(5);
    // Its continuation (the next seconds of that run) joins the same past session.
    const more = samplesFor(undefined, 5, { start: sixDaysAgo + 5_000, seqFrom: 105 });
    expect((await post(athlete.token, { samples: more })).statusCode).toBe(202);

    const summarised = async () => {
      const all = await sessionsOf();
      const past = all.find((x) => x.id !== today!.id);
      return past?.summary && (past.summary as { sampleCount: number }).sampleCount === 10 ? all : undefined;
    };
    let all: Awaited<ReturnType<typeof sessionsOf>> | undefined;
    for (let i = 0; i < 100 && all === undefined; i++) {
      all = await summarised();
      if (all === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    expect(all, 'the past session was never summarised').toBeDefined();
    expect(all!.map((x) => x.status)).toEqual(['closed', 'open']);
    const [past, open] = all!;
    expect(open!.id).toBe(today!.id);
    expect(open!.startedAt.getTime()).toBe(today!.startedAt.getTime());
    expect(past!.source).toBe('live');
    expect(past!.startedAt.getTime()).toBe(sixDaysAgo);
    expect(past!.endedAt!.getTime()).toBe(sixDaysAgo + 9_000);
    expect(past!.durationS).toBe(9);
    const rows = await rowsOf(athlete.id);
    expect(rows.filter((r) => r.session_id === past!.id)).toHaveLength(10);
    expect(rows.filter((r) => r.session_id === today!.id)).toHaveLength(5);
  });

  it('two batches of one late run reaching two API processes at once make one past session', async () => {
    // A gateway and the athlete's phone can deliver the same backlog to different processes.
    const second = await buildTestApp({
      overrides: { DATABASE_URL: t.config.DATABASE_URL, REDIS_PREFIX: t.config.REDIS_PREFIX },
    });
    try {
      const athlete = await createUser(t.app.deps, 'athlete');
      const via = (app: TestApp['app'], samples: unknown[]) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/ingest',
          headers: { authorization: `Bearer ${athlete.token}` },
          payload: { samples },
        });
      expect((await via(t.app, samplesFor(undefined, 3))).statusCode).toBe(202); // streaming now
      await t.app.live.settled();
      const start = Date.now() - 4 * 86_400_000;
      // Hold new session rows back until both processes are past their lookup: without a
      // per-athlete lock each then inserts its own session for the run.
      const sent = await t.app.deps.db.transaction(async (tx) => {
        await tx.query('LOCK TABLE training_sessions IN EXCLUSIVE MODE');
        const both = Promise.all([
          via(t.app, samplesFor(undefined, 5, { start, seqFrom: 100 })),
          via(second.app, samplesFor(undefined, 5, { start: start + 5_000, seqFrom: 105 })),
        ]);
        const waiting = async () =>
          (
            await t.app.deps.db.query<{ n: number }>(
              `SELECT count(DISTINCT l.pid)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE NOT l.granted AND a.datname = current_database()
                  AND (l.locktype = 'advisory' OR a.query LIKE 'INSERT INTO training_sessions%')`,
            )
          )[0]!.n;
        await expect.poll(waiting, { timeout: 15_000 }).toBe(2);
        return { both }; // not awaited in here: they finish once the lock goes at COMMIT
      });
      expect((await sent.both).map((r) => r.statusCode)).toEqual([202, 202]);
      const past = await t.app.deps.db.prisma.trainingSession.findMany({
        where: { athleteId: athlete.id, status: 'closed' },
      });
      expect(past).toHaveLength(1);
      const rows = await rowsOf(athlete.id);
      expect(rows.filter((r) => r.session_id === past[0]!.id)).toHaveLength(10);
    } finally {
      await second.close();
    }
  });

  it('opens a new live session at the newest run of a batch, not at a week-old sample', async () => {
    const athlete = await createUser(t.app.deps, 'athlete');
    const old = samplesFor(undefined, 3, { start: Date.now() - 5 * 86_400_000 });
    const now = samplesFor(undefined, 3, { seqFrom: 3 });
    const res = await post(athlete.token, { samples: [...now, ...old] });
    expect(res.statusCode).toBe(202);
    expect(res.json().accepted).toBe(6);
    const sessions = await t.app.deps.db.prisma.trainingSession.findMany({
      where: { athleteId: athlete.id },
      orderBy: { startedAt: 'asc' },
    });
    expect(sessions.map((x) => x.status)).toEqual(['closed', 'open']);
    expect(sessions[1]!.startedAt.getTime()).toBe(now[0]!.ts as number);
    expect(sessions[0]!.startedAt.getTime()).toBe(old[0]!.ts as number);
    const rows = await rowsOf(athlete.id);
    expect(rows.filter((r) => r.session_id === sessions[1]!.id)).toHaveLength(3);
    expect(rows.filter((r) => r.session_id === sessions[0]!.id)).toHaveLength(3);
  });

  it('refuses the ingest socket without credentials', async () => {
    expect(await TestSocket.refused(`${base}/ws/ingest`)).toBe(401);
  });
});
