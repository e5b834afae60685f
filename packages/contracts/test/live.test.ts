import { describe, expect, it } from 'vitest';
// Contracts may depend on core (see docs/ARCHITECTURE.md); this keeps the summary shapes in step.
import { summariseSession } from '../../core/src/summary.ts';
import {
  FLOAT4_MIN_NORMAL,
  ingestBodySchema,
  ingestResponseSchema,
  sampleInputSchema,
  sampleValueFits,
  seqAcked,
  seqRanges,
  sessionSummarySchema,
  sessionsQuerySchema,
  validateSamples,
  wsIngestClientMessageSchema,
  wsIngestServerMessageSchema,
  wsLiveServerMessageSchema,
} from '../src/live.ts';

const NOW = Date.UTC(2025, 4, 1, 12, 0, 0);
const ATHLETE = '0b6f1f0e-8a2b-4c3d-9e4f-5a6b7c8d9e0f';
const SESSION = '1c7a2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

describe('sampleInputSchema', () => {
  it('normalises ts from epoch ms or ISO-8601 to epoch ms', () => {
    expect(sampleInputSchema.parse({ ts: NOW, hr: 120 }).ts).toBe(NOW);
    expect(sampleInputSchema.parse({ ts: '2025-05-01T12:00:00Z', hr: 120 }).ts).toBe(NOW);
    expect(sampleInputSchema.parse({ ts: '2025-05-01T14:00:00+02:00', hr: 120 }).ts).toBe(NOW);
    expect(sampleInputSchema.parse({ ts: '2025-05-01T12:00:00.250Z', hr: 120 }).ts).toBe(NOW + 250);
  });

  it('accepts a full sample', () => {
    const s = sampleInputSchema.parse({
      athleteId: ATHLETE,
      ts: NOW,
      seq: 7,
      hr: 150,
      rr: [400, 401.5],
      speed: 4.2,
      cadence: 176,
      power: 310,
      distance: 1234.5,
      lat: 51.5,
      lon: -0.1,
      alt: 35,
    });
    expect(s).toMatchObject({ seq: 7, rr: [400, 401.5], lat: 51.5, lon: -0.1 });
  });

  it('accepts GPS-only and RR-only samples', () => {
    expect(sampleInputSchema.safeParse({ ts: NOW, lat: 0, lon: 0 }).success).toBe(true);
    expect(sampleInputSchema.safeParse({ ts: NOW, rr: [800] }).success).toBe(true);
    expect(sampleInputSchema.safeParse({ ts: NOW, rr: [] }).success).toBe(false);
  });
});

