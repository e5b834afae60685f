import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { SAMPLE_COLUMNS } from '@athlete/db';
import { sampleRow } from '@athlete/db/testing';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/accounts/password.ts';
import {
  archiveKeyFor,
  type Deps,
  deleteAccount,
  exportAccount,
  purgeAthleteFromSampleArchives,
  readSampleArchive,
  retireSamplePartitions,
} from '../src/index.ts';
import { OBJECT_STORES, openStoreDeps, withAfterPut } from './store-deps.ts';

/**
 * The archive paths on archives of several MB (compressed: more than one S3 upload part):
 * export, account deletion and the archival's append all stream them, and must still give
 * exactly the right rows.
 */

const PASSWORD = 'streaming archives 1';
/** Bigger than one part of the S3 store's streamed upload. */
const MULTIPART = 5 * 1024 * 1024;
const HEADER = SAMPLE_COLUMNS.join(',');

interface Row {
  ts: string;
  seq: number;
  hr: number;
  rr: number[] | null;
  speed: string;
  distance: string;
  lat: string;
  lon: string;
}

/** Deterministic rows, one a second from `start`, with enough noise that gzip keeps them large. */
function rowsFrom(start: string, count: number, seed: number): Row[] {
  let x = seed;
  const next = () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x;
  };
  const t0 = Date.parse(start);
  return Array.from({ length: count }, (_, i) => ({
    ts: new Date(t0 + i * 1000).toISOString(),
    seq: i,
    hr: 60 + (next() % 120),
    rr: i % 3 === 0 ? [400 + (next() % 600), 400 + (next() % 600)] : null,
    speed: (next() / 2 ** 30).toFixed(6),
    distance: (i * 3.7 + (next() % 1000) / 1000).toFixed(3),
    lat: (51 + next() / 2 ** 32).toFixed(9),
    lon: (-0.5 + next() / 2 ** 32).toFixed(9),
  }));
}

/** A row as the archive stores it (Postgres text, table column order). */
const archiveLine = (athleteId: string, r: Row) =>
  `${athleteId},${r.ts},,${r.seq},${r.hr},${r.rr ? `"{${r.rr.join(',')}}"` : ''},${r.speed},,,${r.distance},${r.lat},${r.lon},`;

/** The same row in the export's samples.csv. */
const exportLine = (r: Row) =>
  `${r.ts},,${r.seq},${r.hr},${r.rr ? r.rr.join(';') : ''},${r.speed},,,${r.distance},${r.lat},${r.lon},`;

/** Oldest first, each instant once (the first given wins), as the export promises. */
function exportOrder(rows: Row[]): string[] {
  const sorted = [...rows].sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  return sorted.filter((r, i) => i === 0 || sorted[i - 1]!.ts !== r.ts).map(exportLine);
}

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

async function* firstBytesOf(stream: Readable, bytes: number): AsyncGenerator<Buffer> {
  let left = bytes;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    yield chunk.subarray(0, left);
    left -= chunk.length;
    if (left <= 0) return;
  }
}

