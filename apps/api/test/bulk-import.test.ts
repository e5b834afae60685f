import type { BulkImportFile } from '@athlete/contracts';
import { encodeFitActivity } from '@athlete/providers';
import { gzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, multipartFile as multipart, type TestApp } from './helpers.ts';
import { registerAthlete, type TestAthlete } from './sync-fixtures.ts';

/** A run of `minutes` at 1 Hz from `startMs`, written with the FIT SDK encoder. */
function fitRun(startMs: number, minutes: number): Uint8Array {
  const samples = Array.from({ length: minutes * 60 }, (_, i) => ({
    ts: startMs + i * 1000,
    hr: 140 + (i % 9),
    distance: i * 3,
  }));
  return encodeFitActivity({ sport: 'running', samples });
}

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 8, 1, 6, 0, 0);
const gpx = (startMs: number) =>
  `<?xml version="1.0"?><gpx version="1.1" creator="hand" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>GPX own name</name><type>hiking</type><trkseg>${Array.from(
    { length: 60 },
    (_, i) =>
      `<trkpt lat="${(60 + i * 1e-4).toFixed(5)}" lon="10.5"><time>${new Date(startMs + i * 10_000).toISOString()}</time></trkpt>`,
  ).join('')}</trkseg></trk></gpx>`;

describe('POST /api/v1/imports/bulk (services mode, S3, jobs in the api)', () => {
  let t: TestApp;
  let athlete: TestAthlete;
  beforeAll(async () => {
    t = await buildTestApp({
      s3: true,
      overrides: { RUN_WORKER_IN_API: true, UPLOAD_LIMIT_BYTES: 4_000_000 },
    });
    athlete = await registerAthlete(t.app);
  });
  afterAll(async () => t?.close());

  const send = (filename: string, bytes: Uint8Array, who = athlete) => {
    const body = multipart(filename, bytes);
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/imports/bulk',
      payload: body.payload,
      headers: { ...body.headers, ...who.auth },
    });
  };
  const report = async (id: string, who = athlete) => {
    await t.app.deps.platform.queue.drain(60_000);
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/imports/bulk/${id}`, headers: who.auth });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().bulkImport;
  };

  it('imports a Strava export: names from activities.csv, duplicates reported, bad files named', async () => {
    const first = fitRun(T0, 20);
    const before = multipart('before.fit', fitRun(T0 + 2 * DAY, 10));
    const single = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      payload: before.payload,
      headers: { ...before.headers, ...athlete.auth },
    });
    expect(single.statusCode, single.body).toBe(201);
    const existingId = single.json().session.id as string;

    const csv = [
      'Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,Filename,Elapsed Time',
      '1001,"Sep 1, 2026, 6:00:00 AM","Morning Run, easy",Run,"legs, heavy",1200,3.6,activities/1001.fit.gz,1200',
      '1002,"Sep 2, 2026, 6:00:00 AM",Hill hike,Hike,,590,0.7,activities/1002.gpx.gz,590',
      '1003,"Sep 3, 2026, 6:00:00 AM",Same run again,Run,,600,1.8,activities/1003.fit.gz,600',
    ].join('\n');
    const zip = zipSync({
      'export_123/activities.csv': new TextEncoder().encode(csv),
      'export_123/activities/1001.fit.gz': gzipSync(first),
      'export_123/activities/1002.gpx.gz': gzipSync(new TextEncoder().encode(gpx(T0 + DAY))),
      // The file imported one by one before the bulk import: a duplicate, not a failure.
      'export_123/activities/1003.fit.gz': gzipSync(fitRun(T0 + 2 * DAY, 10)),
      // The same bytes as 1001 under another name.
      'export_123/activities/1001-copy.fit': first,
      'export_123/activities/broken.tcx': new TextEncoder().encode('<TrainingCenterDatabase><Activities>'),
      'export_123/media/photo.jpg': new Uint8Array([0xff, 0xd8, 0xff]),
      'export_123/profile.csv': new TextEncoder().encode('a,b\n1,2\n'),
    });
    const res = await send('export_123.zip', zip);
    expect(res.statusCode, res.body).toBe(202);
    const queued = res.json().bulkImport;
    expect(queued).toMatchObject({ status: 'queued', filename: 'export_123.zip', done: 0, results: [] });

    const done = await report(queued.id);
    expect(done).toMatchObject({
      status: 'succeeded',
      total: 5,
      done: 5,
      imported: 2,
      duplicates: 2,
      failed: 1,
      skipped: 2,
      error: null,
    });
    const byFile: Record<string, BulkImportFile> = Object.fromEntries(
      (done.results as BulkImportFile[]).map((r) => [r.file.replace('export_123/activities/', ''), r]),
    );
    expect(byFile['1001.fit.gz']).toMatchObject({
      status: 'imported',
      name: 'Morning Run, easy',
      message: null,
    });
    expect(byFile['1002.gpx.gz']).toMatchObject({ status: 'imported', name: 'Hill hike' });
    expect(byFile['1003.fit.gz']).toMatchObject({
      status: 'duplicate',
      sessionIds: [existingId],
      message: 'This file was already imported',
    });
    expect(byFile['1001-copy.fit']).toMatchObject({
      status: 'duplicate',
      sessionIds: byFile['1001.fit.gz']!.sessionIds,
      name: null,
    });
    expect(byFile['broken.tcx']?.status).toBe('failed');
    expect(byFile['broken.tcx']?.message).toMatch(/^broken\.tcx: /);

    const sessions = await t.app.inject({
      method: 'GET',
      url: `/api/v1/athletes/${athlete.id}/sessions`,
      headers: athlete.auth,
    });
    const list = sessions.json().sessions as Array<{ id: string; name: string | null; sport: string }>;
    expect(list.map((s) => [s.sport, s.name])).toEqual([
      ['running', null], // imported one by one before: FIT from the encoder has no name
      ['hiking', 'Hill hike'], // the CSV's name beats the GPX's own
      ['running', 'Morning Run, easy'],
    ]);
    // The ZIP is gone once imported; the report stays under the account's prefix.
    const left = [];
    for await (const o of t.app.deps.platform.objects.list(`accounts/${athlete.id}/imports/bulk/`))
      left.push(o.key);
    expect(left).toEqual([`accounts/${athlete.id}/imports/bulk/${queued.id}.json`]);
  });

  it('refuses what is not a ZIP, and shows a report only to its uploader', async () => {
    const notZip = await send('run.fit', fitRun(T0 + 10 * DAY, 1));
    expect(notZip.statusCode).toBe(400);
    expect(notZip.json().error.message).toBe(
      'run.fit: not a ZIP archive (send activity files one by one to /imports)',
    );

    const res = await send('empty.zip', zipSync({}));
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json().bulkImport.id as string;
    expect(await report(id)).toMatchObject({ status: 'succeeded', total: 0, imported: 0, results: [] });
    const other = await registerAthlete(t.app);
    const foreign = await t.app.inject({
      method: 'GET',
      url: `/api/v1/imports/bulk/${id}`,
      headers: other.auth,
    });
    expect(foreign.statusCode).toBe(404);
  });

  it('reports an unreadable ZIP as a failed job with the reason', async () => {
    const broken = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(40, 7)]);
    const res = await send('broken.zip', broken);
    expect(res.statusCode, res.body).toBe(202);
    const done = await report(res.json().bulkImport.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/^the ZIP cannot be read: /);
  });
});