describe('validateSamples', () => {
  it('keeps good samples and names bad fields per sample', () => {
    const { accepted, rejected } = validateSamples(
      [
        { ts: NOW, hr: 120, seq: 1 },
        { ts: NOW + 1000, hr: 300, seq: 2 },
        { ts: NOW + 2000, speed: 3, seq: 3 },
        { ts: NOW + 3000, lat: 51.5, seq: 4 },
        { ts: NOW + 4000, seq: 5 },
        { ts: NOW + 5000, hr: 'fast' },
        { ts: NOW + 6000, rr: [100, 800] },
        { ts: NOW + 7000, hr: 80, seq: -1, athleteId: 'not-a-uuid' },
        { hr: 120 },
        { ts: 'yesterday', hr: 120 },
        'garbage',
        null,
      ],
      NOW,
    );
    expect(accepted.map((s) => s.seq)).toEqual([1, 3]);
    expect(rejected).toEqual([
      { index: 1, field: 'hr', reason: 'must be between 25 and 250 bpm' },
      { index: 3, field: 'lon', reason: 'lat and lon must be sent together' },
      { index: 4, field: 'sample', reason: expect.stringMatching(/at least one measurement/) },
      { index: 5, field: 'hr', reason: 'must be a number (bpm)' },
      { index: 6, field: 'rr.0', reason: 'must be between 200 and 3000 ms' },
      { index: 7, field: 'athleteId', reason: 'must be a UUID' },
      { index: 7, field: 'seq', reason: 'must be ≥ 0' },
      { index: 8, field: 'ts', reason: 'is required' },
      { index: 9, field: 'ts', reason: expect.stringMatching(/epoch milliseconds or an ISO-8601/) },
      { index: 10, field: 'sample', reason: 'must be an object' },
      { index: 11, field: 'sample', reason: 'must be an object' },
    ]);
  });

  it('checks every range', () => {
    const bad: Record<string, unknown>[] = [
      { hr: 24 },
      { hr: 251 },
      { rr: new Array(21).fill(800) },
      { rr: [3001] },
      { speed: -0.1 },
      { speed: 30.5 },
      { cadence: 301 },
      { power: 3001 },
      { distance: -1 },
      { lat: 91, lon: 0 },
      { lat: 0, lon: -181 },
      { alt: -501 },
      { alt: 9001 },
      { hr: 100, seq: 1.5 },
    ];
    const { accepted, rejected } = validateSamples(
      bad.map((m) => ({ ts: NOW, ...m })),
      NOW,
    );
    expect(accepted).toEqual([]);
    expect(rejected.map((r) => r.field)).toEqual([
      'hr',
      'hr',
      'rr',
      'rr.0',
      'speed',
      'speed',
      'cadence',
      'power',
      'distance',
      'lat',
      'lon',
      'alt',
      'alt',
      'seq',
    ]);
    const edges = [
      { hr: 25 },
      { hr: 250 },
      { speed: 0 },
      { speed: 30 },
      { alt: -500 },
      { lat: -90, lon: 180 },
    ];
    expect(
      validateSamples(
        edges.map((m) => ({ ts: NOW, ...m })),
        NOW,
      ).accepted,
    ).toHaveLength(edges.length);
  });

  it('refuses what a real (float4) column cannot hold, naming the field', () => {
    // 1e-320 once stopped all ingest: Postgres refused it and the batch was retried forever.
    const poison = [
      { speed: 1e-320 },
      { cadence: 5e-324 },
      { power: 1e-39 },
      { alt: -1e-40 },
      { distance: 1e8 + 1 },
    ];
    const { accepted, rejected } = validateSamples(
      poison.map((m) => ({ ts: NOW, hr: 120, ...m })),
      NOW,
    );
    expect(accepted).toEqual([]);
    expect(rejected).toEqual([
      {
        index: 0,
        field: 'speed',
        reason: expect.stringMatching(/^must be 0 or at least 1\.18e-38 away from 0/),
      },
      { index: 1, field: 'cadence', reason: expect.stringMatching(/too small to store/) },
      { index: 2, field: 'power', reason: expect.stringMatching(/too small to store/) },
      { index: 3, field: 'alt', reason: expect.stringMatching(/too small to store/) },
      { index: 4, field: 'distance', reason: 'must be between 0 and 100000000 m' },
    ]);
    // The smallest normal float4, 0, and small values in float8 columns stay accepted.
    const fine = [{ speed: FLOAT4_MIN_NORMAL }, { power: 0 }, { alt: -0 }, { lat: 1e-320, lon: 0 }];
    expect(
      validateSamples(
        fine.map((m) => ({ ts: NOW, ...m })),
        NOW,
      ).accepted,
    ).toHaveLength(4);
    expect(sampleValueFits('speed', 1e-320)).toBe(false);
    expect(sampleValueFits('distance', 1e-320)).toBe(true);
    expect(sampleValueFits('hr', Number.NaN)).toBe(false);
  });

  it('rejects samples outside the time window', () => {
    const { accepted, rejected } = validateSamples(
      [
        { ts: NOW + 5 * 60_000, hr: 100 },
        { ts: NOW + 5 * 60_000 + 1, hr: 100 },
        { ts: NOW - 7 * 86_400_000, hr: 100 },
        { ts: NOW - 7 * 86_400_000 - 1, hr: 100 },
        { ts: Math.floor(NOW / 1000), hr: 100 },
      ],
      NOW,
    );
    expect(accepted).toHaveLength(2);
    expect(rejected).toEqual([
      { index: 1, field: 'ts', reason: 'is more than 300 s in the future' },
      { index: 3, field: 'ts', reason: 'is more than 168 h in the past' },
      { index: 4, field: 'ts', reason: expect.stringMatching(/epoch seconds/) },
    ]);
    expect(
      validateSamples([{ ts: NOW + 60_000, hr: 100 }], NOW, { maxFutureMs: 1000 }).rejected,
    ).toHaveLength(1);
  });
});

describe('ingest bodies', () => {
  it('bounds the batch size', () => {
    expect(ingestBodySchema.safeParse({ samples: [] }).success).toBe(false);
    expect(ingestBodySchema.safeParse({ samples: new Array(5000).fill({}) }).success).toBe(true);
    expect(ingestBodySchema.safeParse({ samples: new Array(5001).fill({}) }).success).toBe(false);
    expect(ingestBodySchema.safeParse({}).success).toBe(false);
  });

  it('describes the 202 response', () => {
    const body = { accepted: 2, duplicates: 1, rejected: [{ index: 3, field: 'hr', reason: 'x' }] };
    expect(ingestResponseSchema.parse(body)).toEqual(body);
  });
});

