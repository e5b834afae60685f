import { randomBytes } from 'node:crypto';
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { BulkImportFile } from '@athlete/contracts';
import { encodeFitActivity } from '@athlete/providers';
import { gzipSync, Zip, ZipDeflate, ZipPassThrough, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, multipartFile, type TestApp } from './helpers.ts';
import { registerAthlete, type TestAthlete } from './sync-fixtures.ts';

const MiB = 1_048_576;
const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1, 6, 0, 0);
const FILLER_BYTES = 160 * MiB;
const GPX_FILES = 16;
const FIT_FILES = 4;
const enc = (s: string) => new TextEncoder().encode(s);

const gpx = (startMs: number) =>
  `<?xml version="1.0"?><gpx version="1.1" creator="gen" xmlns="http://www.topografix.com/GPX/1/1"><trk><type>hiking</type><trkseg>${Array.from(
    { length: 120 },
    (_, i) =>
      `<trkpt lat="${(60 + i * 1e-4).toFixed(5)}" lon="10.5"><time>${new Date(startMs + i * 5_000).toISOString()}</time></trkpt>`,
  ).join('')}</trkseg></trk></gpx>`;
const fit = (startMs: number) =>
  encodeFitActivity({
    sport: 'running',
    samples: Array.from({ length: 600 }, (_, i) => ({
      ts: startMs + i * 1000,
      hr: 140 + (i % 9),
      distance: i * 3,
    })),
  });

/**
 * A Strava-like export over 50 MB, written to disk as it is made (fflate's streaming ZIP, data
 * descriptors and all): activity files, a CSV of names, a file over the per-file limit, a gzip
 * that inflates past it, a duplicate, and a large stored filler entry (a video, say).
 */
function writeExport(path: string): string[] {
  const fd = openSync(path, 'w');
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    writeSync(fd, chunk);
  });
  const add = (name: string, bytes: Uint8Array, deflate = true) => {
    const entry = deflate ? new ZipDeflate(name) : new ZipPassThrough(name);
    zip.add(entry);
    entry.push(bytes, true);
  };
  const order: string[] = [];
  const activity = (name: string, bytes: Uint8Array, deflate = true) => {
    add(name, bytes, deflate);
    order.push(name);
  };
  add(
    'export/activities.csv',
    enc(
      'Activity ID,Activity Date,Activity Name,Filename\n' +
        '1,"Jan 1, 2025",First long hike,activities/g0.gpx\n' +
        '2,"Jan 30, 2025",Tempo run,activities/f0.fit.gz\n',
    ),
  );
  for (let i = 0; i < GPX_FILES; i++) activity(`export/activities/g${i}.gpx`, enc(gpx(T0 + i * DAY)));
  const fits = Array.from({ length: FIT_FILES }, (_, i) => fit(T0 + (GPX_FILES + 5 + i) * DAY));
  // .gz entries are stored, as in Strava's export (deflating gzip gains nothing).
  for (const [i, f] of fits.entries()) activity(`export/activities/f${i}.fit.gz`, gzipSync(f), false);
  activity('export/activities/f0-again.fit.gz', gzipSync(fits[0]!), false);
  activity('export/activities/huge.gpx', enc(`${gpx(T0 - 30 * DAY)}<!--${' '.repeat(4_100_000)}-->`));
  activity('export/activities/bomb.gpx.gz', gzipSync(new Uint8Array(5 * MiB)), false);

  const filler = new ZipPassThrough('export/media/ride.mp4');
  zip.add(filler);
  for (let left = FILLER_BYTES; left > 0; left -= MiB)
    filler.push(randomBytes(Math.min(MiB, left)), left <= MiB);
  zip.end();
  closeSync(fd);
  return order;
}

/** POSTs a file from disk as multipart over real HTTP, streamed (the test never holds it). */
function upload(port: number, path: string, auth: Record<string, string>) {
  const boundary = `----ap${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="export.zip"\r\n` +
      'Content-Type: application/zip\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/v1/imports/bulk',
        headers: {
          ...auth,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': head.length + statSync(path).size + tail.length,
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.write(head);
    const file = createReadStream(path);
    file.pipe(req, { end: false });
    file.on('end', () => req.end(tail));
    file.on('error', reject);
  });
}

/** V8's full collection, so what is measured is what is held, not garbage awaiting one. */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Heap + Buffer memory above the level when started: `held`, the highest after a full
 * collection (sampled every 500 ms), and `raw`, the highest as found (every 20 ms, garbage
 * awaiting collection included).
 */
function watchMemory() {
  const now = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  gc();
  const base = now();
  let held = base;
  let raw = base;
  const fast = setInterval(() => {
    raw = Math.max(raw, now());
  }, 20);
  const slow = setInterval(() => {
    gc();
    held = Math.max(held, now());
  }, 500);
  return () => {
    clearInterval(fast);
    clearInterval(slow);
    return { held: held - base, raw: raw - base };
  };
}

