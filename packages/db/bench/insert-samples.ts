// Rows/s of the two sample write paths on Postgres and PGlite (100k rows, 10 athletes, 1 Hz).
// Prints figures only; the result picks insertSamples' default path (see database.ts).
// Usage: pnpm --filter @athlete/db bench [rows]
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyPathFor, type Database, openPglite, openPostgres } from '../src/database.ts';
import type { SampleRow } from '../src/samples.ts';
import { createTestDatabase } from '../src/testing.ts';

const total = Number(process.argv[2] ?? 100_000);
const batchSizes = [500, 5000];

function rows(count: number, start: Date): SampleRow[] {
  const athletes = Array.from({ length: 10 }, () => randomUUID());
  return Array.from({ length: count }, (_, i) => ({
    athleteId: athletes[i % athletes.length]!,
    ts: new Date(start.getTime() + Math.floor(i / athletes.length) * 1000),
    sessionId: null,
    seq: i,
    hr: 120 + (i % 60),
    rr: [500 + (i % 50), 510],
    speed: 3.1,
    cadence: 172,
    power: 250,
    distance: i * 3.1,
    lat: 51.5 + i * 1e-6,
    lon: -0.12,
    alt: 30,
  }));
}

async function measure(
  label: string,
  data: SampleRow[],
  batch: number,
  write: (r: SampleRow[]) => Promise<unknown>,
) {
  const t0 = performance.now();
  for (let i = 0; i < data.length; i += batch) await write(data.slice(i, i + batch));
  const s = (performance.now() - t0) / 1000;
  console.log(
    `${label.padEnd(34)} batch ${String(batch).padStart(5)}  ${Math.round(data.length / s)
      .toLocaleString('en')
      .padStart(9)} rows/s`,
  );
}

async function bench(name: string, db: Database) {
  const copy = copyPathFor(db)!;
  let day = 0;
  const fresh = () => rows(total, new Date(Date.UTC(2026, 0, 1 + 3 * day++)));
  await db.insertSamples(rows(1000, new Date(Date.UTC(2025, 11, 1)))); // warm up
  for (const batch of batchSizes) {
    await measure(`${name} multi-row INSERT (unnest)`, fresh(), batch, (r) => db.insertSamples(r));
    await measure(`${name} COPY + INSERT SELECT`, fresh(), batch, copy);
  }
  const dup = fresh();
  await db.insertSamples(dup);
  await measure(`${name} re-send (all duplicates)`, dup, 5000, (r) => db.insertSamples(r));
}

const test = await createTestDatabase();
const pgDb = await openPostgres(test.url, { poolSize: 2 });
try {
  await bench('postgres', pgDb);
} finally {
  await pgDb.close();
  await test.drop();
}

const dir = join(tmpdir(), `athlete-bench-${process.pid}`);
const lite = await openPglite(dir);
try {
  await bench('pglite  ', lite);
} finally {
  await lite.close();
  await rm(dir, { recursive: true, force: true });
}
