import { validateSamples } from '@athlete/contracts';
import { describe, expect, it } from 'vitest';
import { validateIngestSamples } from '../src/live/ingest.ts';

/**
 * The ingest fast path must decide exactly like the contract's validateSamples: same samples
 * accepted (same values), same rejections (index, field, reason). Inputs are generated around
 * every bound of the schema, including the cases the fast path hands back to the schema.
 */
const NOW = Date.UTC(2026, 10, 22, 12);
const ID = '6f1c1f8e-1d1b-4c57-9a51-0a3c9d6f2b10';

// A small deterministic PRNG so a failure reproduces.
function rng(seed: number) {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const edges: Record<string, unknown[]> = {
  athleteId: [ID, ID.toUpperCase(), 'not-a-uuid', '', 42, null, undefined],
  ts: [
    NOW,
    NOW - 1000,
    NOW + 5 * 60_000,
    NOW + 5 * 60_000 + 1,
    NOW - 7 * 24 * 3_600_000,
    NOW - 7 * 24 * 3_600_000 - 1,
    Math.floor(NOW / 1000),
    -1,
    Number.NaN,
    new Date(NOW).toISOString(),
    'yesterday',
    null,
  ],
  seq: [0, 1, 7.5, -1, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, '3', undefined],
  hr: [25, 24.9, 250, 250.1, 140, Number.POSITIVE_INFINITY, '140', null, undefined],
  rr: [[], [800, 810], [199], [3000, 3001], Array(21).fill(700), Array(20).fill(700), 'x', [null], undefined],
  // 1e-320 and 1e-39: denormal in the float4 columns (refused); 1.2e-38 is the smallest kept.
  speed: [0, -0.1, 30, 30.1, 4.2, 1e-320, 1e-39, 1.2e-38, undefined],
  cadence: [0, 300, 301, -1, 5e-324, undefined],
  power: [0, 3000, 3001, 1e-39, undefined],
  distance: [0, -1, 1e8, 1e8 + 1, 1e-320, undefined],
  lat: [0, 90, 90.1, -90, -91, 47.3, undefined],
  lon: [0, 180, 180.5, -180, 8.5, undefined],
  alt: [-500, -501, 9000, 9001, 400, -1e-40, undefined],
  extra: [undefined, undefined, undefined, 'ignored'],
};

function generate(count: number, seed: number): unknown[] {
  const next = rng(seed);
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)]!;
  const out: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const roll = next();
    if (roll < 0.02) {
      out.push(pick([null, 'sample', 42, [], [1, 2]]));
      continue;
    }
    const sample: Record<string, unknown> = {};
    for (const [key, values] of Object.entries(edges)) {
      // Mostly plausible values, sometimes a field left out, sometimes an edge.
      if (key !== 'ts' && next() < 0.35) continue;
      const v = next() < 0.6 ? values[0] : pick(values);
      if (v !== undefined || next() < 0.1) sample[key] = v;
    }
    if (next() < 0.5) {
      sample.hr = 120 + Math.floor(next() * 60);
    }
    out.push(sample);
  }
  return out;
}

describe('validateIngestSamples', () => {
  it('decides exactly like validateSamples on generated input (fast path and fallback)', () => {
    let fastAccepted = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const raw = generate(250, seed);
      const expected = validateSamples(raw, NOW);
      // Twice: the second pass knows the athleteId already and takes the fast path more often.
      for (let pass = 0; pass < 2; pass++) {
        const got = validateIngestSamples(raw, NOW);
        expect(got.rejected).toEqual(expected.rejected);
        expect(got.accepted.map((a) => a.sample)).toEqual(expected.accepted);
        const rejectedIdx = new Set(expected.rejected.map((r) => r.index));
        expect(got.accepted.map((a) => a.index)).toEqual(
          raw.map((_, i) => i).filter((i) => !rejectedIdx.has(i)),
        );
        fastAccepted += got.accepted.filter((a) => a.sample === raw[a.index]).length;
      }
    }
    // The fast path is exercised (the input object itself is taken) and so is the fallback.
    expect(fastAccepted).toBeGreaterThan(100);
  });

  it('names the field of a bad sample and keeps the good ones around it', () => {
    const raw = [
      { athleteId: ID, ts: NOW, hr: 140, seq: 1 },
      { athleteId: ID, ts: NOW + 1000, hr: 300, seq: 2 },
      { athleteId: ID, ts: NOW + 2000, lat: 47, seq: 3 },
      { athleteId: ID, ts: NOW + 3000, hr: 141, seq: 4, extra: 'x' },
    ];
    const got = validateIngestSamples(raw, NOW);
    expect(got.accepted.map((a) => a.index)).toEqual([0, 3]);
    expect(got.accepted[1]!.sample).toEqual({ athleteId: ID, ts: NOW + 3000, hr: 141, seq: 4 });
    expect(got.rejected.map((r) => [r.index, r.field])).toEqual([
      [1, 'hr'],
      [2, 'lon'],
    ]);
  });

  it('answers athleteIds in lower case on both paths; the fast path keeps the sample objects', () => {
    const id = '0b6a5e1c-8d2f-4e3a-9c7b-5d4e3f2a1b0c';
    const upper = id.toUpperCase();
    const mixed = `${id.slice(0, 18)}${upper.slice(18)}`;
    // First sight of the id: the schema path.
    const slow = validateIngestSamples([{ athleteId: upper, ts: NOW, hr: 140 }], NOW);
    expect(slow.accepted.map((a) => a.sample.athleteId)).toEqual([id]);
    // Known now: the fast path takes the sample objects themselves, with the id lowercased.
    const raw = [
      { athleteId: upper, ts: NOW, hr: 140 },
      { athleteId: mixed, ts: NOW + 1, hr: 141 },
      { athleteId: id, ts: NOW + 2, hr: 142 },
    ];
    const fast = validateIngestSamples(raw, NOW);
    expect(fast.rejected).toEqual([]);
    expect(fast.accepted.map((a) => a.sample)).toEqual(raw);
    expect(fast.accepted.every((a) => a.sample === raw[a.index])).toBe(true);
    expect(raw.map((r) => r.athleteId)).toEqual([id, id, id]);
    // A sample the fast path hands back for another reason still ends up in lower case.
    const handedBack = validateIngestSamples([{ athleteId: upper, ts: NOW, hr: 140, extra: 1 }], NOW);
    expect(handedBack.accepted[0]!.sample).toEqual({ athleteId: id, ts: NOW, hr: 140 });
    // Not a UUID in any case: rejected by the schema, naming the field.
    const bad = validateIngestSamples([{ athleteId: upper.replace('B', 'G'), ts: NOW, hr: 140 }], NOW);
    expect(bad.rejected).toEqual([{ index: 0, field: 'athleteId', reason: 'must be a UUID' }]);
  });
});
