import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  athleteReadinessResponseSchema,
  publicConfigSchema,
  readinessSeriesResponseSchema,
  trainingLoadResponseSchema,
} from '@athlete/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers.ts';
import { registerAthlete, type TestAthlete } from './sync-fixtures.ts';

const FIT = join(import.meta.dirname, '../../../fixtures/fit/activity-small-fenix2-run.fit');
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function multipart(filename: string, bytes: Buffer) {
  const boundary = `----ap${Date.now().toString(16)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  return {
    payload: Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** A resting RR series (ms) around `meanRr` with beat-to-beat variation; every `artefactEvery`th beat doubled. */
function restingRr(beats: number, meanRr: number, artefactEvery = 0): number[] {
  return Array.from({ length: beats }, (_, i) => {
    if (artefactEvery && i % artefactEvery === 1) return meanRr * 2;
    return meanRr + (i % 2 ? 25 : -25) + ((i * 7) % 11) - 5;
  });
}

describe('training intelligence API', () => {
  let t: TestApp;
  let athlete: TestAthlete;
  beforeAll(async () => {
    t = await buildTestApp();
    athlete = await registerAthlete(t.app);
  });
  afterAll(async () => t?.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: athlete.auth });

  it('counts an imported file’s TRIMP, once when Garmin sends the same activity, again when Garmin’s is deleted', async () => {
    const body = multipart('run.fit', readFileSync(FIT));
    const imported = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      payload: body.payload,
      headers: { ...body.headers, ...athlete.auth },
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const session = imported.json().session as {
      id: string;
      startedAt: string;
      endedAt: string;
      trimp: number;
    };
    expect(session.trimp).toBeGreaterThan(0);
    const day = session.startedAt.slice(0, 10);
    const loadOf = async () => {
      const res = await get(
        `/api/v1/athletes/${athlete.id}/load?from=${day}&to=${iso(Date.parse(day) + 2 * DAY)}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      return trainingLoadResponseSchema.parse(res.json()).load;
    };
    let load = await loadOf();
    expect(load.unit).toBe('TRIMP');
    expect(load.days[0]!.load).toBeCloseTo(session.trimp, 6);
    expect(load.days[0]!.ctl).toBeCloseTo(session.trimp / 42, 6);
    expect(load.days[1]!.tsb).toBeCloseTo(session.trimp / 42 - session.trimp / 7, 6);
    expect(load.sessions).toEqual([
      expect.objectContaining({ id: session.id, counted: true, method: 'samples' }),
    ]);

    // The same run from Garmin (default precedence: Garmin before files) replaces the file's.
    const garmin = await t.app.deps.db.prisma.trainingSession.create({
      data: {
        athleteId: athlete.id,
        source: 'garmin',
        externalId: 'garmin-dup',
        status: 'closed',
        startedAt: new Date(session.startedAt),
        endedAt: new Date(session.endedAt),
        durationS: (Date.parse(session.endedAt) - Date.parse(session.startedAt)) / 1000,
        avgHr: 150,
        trimp: 42.5,
        timeInZonesS: [],
      },
    });
    load = await loadOf();
    expect(load.days[0]!.load).toBeCloseTo(42.5, 6);
    expect(load.sessions.find((s) => s.id === session.id)).toMatchObject({
      counted: false,
      duplicateOf: garmin.id,
    });
    expect(load.sessions.find((s) => s.id === garmin.id)).toMatchObject({ counted: true });

    await t.app.deps.db.prisma.trainingSession.delete({ where: { id: garmin.id } });
    load = await loadOf();
    expect(load.days[0]!.load).toBeCloseTo(session.trimp, 6);
  });

  it('gives a WHOOP workout without samples Banister TRIMP from its average HR, and none to a session without HR', async () => {
    const start = Date.parse('2026-06-10T07:00:00Z');
    await t.app.deps.db.prisma.trainingSession.createMany({
      data: [
        {
          athleteId: athlete.id,
          source: 'whoop',
          externalId: 'w1',
          status: 'closed',
          startedAt: new Date(start),
          endedAt: new Date(start + 3_600_000),
          durationS: 3600,
          avgHr: 140,
          timeInZonesS: [],
        },
        {
          athleteId: athlete.id,
          source: 'file',
          externalId: 'no-hr',
          status: 'closed',
          startedAt: new Date(start + 6 * 3_600_000),
          endedAt: new Date(start + 7 * 3_600_000),
          durationS: 3600,
          timeInZonesS: [],
        },
      ],
    });
    const res = await get(`/api/v1/athletes/${athlete.id}/load?from=2026-06-10&to=2026-06-10`);
    const load = trainingLoadResponseSchema.parse(res.json()).load;
    const whoop = load.sessions.find((s) => s.source === 'whoop')!;
    expect(whoop.method).toBe('avg-hr');
    expect(whoop.load).toBeGreaterThan(0);
    expect(load.sessions.find((s) => s.method === 'none')).toMatchObject({ load: null, counted: true });
    expect(load.days[0]!.load).toBeCloseTo(whoop.load!, 6);
  });

  it('edits the time constants, refusing values out of range with the field named', async () => {
    const url = `/api/v1/athletes/${athlete.id}/load/settings`;
    const bad = await t.app.inject({
      method: 'PUT',
      url,
      headers: athlete.auth,
      payload: { ctlDays: 3, atlDays: 7 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('ctlDays');
    const ok = await t.app.inject({
      method: 'PUT',
      url,
      headers: athlete.auth,
      payload: { ctlDays: 28, atlDays: null },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().settings).toEqual({
      ctlDays: 28,
      atlDays: 7,
      ctlDaysCustom: true,
      atlDaysCustom: false,
    });
    const res = await get(`/api/v1/athletes/${athlete.id}/load?from=2026-06-10&to=2026-06-10`);
    const load = trainingLoadResponseSchema.parse(res.json()).load;
    expect(load.settings.ctlDays).toBe(28);
    await t.app.inject({
      method: 'PUT',
      url,
      headers: athlete.auth,
      payload: { ctlDays: null, atlDays: null },
    });
  });

  it('stores a clean readiness check, and refuses one with too many artefacts but keeps it as rejected', async () => {
    const url = `/api/v1/athletes/${athlete.id}/readiness/checks`;
    const good = await t.app.inject({
      method: 'POST',
      url,
      headers: athlete.auth,
      payload: { rr: restingRr(240, 1000) },
    });
    expect(good.statusCode, good.body).toBe(201);
    expect(good.json().check).toMatchObject({ status: 'accepted', quality: 'good', artefacts: 0 });
    expect(good.json().check.restingHr).toBeCloseTo(60, 0);
    const bad = await t.app.inject({
      method: 'POST',
      url,
      headers: athlete.auth,
      payload: { rr: restingRr(240, 1000, 6) },
    });
    expect(bad.statusCode).toBe(422);
    const error = bad.json().error;
    expect(error.code).toBe('READINESS_REJECTED');
    expect(error.message).toMatch(/too many artefacts/);
    expect(error.details.check).toMatchObject({ status: 'rejected', quality: 'rejected' });
    const stored = await t.app.deps.db.prisma.readinessCheck.findUniqueOrThrow({
      where: { id: error.details.check.id },
    });
    expect(stored.status).toBe('rejected');
    const tooFew = await t.app.inject({
      method: 'POST',
      url,
      headers: athlete.auth,
      payload: { rr: [800, 810] },
    });
    expect(tooFew.statusCode).toBe(400);
    expect(tooFew.body).toContain('rr');
    // Outside the demo nobody can pass a simulated reading off as theirs.
    const simulated = await t.app.inject({
      method: 'POST',
      url,
      headers: athlete.auth,
      payload: { rr: restingRr(240, 1000), source: 'simulator' },
    });
    expect(simulated.statusCode).toBe(400);
    expect(simulated.json().error.message).toMatch(/only taken in the demo/);
    const config = await t.app.inject({ url: '/api/v1/config' });
    expect(publicConfigSchema.parse(config.json())).toEqual({ simulationMode: false });
  });

  it('builds baselines from nightly WHOOP values and flags the outlier day in the recommendation', async () => {
    const other = await registerAthlete(t.app);
    const today = iso(Date.now());
    const rows = Array.from({ length: 40 }, (_, i) => {
      const date = new Date(Date.parse(today) - (39 - i) * DAY);
      const last = i === 39;
      return {
        athleteId: other.id,
        date,
        source: 'merged' as const,
        hrvRmssdMs: last ? 40 : 70 + (i % 5),
        restingHr: last ? 62 : 48 + (i % 3),
        sleepDurationS: 27_000 + (i % 4) * 600,
        sources: { hrvRmssdMs: 'whoop', restingHr: 'whoop', sleepDurationS: 'whoop' },
      };
    });
    await t.app.deps.db.prisma.dailySummary.createMany({ data: rows });
    const series = await t.app.inject({
      method: 'GET',
      url: `/api/v1/athletes/${other.id}/readiness/series?from=${iso(Date.parse(today) - 20 * DAY)}&to=${today}`,
      headers: other.auth,
    });
    expect(series.statusCode, series.body).toBe(200);
    const days = readinessSeriesResponseSchema.parse(series.json()).days;
    expect(days).toHaveLength(21);
    expect(days[0]!.hrvBaseline?.days).toBe(20);
    const last = days.at(-1)!;
    expect(last.hrvSource).toBe('whoop');
    expect(last.lnRmssd).toBeCloseTo(Math.log(40), 10);
    expect(last.flags.map((f) => [f.metric, f.direction])).toEqual([
      ['lnRmssd', 'low'],
      ['restingHr', 'high'],
    ]);

    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/athletes/${other.id}/readiness`,
      headers: other.auth,
    });
    expect(res.statusCode, res.body).toBe(200);
    const readiness = athleteReadinessResponseSchema.parse(res.json()).readiness;
    expect(readiness.recommendation).toBe('rest');
    expect(readiness.reasons.find((r) => r.rule === 'flags')).toMatchObject({ effect: 'rest', value: 2 });
    expect(readiness.reasons.find((r) => r.rule === 'tsb_unknown')).toBeDefined();
    expect(readiness.today.flags).toHaveLength(2);
  });
});
