import type { Readable } from 'node:stream';
import type { Database } from '@athlete/db';
import { sampleRow } from '@athlete/db/testing';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  archiveKeyFor,
  type Deps,
  exportAccount,
  readSampleArchive,
  retireSamplePartitions,
} from '../src/index.ts';
import { OBJECT_STORES, openStoreDeps } from './store-deps.ts';

/**
 * The account export while the archival retires months under it (samples.csv keeps every
 * sample once, oldest first), and what it says about who acknowledged an alert.
 */

const HEADER = 'ts,session_id,seq,hr,rr,speed,cadence,power,distance,lat,lon,alt';

const sample = (athleteId: string, ts: Date, hr: number | null) =>
  sampleRow(athleteId, ts, { seq: hr, hr, rr: [450, 460], speed: 3.5 });
/** The export's line of `sample(…)`, whether read from the table or an archive. */
const line = (ts: Date, hr: number | null) => `${ts.toISOString()},,${hr},${hr},450;460,3.5,,,,,,`;
/** `count` samples one second apart from `start`, hr cycling from `hr0`. */
const series = (athleteId: string, start: string, count: number, hr0: number) =>
  Array.from({ length: count }, (_, i) =>
    sample(athleteId, new Date(Date.parse(start) + i * 1000), hr0 + (i % 60)),
  );

async function zipOf(stream: Readable): Promise<Record<string, Uint8Array>> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return unzipSync(new Uint8Array(Buffer.concat(chunks)));
}

