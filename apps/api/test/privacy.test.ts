import { sampleRow } from '@athlete/db/testing';
import {
  archiveKeyFor,
  ERASURE_SETTLE_MS,
  purgePendingErasures,
  readSampleArchive,
  retireSamplePartitions,
} from '@athlete/services';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL, bearer, createTeamWith, createUser, type TestUser } from './authz/world.ts';
import { buildTestApp, type TestApp } from './helpers.ts';

/** Seeds one of every kind of record about an athlete, across two sample partitions. */
async function seedEverything(t: TestApp, u: TestUser) {
  const { db, platform } = t.app.deps;
  const coach = await createUser(t.app, 'coach');
  await createTeamWith(t.app, coach, [{ user: u, consent: ALL }]);
  await db.prisma.teamInvite.create({
    data: {
      teamId: (await db.prisma.team.findFirstOrThrow({ where: { createdById: coach.id } })).id,
      code: `hash-of-c-${u.id}`,
      email: u.email,
      createdById: coach.id,
      expiresAt: new Date(Date.now() + 1e6),
    },
  });
  await t.app.inject({
    method: 'POST',
    url: '/api/v1/devices',
    headers: bearer(u.token),
    payload: { name: 'H10' },
  });
  await t.app.inject({
    method: 'PUT',
    url: '/api/v1/me/profile',
    headers: bearer(u.token),
    payload: { hrMax: 188, birthYear: 1990 },
  });
  const session = await db.prisma.trainingSession.create({
    data: {
      athleteId: u.id,
      source: 'live',
      startedAt: new Date('2026-01-31T23:59:00Z'),
      status: 'closed',
      avgHr: 140,
    },
  });
  const samples = [0, 1, 2, 120].map((s) => ({
    athleteId: u.id,
    ts: new Date(Date.parse('2026-01-31T23:59:00Z') + s * 1000),
    sessionId: session.id,
    seq: s,
    hr: 130 + s / 10,
    rr: [450, 460],
    speed: 3.1,
    cadence: null,
    power: null,
    distance: s * 3,
    lat: 52.1,
    lon: 4.3,
    alt: null,
  }));
  await db.insertSamples(samples);
  await db.prisma.dailySummary.create({
    data: { athleteId: u.id, date: new Date('2026-01-31'), source: 'whoop', restingHr: 51 },
  });
  await db.prisma.wellnessEntry.create({
    data: {
      athleteId: u.id,
      date: new Date('2026-01-31'),
      sleepQuality: 4,
      fatigue: 3,
      soreness: 2,
      stress: 3,
      mood: 4,
      note: 'legs heavy',
    },
  });
  await db.prisma.note.create({
    data: { athleteId: u.id, sessionId: session.id, authorId: u.id, body: 'felt strong' },
  });
  await db.prisma.note.create({
    data: { athleteId: u.id, date: new Date('2026-01-31'), authorId: u.id, body: 'rest day' },
  });
  await db.prisma.sessionRpe.create({
    data: { sessionId: session.id, athleteId: u.id, rpe: 6, durationMin: 30, load: 180 },
  });
  await db.prisma.alert.create({
    data: {
      athleteId: u.id,
      sessionId: session.id,
      rule: 'hr_high',
      severity: 'warning',
      message: 'HR high',
      startedAt: new Date(),
    },
  });
  const conn = await db.prisma.providerConnection.create({
    data: {
      userId: u.id,
      provider: 'whoop',
      accessTokenEnc: 'SECRET-ACCESS-CIPHERTEXT',
      refreshTokenEnc: 'SECRET-REFRESH-CIPHERTEXT',
      scopes: ['read:sleep'],
    },
  });
  await db.prisma.syncRun.create({
    data: { connectionId: conn.id, kind: 'manual', status: 'succeeded', itemsFetched: 3 },
  });
  await db.prisma.oAuthState.create({
    data: { state: `s-${u.id}`, userId: u.id, provider: 'garmin', expiresAt: new Date(Date.now() + 1e6) },
  });
  const key = `accounts/${u.id}/biometric-data/whoop/20260131_235900.json`;
  const raw = JSON.stringify({ cycle: { id: 1, strain: 12.3 } });
  await platform.objects.put(key, raw, { contentType: 'application/json' });
  await platform.objects.put(`accounts/${u.id}/uploads/ride.gpx`, '<gpx/>');
  await db.prisma.rawObject.create({
    data: {
      userId: u.id,
      source: 'whoop',
      key,
      kind: 'cycle',
      contentType: 'application/json',
      bytes: raw.length,
      sha256: 'x',
    },
  });
  return { key, raw, samples };
}

