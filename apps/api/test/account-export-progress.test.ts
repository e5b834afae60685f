import type { AccountExport, BackgroundWork } from '@athlete/contracts';
import { accountExportSchema, backgroundWorkResponseSchema } from '@athlete/contracts';
import { sampleRow } from '@athlete/db/testing';
import { queuedAccountExport, runAccountExport, writeAccountExport } from '@athlete/services';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createUser, type TestUser } from './authz/world.ts';
import { buildTestApp, multipartFile, type TestApp } from './helpers.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MONTHS = ['2026-01', '2026-02', '2026-03'];

describe('account export in the background, with progress (services mode, S3, jobs in the api)', () => {
  let t: TestApp;
  let u: TestUser;
  beforeAll(async () => {
    t = await buildTestApp({ s3: true, overrides: { RUN_WORKER_IN_API: true } });
    u = await createUser(t.app, 'athlete');
    const rows = MONTHS.flatMap((m) =>
      [0, 1, 2].map((s) => sampleRow(u.id, new Date(`${m}-10T08:00:0${s}Z`), { hr: 140 + s })),
    );
    await t.app.deps.db.insertSamples(rows);
    await t.app.deps.platform.objects.put(`accounts/${u.id}/uploads/ride.gpx`, '<gpx/>');
  });
  afterAll(async () => t?.close());

  const get = async (url: string, who = u) => {
    const res = await t.app.inject({ url, headers: bearer(who.token) });
    return res;
  };
  const reportOf = async (id: string): Promise<AccountExport> => {
    const res = await get(`/api/v1/me/exports/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return accountExportSchema.parse(res.json().export);
  };
  const work = async (who = u): Promise<BackgroundWork[]> => {
    const res = await get('/api/v1/me/background-work', who);
    expect(res.statusCode, res.body).toBe(200);
    return backgroundWorkResponseSchema.parse(res.json()).work;
  };

  it('starts at once (202, queued), then is built with done of total parts, then downloads', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/me/exports', headers: bearer(u.token) });
    expect(res.statusCode, res.body).toBe(202);
    const started = accountExportSchema.parse(res.json().export);
    expect(started).toMatchObject({ status: 'queued', done: 0, total: null });

    await t.app.deps.platform.queue.drain(60_000);
    const final = await reportOf(started.id);
    // 16 record parts + 3 sample months + 1 stored object.
    expect(final).toMatchObject({ status: 'succeeded', done: 20, total: 20, error: null });
    expect(final.bytes).toBeGreaterThan(100);

    const zipRes = await get(`/api/v1/me/exports/${started.id}/download`);
    expect(zipRes.statusCode).toBe(200);
    expect(zipRes.headers['content-type']).toBe('application/zip');
    const files = unzipSync(new Uint8Array(zipRes.rawPayload));
    expect(strFromU8(files['samples.csv']!).trim().split('\r\n')).toHaveLength(1 + 9);
    expect(strFromU8(files[`objects/accounts/${u.id}/uploads/ride.gpx`]!)).toBe('<gpx/>');

    const listed = (await work()).find((w) => w.id === started.id)!;
    expect(listed).toMatchObject({
      kind: 'export',
      status: 'succeeded',
      progress: { done: 20, total: 20, unit: 'parts', percent: 100 },
      downloadUrl: `/api/v1/me/exports/${started.id}/download`,
    });

    // A later export leaves earlier exports out (no export of exports).
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/exports',
      headers: bearer(u.token),
    });
    await t.app.deps.platform.queue.drain(60_000);
    const secondId = second.json().export.id as string;
    expect(await reportOf(secondId)).toMatchObject({ status: 'succeeded', total: 20 });
    const again = unzipSync(
      new Uint8Array((await get(`/api/v1/me/exports/${secondId}/download`)).rawPayload),
    );
    expect(Object.keys(again).filter((n) => n.includes('/exports/'))).toEqual([]);
  });

  it('reports progress while it runs: the stored report advances month by month', async () => {
    const id = crypto.randomUUID();
    await writeAccountExport(t.app.deps, u.id, queuedAccountExport(id));
    const seen: AccountExport[] = [];
    const phases: string[] = [];
    await runAccountExport({
      deps: t.app.deps,
      userId: u.id,
      exportId: id,
      onProgress: async (p) => {
        phases.push(p.phase);
        if (p.phase.startsWith('samples of')) {
          // A slow month, as a year of samples is; the user polls meanwhile.
          await sleep(600);
          seen.push(await reportOf(id));
          const dl = await get(`/api/v1/me/exports/${id}/download`);
          expect(dl.statusCode).toBe(409);
          expect(dl.json().error.message).toMatch(/not ready yet: \d+ of \d+ parts written/);
        }
      },
    });
    expect(phases.filter((p) => p.startsWith('samples of'))).toEqual(MONTHS.map((m) => `samples of ${m}`));
    expect(seen.every((r) => r.status === 'running' && r.total !== null && r.total === 20)).toBe(true);
    const dones = seen.map((r) => r.done);
    expect(dones).toHaveLength(MONTHS.length);
    for (let i = 1; i < dones.length; i++) expect(dones[i]).toBeGreaterThan(dones[i - 1]!);
    expect(await reportOf(id)).toMatchObject({ status: 'succeeded', done: 20, total: 20 });
  });

  it('lists a bulk import beside the exports, with its files done of total', async () => {
    const gpx = `<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>${Array.from(
      { length: 30 },
      (_, i) =>
        `<trkpt lat="${(60 + i * 1e-4).toFixed(5)}" lon="10.5"><time>${new Date(Date.UTC(2026, 4, 1, 6) + i * 10_000).toISOString()}</time></trkpt>`,
    ).join('')}</trkseg></trk></gpx>`;
    const body = multipartFile(
      'two.zip',
      zipSync({ 'a.gpx': new TextEncoder().encode(gpx), 'b.fit': new Uint8Array(4) }),
    );
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports/bulk',
      payload: body.payload,
      headers: { ...body.headers, ...bearer(u.token) },
    });
    expect(res.statusCode, res.body).toBe(202);
    await t.app.deps.platform.queue.drain(60_000);
    const listed = await work();
    expect(listed.find((w) => w.id === res.json().bulkImport.id)).toMatchObject({
      kind: 'bulk-import',
      title: 'Import of two.zip',
      status: 'succeeded',
      progress: { done: 2, total: 2, unit: 'files', percent: 100 },
    });
    expect(listed.filter((w) => w.kind === 'export').length).toBeGreaterThanOrEqual(2);
    // Newest first.
    expect(listed.map((w) => w.createdAt)).toEqual([...listed.map((w) => w.createdAt)].sort().reverse());
  });

  it("keeps each account's exports its own", async () => {
    const other = await createUser(t.app, 'athlete');
    const mine = (await work()).find((w) => w.kind === 'export')!;
    expect((await get(`/api/v1/me/exports/${mine.id}`, other)).statusCode).toBe(404);
    expect((await get(`/api/v1/me/exports/${mine.id}/download`, other)).statusCode).toBe(404);
    expect(await work(other)).toEqual([]);
  });
});
