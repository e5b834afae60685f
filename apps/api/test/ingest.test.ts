import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers.ts';
import { createLiveWorld, type LiveWorld, listen, samplesFor, TestSocket } from './live-fixtures.ts';

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
    await first.waitFor((m) => m.type === 'ack' && m.upTo === 10);
    // Sent but the connection drops before any ack arrives.
    first.send({ type: 'samples', samples: all.slice(10, 20) });
    first.ws.terminate();

    const second = await TestSocket.open(`${base}/ws/ingest`, w.gatewayKey);
    // The client resends everything not acknowledged (11..20) plus new samples.
    second.send({ type: 'samples', samples: all.slice(10, 20) });
    second.send({ type: 'samples', samples: all.slice(20) });
    await second.waitFor((m) => m.type === 'ack' && m.upTo === 30);
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
    await s.waitFor((m) => m.type === 'ack' && m.upTo === 500);
    s.send({ type: 'nonsense' });
    const err = await s.waitFor((m) => m.type === 'error');
    expect(err.code).toBe('VALIDATION_ERROR');
    s.close();
  });

  it('refuses the ingest socket without credentials', async () => {
    expect(await TestSocket.refused(`${base}/ws/ingest`)).toBe(401);
  });
});