describe.each(OBJECT_STORES)('account export ($store)', ({ s3 }) => {
  let deps: Deps;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ deps, close } = await openStoreDeps({ s3 }));
  }, 60_000);

  afterAll(async () => close?.());

  const createUser = (name: string, role: 'athlete' | 'coach' | 'admin') =>
    deps.db.prisma.user.create({
      data: {
        email: `${name}-${Math.random().toString(36).slice(2)}@export.test`,
        name,
        role,
        passwordHash: 'x',
      },
    });
  /** Retires every month that ended by the first of `month` + 1. */
  const retireUpTo = (month: string) => {
    const next = new Date(month);
    next.setUTCMonth(next.getUTCMonth() + 2);
    return retireSamplePartitions({ deps, retentionMonths: 1, now: next });
  };
  const samplesOf = async (stream: Readable) => {
    const lines = strFromU8((await zipOf(stream))['samples.csv']!).split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe(HEADER);
    return lines.slice(1);
  };

  /**
   * deps whose database runs the archival once, around the export's first table read of
   * `month` (before it, or after it answered).
   */
  function archivingDuring(month: Date, when: 'before' | 'after'): { deps: Deps; fired: () => boolean } {
    let fired = false;
    const query = (async (sql: string, params?: unknown[]) => {
      const firstPage =
        !fired &&
        /FROM samples\s+WHERE athlete_id = \$1 AND ts >= \$2 AND ts < \$3/.test(sql) &&
        (params?.[1] as Date | undefined)?.getTime() === month.getTime();
      if (!firstPage) return deps.db.query(sql, params);
      fired = true;
      if (when === 'before') await retireUpTo(month.toISOString());
      const rows = await deps.db.query(sql, params);
      if (when === 'after') await retireUpTo(month.toISOString());
      return rows;
    }) as Database['query'];
    return { deps: { ...deps, db: { ...deps.db, query } }, fired: () => fired };
  }

  it.each([
    { when: 'after' as const, months: ['2019-02', '2019-03', '2019-04'] },
    { when: 'before' as const, months: ['2019-06', '2019-07', '2019-08'] },
  ])(
    'writes a month retired $when its first table page was read once, in order',
    async ({ when, months }) => {
      const [archivedMonth, racedMonth, laterMonth] = months as [string, string, string];
      const [u, other] = await Promise.all([createUser('u', 'athlete'), createUser('other', 'athlete')]);
      const archived = series(u.id, `${archivedMonth}-10T00:00:00Z`, 50, 60);
      // More than one table page (5,000) in the month being retired.
      const raced = series(u.id, `${racedMonth}-01T00:00:00Z`, 12_000, 100);
      const later = series(u.id, `${laterMonth}-05T00:00:00Z`, 20, 160);
      await deps.db.insertSamples([
        ...archived,
        ...series(other.id, `${archivedMonth}-10T00:00:00Z`, 10, 70),
      ]);
      await retireUpTo(`${archivedMonth}-01T00:00:00Z`);
      await deps.db.insertSamples([
        ...raced,
        ...later,
        ...series(other.id, `${racedMonth}-01T00:00:00Z`, 10, 80),
      ]);
      const expected = [...archived, ...raced, ...later].map((s) => line(s.ts, s.hr));
      // As the export reads it with nothing moving.
      expect(await samplesOf(await exportAccount({ deps, userId: u.id }))).toEqual(expected);

      const racedStart = new Date(`${racedMonth}-01T00:00:00Z`);
      const racing = archivingDuring(racedStart, when);
      const stream = await exportAccount({ deps: racing.deps, userId: u.id });
      // Pull-based: nothing of the samples is read before the consumer asks.
      expect(racing.fired()).toBe(false);
      const lines = await samplesOf(stream);
      expect(racing.fired()).toBe(true);
      // The month did move: it is in its archive and no longer in the table.
      const archive = readSampleArchive((await deps.platform.objects.get(archiveKeyFor(racedStart)))!);
      expect(archive.split('\n').filter((l) => l.startsWith(`${u.id},`))).toHaveLength(raced.length);
      const [left] = await deps.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM samples WHERE athlete_id = $1 AND ts < $2',
        [u.id, new Date(`${laterMonth}-01T00:00:00Z`)],
      );
      expect(left?.n).toBe(0);
      expect(lines).toHaveLength(expected.length);
      expect(lines).toEqual(expected);
    },
    120_000,
  );

  it('writes late samples once when their retired month is archived again during the export', async () => {
    const u = await createUser('late', 'athlete');
    const first = series(u.id, '2019-10-10T00:00:00Z', 30, 60);
    await deps.db.insertSamples(first);
    await retireUpTo('2019-10-01T00:00:00Z');
    // Late samples recreate October's partition: older, newer and one instant already archived.
    const late = [
      ...series(u.id, '2019-10-01T00:00:00Z', 6_000, 120),
      sample(u.id, first[5]!.ts, first[5]!.hr),
      ...series(u.id, '2019-10-20T00:00:00Z', 10, 90),
    ];
    await deps.db.insertSamples(late);
    const all = [...first, ...late].sort((a, b) => a.ts.getTime() - b.ts.getTime());
    const expected = all
      .filter((s, i) => i === 0 || all[i - 1]!.ts.getTime() !== s.ts.getTime())
      .map((s) => line(s.ts, s.hr));

    const october = new Date('2019-10-01T00:00:00Z');
    const racing = archivingDuring(october, 'after');
    const lines = await samplesOf(await exportAccount({ deps: racing.deps, userId: u.id }));
    expect(racing.fired()).toBe(true);
    expect(
      readSampleArchive((await deps.platform.objects.get(archiveKeyFor(october)))!)
        .split('\n')
        .filter((l) => l.startsWith(`${u.id},`)),
    ).toHaveLength(first.length + late.length);
    expect(lines).toEqual(expected);
  }, 120_000);

  it('names an acknowledger to the athlete only when that person coaches one of their teams', async () => {
    const [athlete, coach, admin, otherCoach] = await Promise.all([
      createUser('athlete', 'athlete'),
      createUser('coach', 'coach'),
      createUser('admin', 'admin'),
      createUser('other-coach', 'coach'),
    ]);
    const team = await deps.db.prisma.team.create({ data: { name: 'Team', createdById: coach.id } });
    const otherTeam = await deps.db.prisma.team.create({
      data: { name: 'Other', createdById: otherCoach.id },
    });
    await deps.db.prisma.teamMember.createMany({
      data: [
        { teamId: team.id, userId: coach.id, role: 'coach' },
        { teamId: team.id, userId: athlete.id, role: 'athlete' },
        { teamId: otherTeam.id, userId: otherCoach.id, role: 'coach' },
      ],
    });
    const acknowledgedAt = new Date('2026-02-01T10:00:00Z');
    const alert = (minute: number, by: string | null) => ({
      athleteId: athlete.id,
      rule: 'hr_high',
      severity: 'warning' as const,
      message: 'HR high',
      startedAt: new Date(Date.UTC(2026, 1, 1, 9, minute)),
      acknowledgedAt: by ? acknowledgedAt : null,
      acknowledgedById: by,
    });
    await deps.db.prisma.alert.createMany({
      data: [alert(0, coach.id), alert(1, admin.id), alert(2, otherCoach.id), alert(3, null)],
    });

    const files = await zipOf(await exportAccount({ deps, userId: athlete.id }));
    const rows = JSON.parse(strFromU8(files['alerts.json']!)) as Array<Record<string, unknown>>;
    expect(rows.map((r) => [r.acknowledged_by_id, r.acknowledged_at])).toEqual([
      [coach.id, acknowledgedAt.toISOString()],
      [null, acknowledgedAt.toISOString()],
      [null, acknowledgedAt.toISOString()],
      [null, null],
    ]);
    const everything = Object.values(files)
      .map((f) => strFromU8(f))
      .join('\n');
    expect(everything).toContain(coach.id);
    expect(everything).not.toContain(admin.id);
    expect(everything).not.toContain(otherCoach.id);
    expect(strFromU8(files['alerts.csv']!).split('\r\n')[1]).toContain(coach.id);

    // A coach's own export names every acknowledger, as the API shows coaches.
    await deps.db.prisma.alert.create({ data: { ...alert(4, admin.id), athleteId: coach.id } });
    const coachFiles = await zipOf(await exportAccount({ deps, userId: coach.id }));
    const coachRows = JSON.parse(strFromU8(coachFiles['alerts.json']!)) as Array<Record<string, unknown>>;
    expect(coachRows.map((r) => r.acknowledged_by_id)).toEqual([admin.id]);
  }, 60_000);
});
