// Import fidelity: imports every file of a folder through the real API (POST /api/v1/imports)
// and prints, per file, the stored totals beside the file's own: the Garmin FIT SDK's session
// messages (decoded here directly), the TCX lap totals, or a GPX track's points. Verdict per file:
// within 1 %, differs (naming the figures), or refused (with the API's reason).
// --roundtrip also downloads each stored session as FIT, TCX and GPX, imports each download
// into a fresh athlete and compares the copy with the stored session (totals, samples, laps).
// Usage: pnpm fidelity DIR [--url http://host:port] [--roundtrip] (default: embedded, in-process)
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '@athlete/config';
import { Decoder, Stream } from '@garmin/fitsdk';
import { buildApp } from '../src/app.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string' },
    tolerance: { type: 'string', default: '1' },
    roundtrip: { type: 'boolean', default: false },
  },
});
if (positionals.length !== 1) {
  console.error('usage: pnpm fidelity DIR [--url http://host:port] [--tolerance 1] [--roundtrip]');
  process.exit(2);
}
const dir = resolve(process.env.INIT_CWD ?? process.cwd(), positionals[0]!);
const TOLERANCE = Number(values.tolerance) / 100;

/** The figures compared, per activity. Null: the file (or the store) has none. */
interface Totals {
  start: number | null;
  durationS: number | null;
  movingTimeS: number | null;
  distanceM: number | null;
  avgHr: number | null;
  maxHr: number | null;
  samples: number | null;
}
const FIELDS = ['durationS', 'movingTimeS', 'distanceM', 'avgHr', 'maxHr', 'samples'] as const;
const LABEL: Record<(typeof FIELDS)[number], string> = {
  durationS: 'duration s',
  movingTimeS: 'moving s',
  distanceM: 'distance m',
  avgHr: 'avg HR',
  maxHr: 'max HR',
  samples: 'samples',
};

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const ms = (v: unknown): number | null => (v instanceof Date ? v.getTime() : null);

/** The FIT SDK's own decode: one entry per session message; samples = distinct record seconds in it. */
function fitReference(bytes: Buffer): { what: string; activities: Totals[] } {
  const { messages, errors } = new Decoder(Stream.fromBuffer(bytes)).read();
  const times = (messages.recordMesgs ?? [])
    .map((r) => ms(r.timestamp))
    .filter((t): t is number => t !== null);
  const sessions = (messages.sessionMesgs ?? []).sort(
    (a, b) => (ms(a.startTime) ?? 0) - (ms(b.startTime) ?? 0),
  );
  const starts = sessions.map((s) => ms(s.startTime) ?? Number.NEGATIVE_INFINITY);
  const distinct = starts.map(() => new Set<number>());
  for (const t of times) {
    let i = 0;
    for (let j = 1; j < starts.length; j++) if (t >= starts[j]!) i = j;
    distinct[i]?.add(t);
  }
  const what = `FIT SDK: ${sessions.length} session message(s), ${times.length} records${
    errors.length ? `, decode error: ${errors[0]!.message}` : ''
  }`;
  if (sessions.length === 0) {
    const all = new Set(times);
    return {
      what,
      activities: [
        {
          start: null,
          durationS: null,
          movingTimeS: null,
          distanceM: null,
          avgHr: null,
          maxHr: null,
          samples: all.size || null,
        },
      ],
    };
  }
  return {
    what,
    activities: sessions.map((s, i) => ({
      start: ms(s.startTime),
      durationS: num(s.totalElapsedTime),
      movingTimeS: num(s.totalTimerTime),
      distanceM: num(s.totalDistance),
      avgHr: num(s.avgHeartRate) || null,
      maxHr: num(s.maxHeartRate) || null,
      samples: distinct[i]!.size,
    })),
  };
}

const tag = (name: string) => `(?:[\\w-]+:)?${name}`;
const first = (xml: string, name: string): string | null =>
  new RegExp(`<${tag(name)}[^>]*>\\s*([^<]*?)\\s*</${tag(name)}>`).exec(xml)?.[1] ?? null;
const blocks = (xml: string, name: string): string[] =>
  [...xml.matchAll(new RegExp(`<${tag(name)}[\\s>][\\s\\S]*?</${tag(name)}>`, 'g'))].map((m) => m[0]);