/** Every row anywhere in the schema that names the user by id or email. */
async function leftovers(t: TestApp, userId: string, email: string): Promise<string[]> {
  const cols = await t.app.deps.db.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.data_type IN ('uuid', 'text', 'character varying')`,
  );
  const found: string[] = [];
  for (const c of cols) {
    const value = c.data_type === 'uuid' ? userId : email;
    const [r] = await t.app.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${c.table_name}" WHERE "${c.column_name}"${c.data_type === 'uuid' ? '' : '::text'} = $1`,
      [value],
    );
    if ((r?.n ?? 0) > 0) found.push(`${c.table_name}.${c.column_name}: ${r?.n}`);
  }
  return found;
}

describe('your data is yours (services mode, S3)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ s3: true });
  });
  afterAll(async () => t?.close());

  it('exports everything as a ZIP, then deletes every row and object of the athlete and nothing of others', async () => {
    const u = await createUser(t.app, 'athlete');
    const other = await createUser(t.app, 'athlete');
    const { key, raw } = await seedEverything(t, u);
    const otherSeed = await seedEverything(t, other);

    const res = await t.app.inject({ url: '/api/v1/me/export', headers: bearer(u.token) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const files = unzipSync(new Uint8Array(res.rawPayload));
    const names = Object.keys(files);
    for (const f of [
      'user.json',
      'profile.json',
      'memberships.json',
      'devices.json',
      'training_sessions.csv',
      'samples.csv',
      'daily_summaries.json',
      'alerts.csv',
      'provider_connections.json',
      'sync_runs.json',
      'raw_objects.json',
      'wellness_entries.json',
      'session_rpe.csv',
      'notes.json',
    ]) {
      expect(names).toContain(f);
    }
    expect(JSON.parse(strFromU8(files['user.json']!))).toMatchObject({ id: u.id, email: u.email });
    expect(JSON.parse(strFromU8(files['profile.json']!))).toMatchObject({ hrMax: 188 });
    expect(strFromU8(files['wellness_entries.json']!)).toContain('legs heavy');
    expect(strFromU8(files['notes.json']!)).toContain('felt strong');
    const sampleLines = strFromU8(files['samples.csv']!).trim().split('\r\n');
    expect(sampleLines[0]).toBe('ts,session_id,seq,hr,rr,speed,cadence,power,distance,lat,lon,alt');
    expect(sampleLines).toHaveLength(5);
    expect(sampleLines[4]).toContain('2026-02-01T00:01:00.000Z');
    expect(sampleLines[1]).toContain('450;460');
    expect(strFromU8(files[`objects/${key}`]!)).toBe(raw);
    expect(names).toContain(`objects/accounts/${u.id}/uploads/ride.gpx`);
    const everything = names.map((n) => strFromU8(files[n]!)).join('\n');
    expect(everything).not.toContain('SECRET-ACCESS-CIPHERTEXT');
    expect(everything).not.toContain('password');
    expect(everything).not.toContain('key_hash');
    expect(everything).not.toContain(other.id);

    const wrong = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/me',
      headers: bearer(u.token),
      payload: { password: 'wrong one' },
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.message).toContain('body.password');
    expect(await t.app.deps.platform.objects.get(key)).toBeDefined();

    const del = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/me',
      headers: bearer(u.token),
      payload: { password: u.password },
    });
    expect(del.statusCode).toBe(200);
    // Nothing names the account any more but the erasure's own record, which waits out the settle
    // time (a write-behind batch already sent may still land) and goes with the final purge.
    expect(await leftovers(t, u.id, u.email)).toEqual(['pending_erasures.user_id: 1']);
    const final = await purgePendingErasures({
      deps: t.app.deps,
      now: new Date(Date.now() + ERASURE_SETTLE_MS + 1_000),
    });
    expect(final.purged).toEqual([u.id]);
    expect(await leftovers(t, u.id, u.email)).toEqual([]);
    const objects = [];
    for await (const o of t.app.deps.platform.objects.list(`accounts/${u.id}/`)) objects.push(o.key);
    expect(objects).toEqual([]);
    expect(await t.app.deps.platform.objects.get(key)).toBeUndefined();
    expect((await t.app.inject({ url: '/api/v1/me', headers: bearer(u.token) })).statusCode).toBe(401);

    // The other athlete keeps everything.
    const [n] = await t.app.deps.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM samples WHERE athlete_id = $1',
      [other.id],
    );
    expect(n?.n).toBe(otherSeed.samples.length);
    expect(await t.app.deps.platform.objects.get(otherSeed.key)).toBeDefined();
    expect((await leftovers(t, other.id, other.email)).length).toBeGreaterThan(5);
  });

  it("removes a deleted athlete's samples from the archives of retired months, keeping everyone else's", async () => {
    const [u, other] = await Promise.all([createUser(t.app, 'athlete'), createUser(t.app, 'athlete')]);
    const { deps } = t.app;
    const at = (athleteId: string, ts: string, hr: number) => sampleRow(athleteId, ts, { hr });
    await deps.db.insertSamples([
      at(u.id, '2019-06-02T10:00:00Z', 120),
      at(u.id, '2019-06-02T10:00:01Z', 121),
      at(other.id, '2019-06-02T10:00:00Z', 130),
    ]);
    await retireSamplePartitions({ deps, retentionMonths: 12, now: new Date('2021-01-01T00:00:00Z') });
    const key = archiveKeyFor(new Date('2019-06-01T00:00:00Z'));
    expect(readSampleArchive((await deps.platform.objects.get(key))!)).toContain(u.id);

    const del = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/me',
      headers: bearer(u.token),
      payload: { password: u.password },
    });
    expect(del.statusCode).toBe(200);
    const lines = readSampleArchive((await deps.platform.objects.get(key))!)
      .trim()
      .split('\n');
    expect(lines[0]).toMatch(/^athlete_id,ts,/);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^${other.id},2019-06-02T10:00:00.000Z,`)),
    ]);
  });
});

describe.each([
  { store: 'S3', s3: true },
  { store: 'filesystem', s3: false },
])('the export includes samples of archived months ($store object store)', ({ s3 }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ s3 });
  });
  afterAll(async () => t?.close());

  const sample = (athleteId: string, ts: string, hr: number) => ({
    athleteId,
    ts: new Date(ts),
    sessionId: null,
    seq: hr,
    hr,
    rr: [450, 460],
    speed: 3.5,
    cadence: null,
    power: null,
    distance: 12.25,
    lat: null,
    lon: null,
    alt: null,
  });
  /** The export's CSV line of `sample(…)`. */
  const line = (ts: string, hr: number) =>
    `${new Date(ts).toISOString()},,${hr},${hr},450;460,3.5,,,12.25,,,`;

  it('writes archived and live samples once each, oldest first, and none of another athlete', async () => {
    const [u, other] = await Promise.all([createUser(t.app, 'athlete'), createUser(t.app, 'athlete')]);
    const { deps } = t.app;
    const retire = () =>
      retireSamplePartitions({ deps, retentionMonths: 12, now: new Date('2021-01-01T00:00:00Z') });
    await deps.db.insertSamples([
      sample(u.id, '2018-03-02T10:00:00Z', 120),
      sample(u.id, '2018-03-02T10:00:01Z', 121),
      sample(other.id, '2018-03-02T10:00:00Z', 170),
      sample(other.id, '2018-03-20T08:00:00Z', 171),
      sample(u.id, '2018-04-01T12:00:00Z', 122),
    ]);
    expect((await retire()).archived.map((a) => a.name)).toEqual(['samples_y2018m03', 'samples_y2018m04']);
    // A late sample of a retired month: archived again, appended as a second gzip member (its
    // rows come after the first member's although they are older).
    await deps.db.insertSamples([sample(u.id, '2018-03-02T09:00:00Z', 119)]);
    expect((await retire()).archived.map((a) => a.name)).toEqual(['samples_y2018m03']);
    // Later ones not archived yet: March is in the archive and in the table, one instant in both.
    await deps.db.insertSamples([
      sample(u.id, '2018-03-02T10:00:01Z', 199),
      sample(u.id, '2018-03-03T00:00:00Z', 123),
      sample(other.id, '2018-03-03T00:00:00Z', 172),
      sample(u.id, '2026-01-15T07:00:00Z', 130),
      sample(u.id, '2026-01-15T07:00:01Z', 131),
    ]);
    const archived = readSampleArchive(
      (await deps.platform.objects.get(archiveKeyFor(new Date('2018-03-01'))))!,
    );
    expect(archived).toContain(`${u.id},2018-03-02T09:00:00.000Z,`);
    expect(archived).toContain(other.id);

    const res = await t.app.inject({ url: '/api/v1/me/export', headers: bearer(u.token) });
    expect(res.statusCode).toBe(200);
    const files = unzipSync(new Uint8Array(res.rawPayload));
    const lines = strFromU8(files['samples.csv']!).trim().split('\r\n');
    expect(lines).toEqual([
      'ts,session_id,seq,hr,rr,speed,cadence,power,distance,lat,lon,alt',
      line('2018-03-02T09:00:00Z', 119),
      line('2018-03-02T10:00:00Z', 120),
      // In the archive and (resent later) in the table: written once, as archived.
      line('2018-03-02T10:00:01Z', 121),
      line('2018-03-03T00:00:00Z', 123),
      line('2018-04-01T12:00:00Z', 122),
      line('2026-01-15T07:00:00Z', 130),
      line('2026-01-15T07:00:01Z', 131),
    ]);
  });
});