describe('POST /api/v1/imports/bulk with an export over 50 MB (S3, jobs in the api)', () => {
  let t: TestApp;
  let athlete: TestAthlete;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ap-bulk-'));
    t = await buildTestApp({
      s3: true,
      overrides: {
        RUN_WORKER_IN_API: true,
        UPLOAD_LIMIT_BYTES: 4_000_000,
        BULK_UPLOAD_LIMIT_BYTES: 200 * MiB,
      },
    });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    athlete = await registerAthlete(t.app);
  });
  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('streams it to storage and imports every file, with memory far below its size', async () => {
    const path = join(dir, 'export.zip');
    const order = writeExport(path);
    const size = statSync(path).size;
    expect(size).toBeGreaterThan(FILLER_BYTES);

    const grown = watchMemory();
    const port = (t.app.server.address() as { port: number }).port;
    const res = await upload(port, path, athlete.auth);
    expect(res.status, res.body).toBe(202);
    const { id } = JSON.parse(res.body).bulkImport as { id: string };
    await t.app.deps.platform.queue.drain(240_000);
    const { held, raw } = grown();
    console.log(
      `bulk import of ${(size / MiB).toFixed(1)} MiB: heap+buffers growth ${(held / MiB).toFixed(1)} MiB held, ${(raw / MiB).toFixed(1)} MiB raw peak`,
    );
    // Buffering the upload (the old way) holds the whole file, and twice it while it is joined.
    // Here it is bounded by S3 upload parts in flight (2 x 5 MiB, s3rver's buffers in this
    // process too) and one entry: flat, whatever the file's size.
    expect(held).toBeLessThan(size / 3);
    expect(raw).toBeLessThan(size / 2);

    const got = await t.app.inject({
      method: 'GET',
      url: `/api/v1/imports/bulk/${id}`,
      headers: athlete.auth,
    });
    const report = got.json().bulkImport;
    const results = report.results as BulkImportFile[];
    expect(results.map((r) => r.file)).toEqual(order);
    expect(report).toMatchObject({
      status: 'succeeded',
      total: GPX_FILES + FIT_FILES + 3,
      done: GPX_FILES + FIT_FILES + 3,
      imported: GPX_FILES + FIT_FILES,
      duplicates: 1,
      failed: 2,
      skipped: 1,
      error: null,
    });
    const byFile = Object.fromEntries(results.map((r) => [r.file.replace('export/activities/', ''), r]));
    for (let i = 0; i < GPX_FILES; i++)
      expect(byFile[`g${i}.gpx`]).toMatchObject({ status: 'imported', message: null });
    for (let i = 0; i < FIT_FILES; i++) expect(byFile[`f${i}.fit.gz`]?.status).toBe('imported');
    expect(byFile['g0.gpx']!.name).toBe('First long hike');
    expect(byFile['f0.fit.gz']!.name).toBe('Tempo run');
    expect(byFile['g1.gpx']!.name).toBeNull();
    expect(byFile['f0-again.fit.gz']).toMatchObject({
      status: 'duplicate',
      sessionIds: byFile['f0.fit.gz']!.sessionIds,
      message: 'This file was already imported',
    });
    expect(byFile['huge.gpx']).toMatchObject({
      status: 'failed',
      message: 'larger than 4000000 bytes uncompressed',
    });
    expect(byFile['bomb.gpx.gz']).toMatchObject({
      status: 'failed',
      message: 'larger than 4000000 bytes uncompressed',
    });

    const sessions = await t.app.deps.db.prisma.trainingSession.findMany({
      where: { athleteId: athlete.id },
      select: { id: true, sport: true, name: true },
    });
    expect(sessions).toHaveLength(GPX_FILES + FIT_FILES);
    expect(new Set(sessions.map((s) => s.id))).toEqual(
      new Set(results.filter((r) => r.status === 'imported').flatMap((r) => r.sessionIds)),
    );
    expect(sessions.filter((s) => s.sport === 'hiking')).toHaveLength(GPX_FILES);
    // Each imported file's original is kept, as for a single upload; the ZIP is removed once
    // imported and only the report stays.
    const originals: string[] = [];
    const left: string[] = [];
    for await (const o of t.app.deps.platform.objects.list(`accounts/${athlete.id}/imports/`)) {
      (o.key.includes('/imports/bulk/') ? left : originals).push(o.key);
    }
    expect(originals).toHaveLength(GPX_FILES + FIT_FILES);
    expect(left).toEqual([`accounts/${athlete.id}/imports/bulk/${id}.json`]);
  }, 420_000);
});

describe('POST /api/v1/imports/bulk over BULK_UPLOAD_LIMIT_BYTES', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ s3: true, overrides: { BULK_UPLOAD_LIMIT_BYTES: 3 * MiB } });
  });
  afterAll(async () => t?.close());

  it('answers 413 naming the limit and stores nothing', async () => {
    const athlete = await registerAthlete(t.app);
    const zip = zipSync({ 'media/ride.mp4': [randomBytes(5 * MiB), { level: 0 }] });
    const body = multipartFile('export.zip', zip);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports/bulk',
      payload: body.payload,
      headers: { ...body.headers, ...athlete.auth },
    });
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json().error).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: `file: larger than the bulk import limit of ${3 * MiB} bytes (3 MiB)`,
    });
    const stored = [];
    for await (const o of t.app.deps.platform.objects.list('accounts/')) stored.push(o.key);
    expect(stored).toEqual([]);

    // Under the limit the same account goes through: the limit, not the account, refused it.
    const small = multipartFile('small.zip', zipSync({ 'a.txt': enc('x') }));
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports/bulk',
      payload: small.payload,
      headers: { ...small.headers, ...athlete.auth },
    });
    expect(ok.statusCode, ok.body).toBe(202);
  });
});