const xmlTimes = (xml: string, name: string) =>
  new Set(
    [...xml.matchAll(new RegExp(`<${tag(name)}>([^<]+)</${tag(name)}>`, 'g'))]
      .map((m) => Date.parse(/Z|[+-]\d\d:?\d\d$/.test(m[1]!.trim()) ? m[1]!.trim() : `${m[1]!.trim()}Z`))
      .filter((t) => !Number.isNaN(t)),
  );

/** TCX: each <Activity>'s laps summed (TCX lap time is moving time; no elapsed time in the file). */
function tcxReference(xml: string): { what: string; activities: Totals[] } {
  const activities = blocks(xml, 'Activity').map((activity): Totals => {
    const laps = blocks(activity, 'Lap');
    let moving = 0;
    let distance: number | null = null;
    let hrWeighted = 0;
    let hrTime = 0;
    let maxHr: number | null = null;
    for (const lap of laps) {
      const t = Number(first(lap, 'TotalTimeSeconds') ?? 0);
      moving += t;
      const d = first(
        lap.replace(/<(?:[\w-]+:)?Track[\s>][\s\S]*<\/(?:[\w-]+:)?Track>/, ''),
        'DistanceMeters',
      );
      if (d !== null) distance = (distance ?? 0) + Number(d);
      const avg = /<(?:[\w-]+:)?AverageHeartRateBpm[^>]*>\s*<(?:[\w-]+:)?Value>(\d+)/.exec(lap)?.[1];
      if (avg && Number(avg) > 0) {
        hrWeighted += Number(avg) * t;
        hrTime += t;
      }
      const max = /<(?:[\w-]+:)?MaximumHeartRateBpm[^>]*>\s*<(?:[\w-]+:)?Value>(\d+)/.exec(lap)?.[1];
      if (max && Number(max) > 0) maxHr = Math.max(maxHr ?? 0, Number(max));
    }
    const start = /StartTime="([^"]+)"/.exec(laps[0] ?? '')?.[1];
    return {
      start: start ? Date.parse(start) : null,
      durationS: null,
      movingTimeS: laps.length ? moving : null,
      distanceM: distance,
      avgHr: hrTime > 0 ? Math.round(hrWeighted / hrTime) : null,
      maxHr,
      samples: xmlTimes(activity, 'Time').size,
    };
  });
  activities.sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
  return { what: `TCX lap totals: ${activities.length} activity(ies)`, activities };
}

/** GPX has no totals: the points' count and time span. */
function gpxReference(xml: string): { what: string; activities: Totals[] } {
  const times = [...xmlTimes(xml, 'time')].sort((a, b) => a - b);
  const points = blocks(xml, 'trkpt').length;
  const span = times.length > 1 ? (times.at(-1)! - times[0]!) / 1000 : null;
  return {
    what: `GPX: ${points} track points (no totals in the format)`,
    activities: [
      {
        start: times[0] ?? null,
        durationS: span,
        movingTimeS: null,
        distanceM: null,
        avgHr: null,
        maxHr: null,
        samples: points,
      },
    ],
  };
}

function reference(bytes: Buffer): { what: string; activities: Totals[] } | null {
  if (bytes.length >= 12 && bytes.subarray(8, 12).toString('latin1') === '.FIT') return fitReference(bytes);
  const head = bytes.subarray(0, 4096).toString('utf8');
  const xml = bytes.toString('utf8');
  if (/<(\w+:)?TrainingCenterDatabase[\s>]/.test(head)) return tcxReference(xml);
  if (/<(\w+:)?gpx[\s>]/.test(head)) return gpxReference(xml);
  return null;
}

interface StoredSession {
  id: string;
  startedAt: string;
  durationS: number | null;
  movingTimeS?: number | null;
  distanceM: number | null;
  avgHr: number | null;
  maxHr: number | null;
  summary?: { sampleCount: number } | null;
  file?: { incomplete: boolean; notes: string[] } | null;
}

const storedTotals = (s: StoredSession): Totals => ({
  start: Date.parse(s.startedAt),
  durationS: s.durationS,
  movingTimeS: s.movingTimeS ?? null,
  distanceM: s.distanceM,
  avgHr: s.avgHr,
  maxHr: s.maxHr,
  samples: s.summary?.sampleCount ?? 0,
});

/** Relative difference; a figure the file has but the store lacks is a difference. */
function differs(stored: number | null, ref: number | null): boolean {
  if (ref === null) return false;
  if (stored === null) return true;
  if (ref === 0) return Math.abs(stored) > 0.5;
  return Math.abs(stored - ref) / Math.abs(ref) > TOLERANCE;
}

