import { seqAcked, wsIngestAckSchema } from '@athlete/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestStream } from '../../simulator/src/stream.ts';
import { buildTestApp, type TestApp } from './helpers.ts';
import { createLiveWorld, type LiveWorld, listen, samplesDdl, TestSocket } from './live-fixtures.ts';

/**
 * Issue #12.2: `/ws/ingest` answered BACKPRESSURE for a seq range and the next cumulative
 * `ack upTo` covered it, so clients dropped samples never stored (1,316 of 6,380 in one run).
 * Acks now name exactly the committed seqs. Here the database fails every write for a while (a
 * fault, not a refusal), the small buffer fills and refuses, then the database recovers: every
 * seq a client was told is acked must be stored, for a raw client and for the real simulator.
 */
describe.each(['services', 'embedded'] as const)('acks under back-pressure (%s mode)', (mode) => {
  let t: TestApp;
  let w: LiveWorld;
  let base: string;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const storedSeqs = async (athleteId: string) =>
    new Set(
      (
        await t.app.deps.db.query<{ seq: number }>('SELECT seq FROM samples WHERE athlete_id = $1', [
          athleteId,
        ])
      ).map((r) => Number(r.seq)),
    );
  const stall = (athleteIds: string[]) =>
    samplesDdl(
      t.app.deps.db,
      `
      CREATE FUNCTION test_stall() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.athlete_id IN (${athleteIds.map((id) => `'${id}'`).join(', ')}) THEN
          RAISE EXCEPTION 'database stalled (test)' USING ERRCODE = '57P03';
        END IF;
        RETURN NEW;
      END $$`,
      'CREATE TRIGGER test_stall BEFORE INSERT ON samples FOR EACH ROW EXECUTE FUNCTION test_stall()',
    );
  const recover = () =>
    samplesDdl(t.app.deps.db, 'DROP TRIGGER test_stall ON samples', 'DROP FUNCTION test_stall()');

  beforeAll(async () => {
    t = await buildTestApp({
      mode,
      overrides: { LIVE_BUFFER_MAX_SAMPLES: 60, LIVE_FLUSH_INTERVAL_MS: 20, LIVE_WRITER_STALL_SECONDS: 60 },
    });
    w = await createLiveWorld(t.app.deps);
    base = await listen(t.app);
  });
  afterAll(async () => t?.close());

  it('never acks a seq that was refused, whatever is acked after it', async () => {
    const s = await TestSocket.open(`${base}/ws/ingest`, w.gatewayKey);
    const t0 = Date.now() - 3_600_000;
    const sample = (seq: number) => ({ athleteId: w.a1.id, seq, ts: t0 + seq * 1000, hr: 100 + (seq % 40) });
    const batch = (from: number, n: number) => Array.from({ length: n }, (_, i) => sample(from + i));
    await stall([w.a1.id]);
    // 10 batches of 10 into a buffer of 60: the first six wait, the rest are refused.
    for (let b = 0; b < 10; b++) s.send({ type: 'samples', samples: batch(1 + b * 10, 10) });
    await s.waitFor((m) => m.type === 'error' && m.code === 'BACKPRESSURE');
    await sleep(300);
    const refused = s.messages
      .filter((m) => m.type === 'error' && m.code === 'BACKPRESSURE')
      .map((m) => m.details as { seqFrom: number; seqTo: number });
    expect(refused.length).toBeGreaterThan(0);
    await recover();
    const ackOf = (seq: number) => (m: Record<string, unknown>) =>
      m.type === 'ack' && seqAcked((m.ranges as Array<[number, number]>) ?? [], seq);
    await s.waitFor(ackOf(60), 15_000);
    // Newer samples (101-110) are taken once there is room: their ack must not cover 61-100.
    s.send({ type: 'samples', samples: batch(101, 10) });
    await s.waitFor(
      (m) => m.type === 'ack' && seqAcked((m.ranges as Array<[number, number]>) ?? [], 110),
      15_000,
    );
    await sleep(200);
    const acked = new Set<number>();
    for (const m of s.messages) {
      const ack = wsIngestAckSchema.safeParse(m);
      if (ack.success)
        for (const [from, to] of ack.data.ranges) for (let q = from; q <= to; q++) acked.add(q);
    }
    const stored = await storedSeqs(w.a1.id);
    expect([...acked].filter((q) => !stored.has(q))).toEqual([]); // lost = 0
    expect(acked.size).toBe(stored.size);
    for (const { seqFrom, seqTo } of refused) {
      for (let q = seqFrom; q <= seqTo; q++) expect(acked.has(q)).toBe(false);
    }
    s.close();
  });

  it('the simulator keeps refused samples and resends them: acked = stored = sent, none lost', async () => {
    const stream = new IngestStream(`${base}/ws/ingest`, w.gatewayKey, { source: 'simulator', batchMax: 10 });
    const t0 = Date.now() - 1_800_000;
    let n = 0;
    const push = (count: number) =>
      stream.push(
        Array.from({ length: count }, () => {
          n++;
          return { athleteId: w.a2.id, ts: t0 + n * 1000, hr: 120 + (n % 30) };
        }),
      );
    stream.connect();
    push(20);
    expect(await stream.drain(10_000)).toBe(true);
    await stall([w.a2.id]);
    // Stalled for ~2 s while the simulator keeps streaming: the buffer fills and refuses.
    for (let i = 0; i < 20; i++) {
      push(10);
      await sleep(100);
    }
    expect(stream.stats.backpressure).toBeGreaterThan(0);
    await recover();
    push(10);
    expect(await stream.drain(30_000)).toBe(true);
    stream.close();
    const stored = await storedSeqs(w.a2.id);
    expect(stream.stats.acked).toBe(n);
    expect(stored.size).toBe(n);
  });
});
