// Peak RSS while the account export and deletion read one large monthly sample archive: both
// stream it, so the figures should follow the athlete's share (export: one athlete-month) and
// not the archive's size. Prints figures only; never a test assertion.
// Usage: pnpm --filter @athlete/services bench:archive [rows] [athletes] [--s3]
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { loadConfig } from '@athlete/config';
import { SAMPLE_COLUMNS } from '@athlete/db';
import { createPlatform } from '@athlete/platform';
import { startS3Server } from '@athlete/platform/testing';
import { archiveKeyFor, purgeAthleteFromSampleArchives } from '../src/maintenance/sample-partitions.ts';
import { archiveRowsOf, listSampleArchiveKeys } from '../src/privacy/archived-samples.ts';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const rows = Number(args[0] ?? 2_000_000);
const athleteCount = Number(args[1] ?? 20);
const useS3 = process.argv.includes('--s3');

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** Runs `work`, sampling RSS every 20 ms; returns the peak above the RSS before it started. */
async function peakRss(label: string, work: () => Promise<string>): Promise<void> {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const t0 = performance.now();
  const result = await work();
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(
    `${label.padEnd(28)} ${s.padStart(6)} s   RSS before ${mib(base).padStart(10)}   peak ${mib(peak).padStart(10)}   (+${mib(peak - base)})   ${result}`,
  );
}

/** One month of every athlete's rows at 1 Hz, ordered by athlete then time as archival writes them. */
async function* archiveCsv(athletes: string[]): AsyncGenerator<string> {
  yield `${SAMPLE_COLUMNS.join(',')}\n`;
  const perAthlete = Math.ceil(rows / athletes.length);
  const start = Date.UTC(2019, 4, 1);
  for (const id of [...athletes].sort()) {
    let block = '';
    for (let i = 0; i < perAthlete; i++) {
      const ts = new Date(start + i * 1000).toISOString();
      block += `${id},${ts},,${i},${120 + (i % 60)},"{${500 + (i % 50)},510}",${(3 + Math.random()).toFixed(4)},172,250,${(i * 3.1).toFixed(1)},${(51.5 + Math.random() / 100).toFixed(7)},-0.12,30\n`;
      if (block.length > 1 << 20) {
        yield block;
        block = '';
      }
    }
    yield block;
  }
}

const dataDir = await mkdtemp(join(tmpdir(), 'ap-bench-archive-'));
const s3 = useS3 ? await startS3Server() : undefined;
const config = loadConfig({
  env: {},
  overrides: {
    DATA_DIR: dataDir,
    ...(s3 && {
      S3_BUCKET: s3.bucket,
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      S3_FORCE_PATH_STYLE: true,
    }),
  },
});
const platform = await createPlatform(config);
try {
  const athletes = Array.from({ length: athleteCount }, () => randomUUID());
  const key = archiveKeyFor(new Date(Date.UTC(2019, 4, 1)));
  console.log(
    `${rows.toLocaleString('en')} rows, ${athleteCount} athletes, ${useS3 ? 's3rver' : 'filesystem'}`,
  );
  await peakRss('write archive (streamed)', async () => {
    await platform.objects.put(
      key,
      pipeline(Readable.from(archiveCsv(athletes)), createGzip(), () => {}),
    );
    return `archive ${mib((await platform.objects.head(key))!.size)}`;
  });
  const columns = SAMPLE_COLUMNS.filter((c) => c !== 'athlete_id');
  await peakRss('export one athlete', async () => {
    // What the export reads per month: the athlete's rows of each archive, one archive at a time.
    let n = 0;
    for (const k of await listSampleArchiveKeys(platform.objects)) {
      n += (await archiveRowsOf(platform.objects, k, athletes[0]!, columns)).length;
    }
    return `${n.toLocaleString('en')} rows`;
  });
  await peakRss('delete one athlete', async () => {
    const removed = await purgeAthleteFromSampleArchives({ deps: { platform }, athleteId: athletes[0]! });
    return `${removed.toLocaleString('en')} rows removed, archive ${mib((await platform.objects.head(key))!.size)}`;
  });
} finally {
  await platform.close();
  await s3?.stop();
  await rm(dataDir, { recursive: true, force: true });
}