const fmt = (v: number | null) => (v === null ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(1));
const pad = (s: string, n: number) => s.padEnd(n);

async function freshAthlete(base: string, tag: string): Promise<string> {
  const reg = await fetch(`${base}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: `fidelity-${Date.now().toString(36)}-${tag}@fidelity.test`,
      password: 'fidelity-check-password',
      name: 'Fidelity check',
      role: 'athlete',
    }),
  });
  if (reg.status !== 201) throw new Error(`register: ${reg.status} ${await reg.text()}`);
  return ((await reg.json()) as { token: string }).token;
}

async function importAs(base: string, token: string, name: string, bytes: Uint8Array) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  const res = await fetch(`${base}/api/v1/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return {
    status: res.status,
    body: (await res.json()) as { sessions?: StoredSession[]; error?: { message: string } },
  };
}

async function lapCount(base: string, token: string, id: string): Promise<number> {
  const res = await fetch(`${base}/api/v1/sessions/${id}`, { headers: { authorization: `Bearer ${token}` } });
  return (((await res.json()) as { laps?: unknown[] }).laps ?? []).length;
}

/** Export → import of one stored session per format; one line per format. */
async function roundTrip(
  base: string,
  token: string,
  original: StoredSession,
  tag: string,
): Promise<string[]> {
  const lines: string[] = [];
  const want = storedTotals(original);
  const wantLaps = await lapCount(base, token, original.id);
  for (const format of ['fit', 'tcx', 'gpx'] as const) {
    const res = await fetch(`${base}/api/v1/sessions/${original.id}/export?format=${format}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (res.status !== 200) {
      lines.push(
        `${format}: not exported (${res.status}): ${((await res.json()) as { error?: { message: string } }).error?.message}`,
      );
      continue;
    }
    const other = await freshAthlete(base, `${tag}-${format}`);
    const back = await importAs(base, other, `roundtrip.${format}`, new Uint8Array(await res.arrayBuffer()));
    const copy = back.body.sessions?.[0];
    if (back.status !== 201 || !copy) {
      lines.push(`${format}: re-import refused (${back.status}): ${back.body.error?.message}`);
      continue;
    }
    const got = storedTotals(copy);
    // GPX carries no timer time or laps: its moving time is measured again from the points.
    const fields = FIELDS.filter((f) => !(format === 'gpx' && f === 'movingTimeS'));
    const off = fields
      .filter((f) => differs(got[f], want[f]))
      .map((f) => `${LABEL[f]} ${fmt(got[f])} (stored ${fmt(want[f])})`);
    const laps = format === 'gpx' ? null : await lapCount(base, other, copy.id);
    // A session without laps is written with one lap over all of it.
    if (laps !== null && laps !== Math.max(1, wantLaps)) off.push(`laps ${laps} (stored ${wantLaps})`);
    if (got.start !== want.start) off.push('start');
    lines.push(
      `${format}: ${off.length === 0 ? `same within ${values.tolerance} %` : `differs: ${off.join(', ')}`}`,
    );
  }
  return lines;
}

async function main() {
  let base = values.url?.replace(/\/$/, '');
  let close = async () => {};
  if (!base) {
    const dataDir = mkdtempSync(join(tmpdir(), 'ap-fidelity-'));
    const config = loadConfig({
      env: {},
      configFile: undefined,
      overrides: {
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        SERVE_WEB: false,
        HOST: '127.0.0.1',
        PORT: 0,
        REGISTER_LIMIT_PER_HOUR: 100_000,
        UPLOAD_LIMIT_BYTES: 64 * 1024 * 1024,
      },
    });
    const app = await buildApp({ config });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    close = async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    };
    console.log(`embedded app at ${base} (PGlite under ${dataDir})\n`);
  }

  const files = readdirSync(dir)
    .filter((f) => statSync(join(dir, f)).isFile() && !f.startsWith('.'))
    .filter((f) => /\.(fit|gpx|tcx|xml)$/i.test(f))
    .sort();
  const summary: { file: string; sessions: string; verdict: string }[] = [];
  for (const [n, file] of files.entries()) {
    const bytes = readFileSync(join(dir, file));
    // A fresh athlete per file: files of one person often cover the same hours.
    const token = await freshAthlete(base, `${n}`);
    const { status, body } = await importAs(base, token, file, bytes);
    let ref: ReturnType<typeof reference> = null;
    try {
      ref = reference(bytes);
    } catch (err) {
      ref = { what: `reference decode failed: ${(err as Error).message}`, activities: [] };
    }
    console.log(`## ${file} (${bytes.length.toLocaleString('en-US')} bytes)`);
    console.log(`reference: ${ref?.what ?? 'not a FIT, TCX or GPX file'}`);
    if (status !== 201 || !body.sessions) {
      const verdict = `refused (${status}): ${body.error?.message ?? 'no message'}`;
      console.log(`${verdict}\n`);
      summary.push({ file, sessions: '—', verdict });
      continue;
    }
    const stored = body.sessions.map(storedTotals).sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
    const legs = Math.max(stored.length, ref?.activities.length ?? 0);
    const header = ['figure'];
    for (let i = 0; i < legs; i++) header.push(`#${i + 1} stored`, `#${i + 1} file`);
    const rows = [header];
    const off: string[] = [];
    for (const field of FIELDS) {
      const row = [LABEL[field]];
      for (let i = 0; i < legs; i++) {
        const s = stored[i]?.[field] ?? null;
        const r = ref?.activities[i]?.[field] ?? null;
        const bad = differs(s, r);
        if (bad) off.push(`${LABEL[field]}${legs > 1 ? ` #${i + 1}` : ''}`);
        row.push(`${fmt(s)}${bad ? ' ≠' : ''}`, fmt(r));
      }
      rows.push(row);
    }
    if (stored.length !== (ref?.activities.length ?? stored.length)) off.unshift('session count');
    const widths = header.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    for (const [i, r] of rows.entries()) {
      console.log(`| ${r.map((cell, c) => pad(cell, widths[c]!)).join(' | ')} |`);
      if (i === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    }
    const incomplete = body.sessions.some((s) => s.file?.incomplete);
    const compared = (ref?.activities ?? []).some((a) => FIELDS.some((f) => a[f] !== null));
    const verdict = !compared
      ? `stored, nothing to compare: the reference decode has no figures${incomplete ? ' (stored as incomplete)' : ''}`
      : off.length === 0
        ? `within ${values.tolerance} %${incomplete ? ' (stored as incomplete)' : ''}`
        : `differs: ${off.join(', ')}${incomplete ? ' (stored as incomplete)' : ''}`;
    const notes = body.sessions.flatMap((s) => s.file?.notes ?? []);
    if (notes.length) console.log(`notes: ${[...new Set(notes)].join(' / ')}`);
    console.log(`verdict: ${verdict}`);
    let trip = '';
    if (values.roundtrip) {
      const lines: string[] = [];
      for (const [leg, session] of body.sessions.entries()) {
        for (const line of await roundTrip(base, token, session, `${n}-${leg}`))
          lines.push(`#${leg + 1} ${line}`);
      }
      for (const line of lines) console.log(`round trip ${line}`);
      // Per format: a GPX track cannot carry timer time, laps or points without a position.
      trip = ['fit', 'tcx', 'gpx']
        .map((format) => {
          const mine = lines.filter((l) => l.includes(` ${format}: `));
          const word = mine.every((l) => / same within /.test(l))
            ? 'same'
            : mine.some((l) => / not exported /.test(l))
              ? 'not exported'
              : 'differs';
          return `${format} ${word}`;
        })
        .join(', ');
    }
    console.log('');
    summary.push({
      file,
      sessions: String(stored.length),
      verdict: trip ? `${verdict}; round trip ${trip}` : verdict,
    });
  }
  console.log('## Summary');
  const w = Math.max(4, ...summary.map((s) => s.file.length));
  console.log(`| ${pad('file', w)} | sessions | verdict |`);
  console.log(`|${'-'.repeat(w + 2)}|----------|---------|`);
  for (const s of summary) console.log(`| ${pad(s.file, w)} | ${pad(s.sessions, 8)} | ${s.verdict} |`);
  const count = (prefix: string) => summary.filter((s) => s.verdict.startsWith(prefix)).length;
  console.log(
    `\n${summary.length} files: ${count('within')} within ${values.tolerance} %, ${count('differs')} differ, ${count('refused')} refused, ${count('stored, nothing')} without reference figures`,
  );
  await close();
}

await main();