describe('WebSocket messages', () => {
  it('parses client → server ingest messages', () => {
    expect(wsIngestClientMessageSchema.parse({ type: 'samples', samples: [{ ts: NOW, hr: 1 }] }).type).toBe(
      'samples',
    );
    expect(wsIngestClientMessageSchema.parse({ type: 'session', action: 'start' })).toEqual({
      type: 'session',
      action: 'start',
    });
    expect(wsIngestClientMessageSchema.parse({ type: 'ping' })).toEqual({ type: 'ping' });
    expect(wsIngestClientMessageSchema.safeParse({ type: 'session', action: 'pause' }).success).toBe(false);
    expect(wsIngestClientMessageSchema.safeParse({ type: 'hello' }).success).toBe(false);
  });

  it('parses server → client ingest messages', () => {
    const ack = {
      type: 'ack',
      ranges: [
        [1, 3],
        [7, 7],
      ],
    };
    expect(wsIngestServerMessageSchema.parse(ack)).toEqual(ack);
    // The cumulative form is gone: it covered samples refused with BACKPRESSURE.
    expect(wsIngestServerMessageSchema.safeParse({ type: 'ack', upTo: 42 }).success).toBe(false);
    expect(seqRanges([7, 3, 1, 2, 2])).toEqual([
      [1, 3],
      [7, 7],
    ]);
    expect([0, 1, 3, 4, 7, 8].filter((q) => seqAcked(ack.ranges as Array<[number, number]>, q))).toEqual([
      1, 3, 7,
    ]);
    expect(
      wsIngestServerMessageSchema.parse({
        type: 'error',
        code: 'VALIDATION_ERROR',
        message: 'bad',
        details: [1],
      }).type,
    ).toBe('error');
    expect(
      wsIngestServerMessageSchema.parse({
        type: 'rejected',
        items: [{ index: 0, field: 'hr', reason: 'x', seq: 3 }],
      }).type,
    ).toBe('rejected');
    expect(
      wsIngestServerMessageSchema.safeParse({ type: 'error', code: 'bad code', message: '' }).success,
    ).toBe(false);
  });

  // What the hub really sends is parsed in apps/api/test/ws-contract.test.ts; here, what must be refused.
  it('refuses live frames outside the contract', () => {
    const sample = {
      athleteId: ATHLETE,
      sessionId: SESSION,
      ts: NOW,
      hr: 140,
      speed: 3,
      distance: 0,
      lat: null,
      lon: null,
      cadence: null,
      power: null,
      zone: 2,
    };
    expect(wsLiveServerMessageSchema.safeParse({ type: 'samples', samples: [sample] }).success).toBe(true);
    const { athleteId: _a, sessionId: _s, ...bare } = sample;
    // The shape the schema once described: the athlete on the frame, not on each sample.
    expect(
      wsLiveServerMessageSchema.safeParse({ type: 'samples', athleteId: ATHLETE, samples: [bare] }).success,
    ).toBe(false);
    expect(
      wsLiveServerMessageSchema.safeParse({ type: 'samples', samples: [{ ...sample, zone: 6 }] }).success,
    ).toBe(false);
    // A session event always carries the session.
    expect(
      wsLiveServerMessageSchema.safeParse({
        type: 'session',
        event: 'started',
        athleteId: ATHLETE,
        sessionId: SESSION,
      }).success,
    ).toBe(false);
    const alert = {
      id: SESSION,
      athleteId: ATHLETE,
      rule: 'nope',
      severity: 'critical',
      message: 'HR 190',
      value: 190,
      threshold: 175,
      startedAt: '2025-05-01T12:00:00.000Z',
    };
    expect(wsLiveServerMessageSchema.safeParse({ type: 'alert', alert }).success).toBe(false);
  });

  it('matches the summary core produces', () => {
    const summary = summariseSession([{ ts: NOW, hr: 150 }], { hrMax: 190 });
    expect(sessionSummarySchema.parse(summary)).toEqual(summary);
  });
});

describe('sessionsQuerySchema', () => {
  it('takes a date range and a page, and still refuses a range that ends before it starts', () => {
    expect(sessionsQuerySchema.parse({})).toEqual({ limit: 500 }); // the whole range by default
    expect(sessionsQuerySchema.safeParse({ limit: '501' }).success).toBe(false);
    expect(sessionsQuerySchema.parse({ from: '2026-01-01', limit: '10', cursor: 'abc' })).toEqual({
      from: '2026-01-01',
      limit: 10,
      cursor: 'abc',
    });
    const backwards = sessionsQuerySchema.safeParse({ from: '2026-02-01', to: '2026-01-01' });
    expect(backwards.success).toBe(false);
    expect(backwards.error?.issues[0]?.path).toEqual(['from']);
    expect(sessionsQuerySchema.safeParse({ limit: '0' }).success).toBe(false);
  });
});