describe.each(OBJECT_STORES)('multi-MB sample archives through the streaming paths ($store)', ({ s3 }) => {
  let deps: Deps;
  let close: () => Promise<void>;
  let a: string;
  let b: string;
  const may = archiveKeyFor(new Date('2019-05-01T00:00:00Z'));
  const july = archiveKeyFor(new Date('2019-07-01T00:00:00Z'));

  // May: 230k rows of two athletes, each athlete's sorted as archival writes them, B's alone
  // several MB compressed; then a second gzip member of late rows (older than some of the
  // first's, one instant repeated).
  const aRows = rowsFrom('2019-05-01T00:00:00Z', 30_000, 1);
  const bRows = rowsFrom('2019-05-01T00:00:00Z', 200_000, 2);
  const aLate = [
    ...rowsFrom('2019-05-01T00:00:00.500Z', 3, 3),
    { ...aRows[500]!, hr: 199 }, // same instant as an archived row: the first one counts
  ];
  const bLate = rowsFrom('2019-05-31T00:00:00Z', 2, 4);
  let mayBytes: Buffer;
  // July: only B's rows.
  const bJuly = rowsFrom('2019-07-02T00:00:00Z', 2_000, 5);
  let julyBytes: Buffer;

  const exportedSamples = async (userId: string) => {
    const zip = await bytesOf(await exportAccount({ deps, userId }));
    const lines = strFromU8(unzipSync(new Uint8Array(zip))['samples.csv']!).split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe('ts,session_id,seq,hr,rr,speed,cadence,power,distance,lat,lon,alt');
    return lines.slice(1);
  };

  beforeAll(async () => {
    ({ deps, close } = await openStoreDeps({ s3 }));
    const { db, platform } = deps;
    const passwordHash = await hashPassword(PASSWORD);
    const [ua, ub] = await Promise.all(
      ['a', 'b'].map((n) =>
        db.prisma.user.create({
          data: { email: `${n}@archive-stream.test`, name: n, role: 'athlete', passwordHash },
        }),
      ),
    );
    a = ua!.id;
    b = ub!.id;

    // Archival writes a member ordered by athlete id, then time.
    const firstMember = [HEADER];
    const byId = [[a, aRows] as const, [b, bRows] as const].sort(([x], [y]) => (x < y ? -1 : 1));
    for (const [id, rows] of byId) for (const r of rows) firstMember.push(archiveLine(id, r));
    const lateMember = [...aLate.map((r) => archiveLine(a, r)), ...bLate.map((r) => archiveLine(b, r))];
    mayBytes = Buffer.concat([
      gzipSync(`${firstMember.join('\n')}\n`),
      gzipSync(`${lateMember.join('\n')}\n`),
    ]);
    julyBytes = gzipSync(`${[HEADER, ...bJuly.map((r) => archiveLine(b, r))].join('\n')}\n`);
    await platform.objects.put(may, mayBytes, { contentType: 'application/gzip' });
    await platform.objects.put(july, julyBytes, { contentType: 'application/gzip' });
  }, 120_000);

  afterAll(async () => close?.());

  it("exports exactly an athlete's archived rows, oldest first, each instant once", async () => {
    const lines = await exportedSamples(a);
    expect(lines).toHaveLength(aRows.length + 3);
    expect(lines).toEqual(exportOrder([...aRows, ...aLate]));
    expect(lines[1]).toBe(exportLine(aLate[0]!));
    expect(lines).not.toContain(exportLine(aLate[3]!));
  }, 60_000);

  // Stored by insertSamples with rr null, so archived with rr as Postgres prints '{}'.
  const lateB = '2019-05-20T06:00:00.000Z,,,141,{},,,,,,,';
  const lateA = '2019-05-20T06:00:01.000Z,,,142,{},,,,,,,';

  it('appends late rows to a multi-MB archive, and puts it back byte for byte when the drop is refused', async () => {
    const late = [
      sampleRow(b, '2019-05-20T06:00:00Z', { hr: 141 }),
      sampleRow(a, '2019-05-20T06:00:01Z', { hr: 142 }),
    ];
    await deps.db.insertSamples([late[0]!]);
    const { objects } = deps.platform;
    // A resend for May lands right after the appended archive is stored, before the drop.
    let raced = false;
    const racing = withAfterPut(deps, async (key) => {
      if (key !== may || raced) return;
      raced = true;
      await deps.db.insertSamples([late[1]!]);
    });
    const retire = (d: Deps) =>
      retireSamplePartitions({ deps: d, retentionMonths: 12, now: new Date('2021-01-01T00:00:00Z') });
    expect(mayBytes.length).toBeGreaterThan(MULTIPART);
    expect((await retire(racing)).skipped).toEqual(['samples_y2019m05']);
    expect(raced).toBe(true);
    expect((await objects.get(may))!.equals(mayBytes)).toBe(true);

    const archived = (await retire(deps)).archived;
    expect(archived.map((p) => [p.name, p.rows])).toEqual([['samples_y2019m05', 2]]);
    const stored = (await objects.get(may))!;
    expect(stored.subarray(0, mayBytes.length).equals(mayBytes)).toBe(true);
    expect(archived[0]!.bytes).toBe(stored.length);
    const before = readSampleArchive(mayBytes).trim().split('\n');
    const lines = readSampleArchive(stored).trim().split('\n');
    expect(lines.slice(0, before.length)).toEqual(before);
    // The appended member, ordered by athlete id like every member.
    expect(lines.slice(before.length)).toEqual([`${b},${lateB}`, `${a},${lateA}`].sort());
  }, 60_000);

  it("deletes an account's archived rows and keeps every other row, leaving archives without theirs alone", async () => {
    await deleteAccount({
      deps,
      principal: { kind: 'user', userId: a, role: 'athlete', sessionId: 'test', via: 'bearer' },
      password: PASSWORD,
    });
    const mayLines = readSampleArchive((await deps.platform.objects.get(may))!)
      .trim()
      .split('\n');
    expect(mayLines).toEqual([
      HEADER,
      ...bRows.map((r) => archiveLine(b, r)),
      ...bLate.map((r) => archiveLine(b, r)),
      `${b},${lateB}`,
    ]);
    expect((await deps.platform.objects.head(may))!.size).toBeGreaterThan(MULTIPART);
    expect((await deps.platform.objects.get(july))!.equals(julyBytes)).toBe(true);

    // A second purge finds nothing and rewrites nothing.
    const mayAfter = (await deps.platform.objects.get(may))!;
    expect(await purgeAthleteFromSampleArchives({ deps, athleteId: a })).toBe(0);
    expect((await deps.platform.objects.get(may))!.equals(mayAfter)).toBe(true);

    // The export reads '{}' as no RR intervals.
    const exportedLateB = lateB.replace('{}', '');
    expect(await exportedSamples(b)).toEqual([
      ...exportOrder(bRows),
      exportedLateB,
      ...exportOrder(bLate),
      ...exportOrder(bJuly),
    ]);
  }, 120_000);

  it('fails on a truncated archive without touching it (deletion and export alike)', async () => {
    const key = archiveKeyFor(new Date('2019-09-01T00:00:00Z'));
    // Someone else's rows, the athlete being purged first: the rewrite starts, then the input ends.
    const c = '00000000-0000-4000-8000-00000000000c';
    const whole = gzipSync(
      `${[HEADER, ...bJuly.map((r) => archiveLine(c, r)), ...bJuly.map((r) => archiveLine(b, r))].join('\n')}\n`,
    );
    const broken = whole.subarray(0, Math.floor(whole.length / 2));
    await deps.platform.objects.put(key, broken);
    const before = await Promise.all([may, july].map(async (k) => (await deps.platform.objects.get(k))!));
    try {
      await expect(purgeAthleteFromSampleArchives({ deps, athleteId: c })).rejects.toThrow(
        /unexpected end of file/,
      );
      expect((await deps.platform.objects.get(key))!.equals(broken)).toBe(true);
      await expect(exportedSamples(b)).rejects.toThrow(/unexpected end of file/);
      // The sound archives (read in full while looking for the athlete) are as they were.
      for (const [i, k] of [may, july].entries()) {
        expect((await deps.platform.objects.get(k))!.equals(before[i]!)).toBe(true);
      }
    } finally {
      await deps.platform.objects.delete(key);
    }
  }, 60_000);

  it('refuses to rewrite from a read cut short at the end of a gzip member', async () => {
    const { objects } = deps.platform;
    const key = archiveKeyFor(new Date('2019-11-01T00:00:00Z'));
    const c = '00000000-0000-4000-8000-00000000000c';
    const first = gzipSync(`${[HEADER, ...bJuly.map((r) => archiveLine(c, r))].join('\n')}\n`);
    const late = gzipSync(`${archiveLine(c, bLate[0]!)}\n${archiveLine(b, bLate[1]!)}\n`);
    const whole = Buffer.concat([first, late]);
    await objects.put(key, whole);
    // A connection lost right after the first member: what arrives is valid gzip, just less.
    const cut: Deps = {
      ...deps,
      platform: {
        ...deps.platform,
        objects: {
          ...objects,
          async getStream(k) {
            const stream = await objects.getStream(k);
            if (k !== key || !stream) return stream;
            return Readable.from(firstBytesOf(stream, first.length));
          },
        },
      },
    };
    try {
      await expect(purgeAthleteFromSampleArchives({ deps: cut, athleteId: c })).rejects.toThrow(
        `archive ${key} ended after ${first.length} of ${whole.length} bytes`,
      );
      expect((await objects.get(key))!.equals(whole)).toBe(true);
    } finally {
      await objects.delete(key);
    }
  }, 60_000);
});
