import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers.ts';
import { createLiveWorld, type LiveWorld, listen, samplesDdl, TestSocket } from './live-fixtures.ts';

/**
 * Issue #12.1: one sample the database refuses (speed 1e-320 in a `real` column) once stopped
 * all ingest: the write-behind retried the batch forever and /readyz still said ready. Now
 * validation refuses what a column cannot hold, a refused batch is split so every other row
 * commits and the culprit is quarantined with its reason, and /readyz reports a stuck writer.
 * Same on Postgres (services) and PGlite (embedded).
 */
describe.each(['services', 'embedded'] as const)('poison samples (%s mode)', (mode) => {
  let t: TestApp;
  let w: LiveWorld;
  let base: string;
  const query = <T>(sql: string, params: unknown[] = []) => t.app.deps.db.query<T>(sql, params);
  const count = async (athleteId: string) =>
    (
      await query<{ n: number }>('SELECT count(*)::int AS n FROM samples WHERE athlete_id = $1', [athleteId])
    )[0]!.n;

  beforeAll(async () => {
    t = await buildTestApp({ mode, overrides: { LIVE_FLUSH_INTERVAL_MS: 20, LIVE_WRITER_STALL_SECONDS: 1 } });
    w = await createLiveWorld(t.app.deps);
    base = await listen(t.app);
  });
  afterAll(async () => t?.close());

  it('answers 400 naming the field for a value a real column cannot hold, and keeps ingesting', async () => {
    const ts = Date.now() - 10_000;
    for (const field of ['speed', 'cadence', 'power', 'alt'] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/ingest',
        headers: { authorization: `Bearer ${w.a1.token}`, 'content-type': 'application/json' },
        // Written by hand: the wire text is what a client sends.
        payload: `{"samples":[{"ts":${ts},"hr":120,"${field}":1e-320}]}`,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toMatch(
        new RegExp(`^No valid samples: body\\.samples\\.0\\.${field}: must be 0 or at least 1\\.18e-38`),
      );
    }
    // Mixed with good ones: the good ones are stored at once, the bad one named.
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: { authorization: `Bearer ${w.a1.token}`, 'content-type': 'application/json' },
      payload: `{"samples":[{"ts":${ts},"hr":120},{"ts":${ts + 1000},"hr":121,"speed":1e-320},{"ts":${ts + 2000},"hr":122}]}`,
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: [{ index: 1, field: 'speed', reason: expect.stringMatching(/too small to store/) }],
    });
    expect(await count(w.a1.id)).toBe(2);
  });

  it('rejects it on /ws/ingest with the seq and field, and acks the rest', async () => {
    const s = await TestSocket.open(`${base}/ws/ingest`, w.a1Key);
    const ts = Date.now() - 5_000;
    s.ws.send(
      `{"type":"samples","samples":[{"ts":${ts},"seq":1,"hr":120,"power":1e-320},{"ts":${ts + 1000},"seq":2,"hr":121}]}`,
    );
    const rejected = await s.waitFor((m) => m.type === 'rejected');
    expect(rejected.items).toEqual([
      { index: 0, seq: 1, field: 'power', reason: expect.stringMatching(/too small to store/) },
    ]);
    await s.waitFor((m) => m.type === 'ack');
    s.close();
    expect(await count(w.a1.id)).toBe(3);
  });

  it('splits a batch the database refuses: every good row commits, the bad ones are quarantined with the reason', async () => {
    const athlete = w.outsider;
    const t0 = Date.now() - 60_000;
    // Whatever the database refuses that validation let through (here a trigger raising
    // numeric_value_out_of_range for two rows of nine).
    await t.app.deps.db.exec(`
      CREATE FUNCTION test_refuse_range() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.athlete_id = '${athlete.id}' AND NEW.hr IN (102, 107) THEN
          RAISE EXCEPTION 'value out of range for this column (test)' USING ERRCODE = '22003';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER test_refuse_range BEFORE INSERT ON samples FOR EACH ROW EXECUTE FUNCTION test_refuse_range();`);
    try {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/ingest',
        headers: { authorization: `Bearer ${athlete.token}` },
        payload: {
          samples: Array.from({ length: 9 }, (_, i) => ({ ts: t0 + i * 1000, seq: i, hr: 100 + i })),
        },
      });
      expect(res.statusCode).toBe(202);
      expect(res.json()).toMatchObject({ accepted: 7, duplicates: 0, rejected: [], quarantined: 2 });
      const stored = await query<{ seq: number }>(
        'SELECT seq FROM samples WHERE athlete_id = $1 ORDER BY ts',
        [athlete.id],
      );
      expect(stored.map((r) => Number(r.seq))).toEqual([0, 1, 3, 4, 5, 6, 8]);
      const kept = await query<{ ts: Date; sample: Record<string, unknown>; reason: string; code: string }>(
        'SELECT ts, sample, reason, code FROM sample_quarantine WHERE athlete_id = $1 ORDER BY ts',
        [athlete.id],
      );
      expect(kept.map((k) => k.ts.getTime())).toEqual([t0 + 2000, t0 + 7000]);
      expect(kept.map((k) => k.code)).toEqual(['22003', '22003']);
      expect(kept[0]!.reason).toBe('value out of range for this column (test)');
      expect(kept[0]!.sample).toMatchObject({ athleteId: athlete.id, seq: 2, hr: 102 });
      expect(kept[1]!.sample).toMatchObject({ seq: 7, hr: 107 });
      // Not stuck: the next batch goes straight through.
      const next = await t.app.inject({
        method: 'POST',
        url: '/api/v1/ingest',
        headers: { authorization: `Bearer ${athlete.token}` },
        payload: { samples: [{ ts: t0 + 20_000, hr: 90 }] },
      });
      expect(next.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
      const metrics = await t.app.inject({ url: '/metrics' });
      expect(metrics.body).toMatch(/^ap_writebehind_quarantined_total 2$/m);
      expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    } finally {
      await t.app.deps.db.exec(
        'DROP TRIGGER test_refuse_range ON samples; DROP FUNCTION test_refuse_range();',
      );
    }
  });

  it('answers an HTTP ingest whose row the database refuses (a CHECK failing) instead of hanging', async () => {
    const athlete = w.a2.id;
    // A stand-in for any constraint the table may get: hr 201 breaks it for this athlete.
    await t.app.deps.db.exec(`
      CREATE FUNCTION test_refuse_201() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.athlete_id = '${athlete}' AND NEW.hr = 201 THEN
          RAISE EXCEPTION 'hr 201 breaks the test constraint' USING ERRCODE = '23514';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER test_refuse_201 BEFORE INSERT ON samples FOR EACH ROW EXECUTE FUNCTION test_refuse_201();`);
    try {
      const ts = Date.now() - 30_000;
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/ingest',
        headers: { authorization: `Bearer ${w.a2.token}` },
        payload: { samples: [140, 201, 142].map((hr, i) => ({ ts: ts + i * 1000, hr })) },
      });
      expect(res.statusCode).toBe(202);
      expect(res.json()).toMatchObject({ accepted: 2, duplicates: 0, rejected: [], quarantined: 1 });
      expect(await count(athlete)).toBe(2);
      const [kept] = await query<{ reason: string; code: string }>(
        'SELECT reason, code FROM sample_quarantine WHERE athlete_id = $1',
        [athlete],
      );
      expect(kept).toEqual({ reason: 'hr 201 breaks the test constraint', code: '23514' });
    } finally {
      await t.app.deps.db.exec('DROP TRIGGER test_refuse_201 ON samples; DROP FUNCTION test_refuse_201();');
    }
  });

  it('reports not ready, with the reason, while the writer cannot store samples, and ready once it can', async () => {
    const athlete = w.coach.id;
    // A fault that is not a refusal (insufficient resources): retried, never quarantined.
    await t.app.deps.db.exec(`
      CREATE FUNCTION test_stall() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.athlete_id = '${athlete}' THEN
          RAISE EXCEPTION 'the disk is full (test)' USING ERRCODE = '53100';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER test_stall BEFORE INSERT ON samples FOR EACH ROW EXECUTE FUNCTION test_stall();`);
    let stalled = true;
    try {
      expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200);
      // Through the service, not HTTP: an HTTP ingest answers only once its samples are stored.
      const { durable: write } = await t.app.live.ingest({
        principal: {
          kind: 'user',
          userId: athlete,
          role: 'coach',
          sessionId: w.coach.sessionId,
          via: 'bearer',
        },
        samples: [{ ts: Date.now() - 1000, hr: 80 }],
        transport: 'http',
        forbidden: 'throw',
      });
      await expect
        .poll(async () => (await t.app.inject({ url: '/readyz' })).statusCode, { timeout: 10_000 })
        .toBe(503);
      const body = (await t.app.inject({ url: '/readyz' })).json();
      expect(body.status).toBe('unavailable');
      expect(body.checks).toMatchObject({ database: true, liveWriter: false });
      expect(body.reasons.liveWriter).toMatch(
        /(not being stored: the oldest of 1 waiting is \d+ s old \(limit 1 s\)|failed \d+ times in a row); last error: the disk is full \(test\)$/,
      );
      await samplesDdl(t.app.deps.db, 'DROP TRIGGER test_stall ON samples', 'DROP FUNCTION test_stall()');
      stalled = false;
      expect(await write).toEqual({ inserted: 1, duplicates: 0 });
      expect((await t.app.inject({ url: '/readyz' })).json()).toMatchObject({
        status: 'ready',
        checks: { liveWriter: true },
      });
      expect(await query('SELECT 1 FROM sample_quarantine WHERE athlete_id = $1', [athlete])).toEqual([]);
    } finally {
      if (stalled)
        await samplesDdl(t.app.deps.db, 'DROP TRIGGER test_stall ON samples', 'DROP FUNCTION test_stall()');
    }
  });
});
