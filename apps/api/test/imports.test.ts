import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, multipartFile as multipart, type TestApp } from './helpers.ts';
import { registerAthlete, type TestAthlete } from './sync-fixtures.ts';

const FIT_DIR = join(import.meta.dirname, '../../../fixtures/fit');
const GPX = join(import.meta.dirname, '../../../packages/providers/test/fixtures/morning-run.gpx');

describe('POST /api/v1/imports (services mode, S3)', () => {
  let t: TestApp;
  let athlete: TestAthlete;
  beforeAll(async () => {
    t = await buildTestApp({ s3: true, overrides: { UPLOAD_LIMIT_BYTES: 2_000_000 } });
    athlete = await registerAthlete(t.app);
  });
  afterAll(async () => t?.close());

  const upload = (filename: string, bytes: Buffer, field?: string) => {
    const body = multipart(filename, bytes, field);
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      payload: body.payload,
      headers: { ...body.headers, ...athlete.auth },
    });
  };

  it('imports a FIT file: session, samples, summary, the file in the object store', async () => {
    const bytes = readFileSync(join(FIT_DIR, 'activity-small-fenix2-run.fit'));
    const res = await upload('run.fit', bytes);
    expect(res.statusCode, res.body).toBe(201);
    const { session } = res.json();
    expect(session).toMatchObject({
      athleteId: athlete.id,
      source: 'file',
      status: 'closed',
      sport: 'running',
    });
    expect(session.durationS).toBeGreaterThan(0);
    expect(session.summary.sampleCount).toBeGreaterThan(10);
    const stored = await t.app.deps.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM samples WHERE session_id = $1',
      [session.id],
    );
    expect(stored[0]!.n).toBe(session.summary.sampleCount);
    const raw = await t.app.deps.db.prisma.rawObject.findFirstOrThrow({
      where: { userId: athlete.id, source: 'file' },
    });
    expect(raw.key).toMatch(new RegExp(`^accounts/${athlete.id}/imports/[0-9a-f]{64}\\.fit$`));
    expect((await t.app.deps.platform.objects.get(raw.key))?.equals(bytes)).toBe(true);

    const again = await upload('same-run-renamed.fit', bytes);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details).toEqual({ sessionId: session.id });
  });

  it('imports a GPX file detected by content', async () => {
    const res = await upload('ride.xml', readFileSync(GPX));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().session.distanceM).toBeGreaterThan(0);
  });

  it('refuses corrupt files with 400 INVALID_FILE naming the problem, storing nothing', async () => {
    const sessionsBefore = await t.app.deps.db.prisma.trainingSession.count({
      where: { athleteId: athlete.id },
    });
    const objectsBefore = await t.app.deps.db.prisma.rawObject.count({ where: { userId: athlete.id } });
    const badXml = await upload('bad.gpx', Buffer.from('<gpx><trk>'));
    expect(badXml.statusCode).toBe(400);
    expect(badXml.json().error).toMatchObject({ code: 'INVALID_FILE', details: { field: 'file' } });
    expect(badXml.json().error.message).toContain('bad.gpx');
    const garbage = await upload('notes.fit', Buffer.from('hello, not an activity'));
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().error.details.reason).toBe('UNKNOWN_FORMAT');
    const empty = await upload('empty.gpx', Buffer.alloc(0));
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.details.reason).toBe('EMPTY');
    expect(await t.app.deps.db.prisma.trainingSession.count({ where: { athleteId: athlete.id } })).toBe(
      sessionsBefore,
    );
    expect(await t.app.deps.db.prisma.rawObject.count({ where: { userId: athlete.id } })).toBe(objectsBefore);
  });

  it('names the missing field, refuses non-multipart bodies, oversize files and anonymous callers', async () => {
    const wrongField = await upload('run.gpx', readFileSync(GPX), 'attachment');
    expect(wrongField.statusCode).toBe(400);
    expect(wrongField.json().error.message).toContain('file');
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      payload: { file: 'x' },
      headers: athlete.auth,
    });
    expect(json.statusCode).toBe(415);
    const big = await upload('big.gpx', Buffer.alloc(2_100_000, 32));
    expect(big.statusCode).toBe(413);
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      ...multipart('a.gpx', Buffer.from('<gpx/>')),
    });
    expect(anonymous.statusCode).toBe(401);
  });
});
