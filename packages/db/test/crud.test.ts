import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SampleRow } from '../src/index.ts';
import { type OpenedDatabase, targets } from './targets.ts';

function samples(
  athleteId: string,
  start: Date,
  count: number,
  sessionId: string | null = null,
): SampleRow[] {
  return Array.from({ length: count }, (_, i) => ({
    athleteId,
    ts: new Date(start.getTime() + i * 1000),
    sessionId,
    seq: i + 1,
    hr: 120 + (i % 40),
    rr: i % 2 ? [480 + i, 490] : null,
    speed: 3.25,
    cadence: 170,
    power: null,
    distance: i * 3.25,
    lat: 51.5 + i * 1e-5,
    lon: -0.12,
    alt: 35.5,
  }));
}

describe.each(targets)('Prisma and raw SQL round trip ($name)', (target) => {
  let opened: OpenedDatabase;
  beforeAll(async () => {
    opened = await target.open();
  });
  afterAll(() => opened?.cleanup());

  it('creates and reads users, teams, members and sessions with enums, arrays, Json and BigInt', async () => {
    const { prisma } = opened.db;
    const coach = await prisma.user.create({
      data: { email: 'coach@example.com', passwordHash: 'h', name: 'Coach', role: 'coach' },
    });
    const athlete = await prisma.user.create({
      data: {
        email: 'ath@example.com',
        passwordHash: 'h',
        name: 'Ath',
        role: 'athlete',
        profile: {
          create: {
            hrZones: [120, 140, 160, 175, 190],
            sourcePrecedence: ['whoop', 'garmin'],
            thresholds: { hrBelow: 40, nested: { ok: true } },
            sex: 'female',
          },
        },
      },
    });
    const team = await prisma.team.create({
      data: {
        name: 'Rowing',
        createdById: coach.id,
        members: {
          createMany: {
            data: [
              { userId: coach.id, role: 'coach' },
              { userId: athlete.id, role: 'athlete', consentLive: true },
            ],
          },
        },
      },
    });
    const session = await prisma.trainingSession.create({
      data: {
        athleteId: athlete.id,
        source: 'live',
        startedAt: new Date('2026-03-01T10:00:00Z'),
        timeInZonesS: [60, 120.5, 0, 0, 0],
        summary: { laps: [1, 2] },
      },
    });
    await prisma.sample.createMany({
      data: [
        { athleteId: athlete.id, ts: new Date(), sessionId: session.id, seq: 2n ** 60n, hr: 150, rr: [400] },
      ],
    });

    const read = await prisma.team.findUniqueOrThrow({
      where: { id: team.id },
      include: { members: { include: { user: { include: { profile: true, sessions: true } } } } },
    });
    const member = read.members.find((m) => m.userId === athlete.id)!;
    expect(member.role).toBe('athlete');
    expect(member.consentLive).toBe(true);
    expect(member.user.profile?.hrZones).toEqual([120, 140, 160, 175, 190]);
    expect(member.user.profile?.sourcePrecedence).toEqual(['whoop', 'garmin']);
    expect(member.user.profile?.thresholds).toEqual({ hrBelow: 40, nested: { ok: true } });
    expect(member.user.sessions[0]?.timeInZonesS).toEqual([60, 120.5, 0, 0, 0]);
    expect(member.user.sessions[0]?.summary).toEqual({ laps: [1, 2] });
    expect(member.user.sessions[0]?.status).toBe('open');
    const stored = await prisma.sample.findFirstOrThrow({ where: { athleteId: athlete.id } });
    expect(stored.seq).toBe(2n ** 60n);

    const count = await prisma.$transaction(async (tx) => {
      await tx.user.update({ where: { id: athlete.id }, data: { name: 'Renamed' } });
      return tx.user.count();
    });
    expect(count).toBe(2);
    await expect(
      prisma.user.create({
        data: { email: 'coach@example.com', passwordHash: 'h', name: 'Dup', role: 'coach' },
      }),
    ).rejects.toMatchObject({ code: 'P2002' });
  });

  it('runs raw transactions that commit or roll back', async () => {
    const { db } = opened;
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`UPDATE users SET name = 'rolled back' WHERE email = $1`, ['coach@example.com']);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const n = await db.transaction(async (tx) => {
      await tx.query(`UPDATE users SET name = 'committed' WHERE email = $1`, ['coach@example.com']);
      return (await tx.query<{ n: number }>('SELECT count(*) AS n FROM users'))[0]?.n;
    });
    expect(n).toBe(2);
    const rows = await db.query<{ name: string }>('SELECT name FROM users WHERE email = $1', [
      'coach@example.com',
    ]);
    expect(rows).toEqual([{ name: 'committed' }]);
    expect(await db.ping()).toBe(true);
  });

  it('insertSamples stores new rows once, in the monthly partition, for any month', async () => {
    const { db } = opened;
    const [athlete] = await db.query<{ id: string }>(`SELECT id FROM users WHERE email = 'ath@example.com'`);
    const id = athlete!.id;
    // Straddles a month boundary, and a month decades ago with no partition yet.
    const recent = samples(id, new Date('2026-04-30T23:59:58Z'), 4);
    const ancient = samples(id, new Date('1999-12-31T12:00:00Z'), 3);

    const first = await db.insertSamples([...recent, ...ancient, recent[0]!]);
    expect(first).toHaveLength(7);
    expect(first[0]).toEqual({ athleteId: id, ts: recent[0]!.ts });
    expect(await db.insertSamples([...recent, ...ancient])).toEqual([]);

    const mixed = samples(id, new Date('2026-05-01T00:00:02Z'), 2);
    const second = await db.insertSamples([recent[3]!, ...mixed]);
    expect(second.map((k) => k.ts.toISOString())).toEqual(mixed.map((r) => r.ts.toISOString()));

    const placement = await db.query<{ part: string; n: number }>(
      `SELECT tableoid::regclass::text AS part, count(*)::int AS n FROM samples
       WHERE athlete_id = $1 AND seq IS NOT NULL AND seq < 100 GROUP BY 1 ORDER BY 1`,
      [id],
    );
    expect(placement).toEqual([
      { part: 'samples_y1999m12', n: 3 },
      { part: 'samples_y2026m04', n: 2 },
      { part: 'samples_y2026m05', n: 4 },
    ]);
    const [row] = await db.query<{ rr: number[]; hr: number; lat: number; speed: number }>(
      'SELECT rr, hr, lat, speed FROM samples WHERE athlete_id = $1 AND ts = $2',
      [id, recent[1]!.ts],
    );
    expect(row).toEqual({ rr: [481, 490], hr: 121, lat: recent[1]!.lat, speed: 3.25 });
  });

  it('recreates a partition that was dropped after it was cached', async () => {
    const { db } = opened;
    const [athlete] = await db.query<{ id: string }>(`SELECT id FROM users WHERE email = 'ath@example.com'`);
    await db.ensureSamplePartitions(new Date('1990-01-15Z'), new Date('1990-03-01Z'));
    await db.ensureSamplePartitions(new Date('1990-01-15Z'), new Date('1990-03-01Z'));
    const dropped = await db.query<{ name: string }>(
      `SELECT drop_sample_partitions_before('1990-03-01Z') AS name ORDER BY 1`,
    );
    expect(dropped.map((d) => d.name)).toEqual(['samples_y1990m01', 'samples_y1990m02']);
    const again = await db.insertSamples(samples(athlete!.id, new Date('1990-01-20T00:00:00Z'), 2));
    expect(again).toHaveLength(2);
  });

  // COPY exists only on Postgres; PGlite has no such path, so there is nothing to run there.
  if (target.name !== 'postgres') return;
  it('the COPY path de-duplicates like the multi-row path', async () => {
    const { db } = opened;
    const [athlete] = await db.query<{ id: string }>(`SELECT id FROM users WHERE email = 'ath@example.com'`);
    const rows = samples(athlete!.id, new Date('2026-06-10T08:00:00Z'), 50);
    expect(await db.copySamples!(rows)).toBe(50);
    expect(await db.copySamples!(rows)).toBe(0);
    expect(await db.insertSamples(rows)).toEqual([]);
  });
});
