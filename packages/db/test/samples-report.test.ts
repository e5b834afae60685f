import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SampleRow } from '../src/index.ts';
import { type OpenedDatabase, targets } from './targets.ts';

const rows = (athleteId: string, start: number, count: number, sessionId: string | null): SampleRow[] =>
  Array.from({ length: count }, (_, i) => ({
    athleteId,
    ts: new Date(start + i * 1000),
    sessionId,
    seq: i,
    hr: i % 3 === 0 ? null : 100.6 + i,
    rr: i % 2 ? [812, 799.6] : null,
    speed: 3.5,
    cadence: null,
    power: i % 4 === 0 ? 250 : null,
    distance: i * 3.5,
    lat: i % 5 === 0 ? null : 47.1 + i * 1e-5,
    lon: i % 5 === 0 ? null : 8.2,
    alt: -12.25,
  }));

describe.each(targets)('insertSamplesReport ($name)', (target) => {
  let opened: OpenedDatabase;
  let athleteId: string;
  beforeAll(async () => {
    opened = await target.open();
    const [u] = await opened.db.query<{ id: string }>(
      `INSERT INTO users (id, email, password_hash, name, role)
       VALUES (gen_random_uuid(), 'report@example.com', 'x', 'R', 'athlete') RETURNING id`,
    );
    athleteId = u!.id;
  });
  afterAll(() => opened?.cleanup());

  it('answers a count when every row is new, the new keys otherwise, and stores every value intact', async () => {
    const { db } = opened;
    const start = Date.UTC(2026, 10, 1, 8);
    const first = rows(athleteId, start, 40, null);
    expect(await db.insertSamplesReport(first)).toEqual({ inserted: 40, newKeys: null });

    // A resend of 10 stored rows with 5 new ones, and one new row given twice.
    const more = rows(athleteId, start + 40_000, 5, null);
    const report = await db.insertSamplesReport([...first.slice(30), ...more, more[0]!]);
    expect(report.inserted).toBe(5);
    expect(report.newKeys?.map((k) => k.ts.getTime()).sort()).toEqual(more.map((r) => r.ts.getTime()));

    const stored = await db.query<{
      seq: number;
      hr: number | null;
      rr: number[];
      power: number | null;
      lat: number | null;
      lon: number | null;
      alt: number | null;
    }>('SELECT seq, hr, rr, power, lat, lon, alt FROM samples WHERE athlete_id = $1::uuid ORDER BY ts', [
      athleteId,
    ]);
    expect(stored).toHaveLength(45);
    const all = [...first, ...more];
    stored.forEach((s, i) => {
      const r = all[i]!;
      expect(Number(s.seq)).toBe(Number(r.seq));
      expect(s.hr).toBe(r.hr === null ? null : Math.round(r.hr));
      expect(s.rr).toEqual(r.rr ? r.rr.map(Math.round) : []);
      expect(s.power).toBe(r.power);
      expect(s.lat).toBe(r.lat);
      expect(s.lon).toBe(r.lon);
      expect(s.alt).toBeCloseTo(r.alt!, 5);
    });
  });
});
