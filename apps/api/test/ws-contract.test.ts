import {
  wsBackpressureDetailsSchema,
  wsIngestServerMessageSchema,
  wsLiveServerMessageSchema,
} from '@athlete/contracts';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import { buildTestApp, type TestApp } from './helpers.ts';
import { createLiveWorld, type LiveWorld, listen, samplesFor, TestSocket } from './live-fixtures.ts';

/** Every `type` a discriminated union of the contract declares. */
function declaredTypes(schema: { options: ReadonlyArray<{ shape: { type: { value: string } } }> }): string[] {
  return schema.options.map((o) => o.shape.type.value).sort();
}

/**
 * Parses a captured message and asks for it back unchanged: zod drops keys a schema does not
 * declare, so a field the producer sends outside the contract fails here as surely as a wrong one.
 */
function expectInContract(schema: ZodType, message: Record<string, unknown>): void {
  const parsed = schema.safeParse(message);
  if (!parsed.success) {
    throw new Error(
      `${JSON.stringify(message).slice(0, 400)}\n${JSON.stringify(parsed.error.issues, null, 1)}`,
    );
  }
  expect(parsed.data).toEqual(message);
}

const THRESHOLDS = {
  hrAbovePctMax: null,
  hrAboveBpm: 160,
  hrAboveSeconds: 2,
  hrBelowBpm: 30,
  hrBelowSeconds: 5,
  dropoutSeconds: 60,
  jumpBpm: 80,
  clearSeconds: 2,
};
const BUFFER = 50;

/**
 * The wire contract against the real producers: frames captured from a running API (hub,
 * ingest socket, alerts, sessions) on real sockets, each parsed with the schemas in
 * @athlete/contracts that the web and the simulator read them with.
 */
describe('WebSocket frames as sent match the contract (services mode)', () => {
  let t: TestApp;
  let w: LiveWorld;
  let base: string;

  beforeAll(async () => {
    t = await buildTestApp({
      overrides: {
        THRESHOLDS: JSON.stringify(THRESHOLDS),
        LIVE_FLUSH_INTERVAL_MS: 50,
        LIVE_BUFFER_MAX_SAMPLES: BUFFER,
      },
    });
    w = await createLiveWorld(t.app.deps);
    base = await listen(t.app);
  });
  afterAll(async () => t?.close());

  it('captures every message type of /ws/live and /ws/ingest and parses each with its schema', async () => {
    const viewer = await TestSocket.open(`${base}/ws/live?teamId=${w.teamId}`, w.coach.token);
    await viewer.waitFor((m) => m.type === 'snapshot');
    viewer.send({ type: 'ping' });
    await viewer.waitFor((m) => m.type === 'pong');

    const ingest = await TestSocket.open(`${base}/ws/ingest`, w.a1.token);
    ingest.send({ type: 'ping' });
    await ingest.waitFor((m) => m.type === 'pong');
    ingest.send({ type: 'session', action: 'start' });
    await ingest.waitFor((m) => m.type === 'session' && m.event === 'started');
    await viewer.waitFor((m) => m.type === 'session' && m.event === 'started');

    // HR above the threshold long enough to raise hr_high, then back down to clear it.
    const start = Date.now() - 20_000;
    const hr = (i: number) => (i < 3 ? 120 : i < 8 ? 175 : 120);
    ingest.send({ type: 'samples', samples: samplesFor(undefined, 12, { start, hr, seqFrom: 1 }) });
    await ingest.waitFor((m) => m.type === 'ack');
    const raised = await viewer.waitFor((m) => m.type === 'alert');
    await viewer.waitFor((m) => m.type === 'samples');
    await viewer.waitFor(
      (m) => m.type === 'alert' && (m.alert as { clearedAt?: string | null }).clearedAt != null,
    );

    // A sample the validator refuses is reported (and acknowledged: resending would not help).
    ingest.send({ type: 'samples', samples: [{ ts: Date.now() - 5_000, hr: 'fast', seq: 100 }] });
    await ingest.waitFor((m) => m.type === 'rejected');
    // Not JSON at all, and a message larger than the whole write buffer.
    ingest.ws.send('{not json');
    await ingest.waitFor((m) => m.type === 'error' && m.code === 'VALIDATION_ERROR');
    ingest.send({
      type: 'samples',
      samples: samplesFor(undefined, BUFFER + 10, { start: Date.now() - 4 * 60_000, seqFrom: 200 }),
    });
    const refused = await ingest.waitFor((m) => m.type === 'error' && m.code === 'BACKPRESSURE');
    expect(refused.details).toMatchObject({ seqFrom: 200, seqTo: 200 + BUFFER + 9 });
    expect(wsBackpressureDetailsSchema.parse(refused.details)).toEqual(refused.details);

    // Another coach-visible change: the acknowledgement is pushed as the whole alert again.
    const alertId = (raised.alert as { id: string }).id;
    const acked = await t.app.inject({
      method: 'POST',
      url: `/api/v1/alerts/${alertId}/ack`,
      headers: { authorization: `Bearer ${w.coach.token}` },
    });
    expect(acked.statusCode).toBe(200);
    await viewer.waitFor(
      (m) => m.type === 'alert' && (m.alert as { acknowledgedBy?: unknown }).acknowledgedBy != null,
    );

    // A viewer arriving now starts from a snapshot with a latest sample and the open session.
    const late = await TestSocket.open(`${base}/ws/live?athleteId=${w.a1.id}`, w.coach.token);
    const snapshot = await late.waitFor((m) => m.type === 'snapshot');
    expect((snapshot.athletes as Array<{ latest: unknown }>)[0]!.latest).not.toBeNull();

    ingest.send({ type: 'session', action: 'stop' });
    await ingest.waitFor((m) => m.type === 'session' && m.event === 'stopped');
    const stopped = await viewer.waitFor((m) => m.type === 'session' && m.event === 'stopped');
    expect(stopped.summary).toBeDefined();

    const live = [...viewer.messages, ...late.messages];
    for (const m of live) expectInContract(wsLiveServerMessageSchema, m);
    for (const m of ingest.messages) expectInContract(wsIngestServerMessageSchema, m);
    // Every type the contract declares was really produced and checked.
    expect([...new Set(live.map((m) => m.type as string))].sort()).toEqual(
      declaredTypes(wsLiveServerMessageSchema),
    );
    expect([...new Set(ingest.messages.map((m) => m.type as string))].sort()).toEqual(
      declaredTypes(wsIngestServerMessageSchema),
    );

    // The protocol as published in /docs (JSON Schema from the same zod schemas) accepts every
    // frame the producers sent, so a client generated from the document reads them too.
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    expect(doc.info.description).toContain('WS /ws/ingest');
    expect(doc.info.description).toContain('WS /ws/live');
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const published = (name: string) => ajv.compile(doc.components.schemas[name]);
    const liveSchema = published('WsLiveServerMessage');
    const ingestSchema = published('WsIngestServerMessage');
    for (const m of live) expect(liveSchema(m), JSON.stringify(liveSchema.errors)).toBe(true);
    for (const m of ingest.messages) expect(ingestSchema(m), JSON.stringify(ingestSchema.errors)).toBe(true);
    expect(published('WsLiveServerMessage')({ type: 'samples' })).toBe(false);
    expect(published('WsIngestClientMessage')({ type: 'samples', samples: [{ ts: 1 }] })).toBe(true);
    for (const s of [viewer, late, ingest]) s.close();
  });
});
