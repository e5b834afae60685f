import {
  DEFAULT_SAMPLE_WINDOW,
  importResponseSchema,
  SAMPLE_BOUNDS,
  sampleValueFits,
} from '@athlete/contracts';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL, bearer, createTeamWith, createUser, type TestUser } from '../authz/world.ts';
import { buildTestApp, multipartFile, type TestApp } from '../helpers.ts';

/**
 * #12's fuzz suite: property-based inputs (fast-check) over every ingest field, a generated GPX
 * and TCX file's every value, and every query parameter and path id of every GET route the app
 * registers. Whatever comes in, the answer is never a 5xx, and nothing outside the sample bounds
 * (or the plausible time window) is ever stored. A failing case prints its shrunk input and seed.
 */

/** Numbers a column or Date cannot hold, or that sit on an edge: the classes the outside fuzzer hit. */
const nastyNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(
    1e-320,
    -1e-320,
    5e-324,
    1.4e-45,
    1e-39,
    -0,
    1e300,
    -1e300,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 2,
    9e15,
    2 ** 31,
    -(2 ** 31) - 1,
    254,
    255,
    -1,
    40_000,
  ),
);
const nastyValue = fc.oneof(
  { weight: 6, arbitrary: nastyNumber },
  fc.string(),
  fc.constantFrom('\u0000', '1e-320', 'NaN', 'Infinity', '', ' '),
  fc.constant(null),
  fc.boolean(),
  fc.array(nastyNumber, { maxLength: 25 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }),
);
/** Timestamps: recent (mostly accepted), any epoch number, any ISO string, nonsense. */
const nastyTs = (now: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: now - 3_600_000, max: now + 60_000 }) },
    nastyNumber,
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    fc.constantFrom('0000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '1901-12-13T20:45:52Z', 'yesterday'),
  );

const FIELDS = Object.keys(SAMPLE_BOUNDS) as Array<keyof typeof SAMPLE_BOUNDS>;

/** SQL: any stored sample of these athletes outside a bound or the time window. */
const outOfBounds = `
  SELECT athlete_id, ts, hr, speed, cadence, power, distance, lat, lon, alt, rr FROM samples
  WHERE athlete_id = ANY($1::uuid[]) AND (
    hr NOT BETWEEN ${SAMPLE_BOUNDS.hr.min} AND ${SAMPLE_BOUNDS.hr.max}
    OR speed NOT BETWEEN ${SAMPLE_BOUNDS.speed.min} AND ${SAMPLE_BOUNDS.speed.max}
    OR cadence NOT BETWEEN ${SAMPLE_BOUNDS.cadence.min} AND ${SAMPLE_BOUNDS.cadence.max}
    OR power NOT BETWEEN ${SAMPLE_BOUNDS.power.min} AND ${SAMPLE_BOUNDS.power.max}
    OR distance NOT BETWEEN ${SAMPLE_BOUNDS.distance.min} AND ${SAMPLE_BOUNDS.distance.max}
    OR lat NOT BETWEEN ${SAMPLE_BOUNDS.lat.min} AND ${SAMPLE_BOUNDS.lat.max}
    OR lon NOT BETWEEN ${SAMPLE_BOUNDS.lon.min} AND ${SAMPLE_BOUNDS.lon.max}
    OR alt NOT BETWEEN ${SAMPLE_BOUNDS.alt.min} AND ${SAMPLE_BOUNDS.alt.max}
    OR EXISTS (SELECT 1 FROM unnest(rr) AS r WHERE r NOT BETWEEN ${SAMPLE_BOUNDS.rr.min} AND ${SAMPLE_BOUNDS.rr.max})
    OR ts < '1990-01-01' OR ts > now() + interval '1 day'
  ) LIMIT 5`;

describe('fuzz: no input gives a 5xx or stores a value outside the bounds (#12)', () => {
  let t: TestApp;
  let athlete: TestUser;
  let coach: TestUser;
  let admin: TestUser;
  let teamId: string;
  beforeAll(async () => {
    // Budgets out of the way: a 429 would pass the property without exercising the route.
    t = await buildTestApp({ overrides: { IMPORTS_PER_HOUR: 10_000, EXPORTS_PER_HOUR: 10_000 } });
    [athlete, coach, admin] = await Promise.all([
      createUser(t.app, 'athlete'),
      createUser(t.app, 'coach'),
      createUser(t.app, 'admin'),
    ]);
    teamId = await createTeamWith(t.app, coach, [{ user: athlete, consent: ALL }]);
  });
  afterAll(async () => t?.close());

  const noneOutOfBounds = async () => {
    const bad = await t.app.deps.db.query(outOfBounds, [[athlete.id]]);
    expect(bad, JSON.stringify(bad)).toEqual([]);
  };

  it('POST /api/v1/ingest: any value in any sample field', async () => {
    const now = Date.now();
    // Mostly in-bounds values, so whole samples get through and are stored next to the refused.
    const field = (f: keyof typeof SAMPLE_BOUNDS) => {
      const { min, max } = SAMPLE_BOUNDS[f];
      const fits = fc.oneof(
        fc.integer({ min: Math.ceil(min), max: Math.floor(max) }),
        fc.double({ min, max, noNaN: true }).filter((v) => sampleValueFits(f, v)),
      );
      return fc.oneof(
        { weight: 8, arbitrary: f === 'rr' ? fc.array(fits, { maxLength: 4 }) : fits },
        { weight: 1, arbitrary: nastyValue },
      );
    };
    const sample = fc.record(
      {
        ts: nastyTs(now),
        seq: fc.oneof(fc.nat(), nastyValue),
        athleteId: fc.oneof({ weight: 3, arbitrary: fc.constant(athlete.id) }, fc.uuid(), fc.string()),
        ...Object.fromEntries(FIELDS.map((f) => [f, field(f)])),
      },
      { requiredKeys: ['ts'] },
    );
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof({ weight: 19, arbitrary: sample }, nastyValue), { maxLength: 12 }),
        async (samples) => {
          const res = await t.app.inject({
            method: 'POST',
            url: '/api/v1/ingest',
            headers: bearer(athlete.token),
            payload: { samples },
          });
          expect(res.statusCode, res.body).toBeLessThan(500);
          if (res.statusCode === 202) accepted += res.json().accepted as number;
        },
      ),
      { numRuns: 200 },
    );
    // The property is only worth something if good samples got through as well.
    expect(accepted).toBeGreaterThan(10);
    await noneOutOfBounds();
    const past = await t.app.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM samples WHERE athlete_id = $1 AND ts < $2`,
      [athlete.id, new Date(now - DEFAULT_SAMPLE_WINDOW.maxPastMs - 60_000)],
    );
    expect(past[0]!.n).toBe(0);
  }, 120_000);

  it('POST /api/v1/imports: a GPX or TCX file with any value in any point', async () => {
    const point = fc.record({
      time: fc.oneof(
        {
          weight: 3,
          arbitrary: fc
            .integer({ min: 0, max: 3_600 })
            .map((s) => new Date(Date.UTC(2026, 5, 1, 7) + s * 1000).toISOString()),
        },
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.constantFrom('1901-12-13T20:45:52Z', '2026-06-01 07:00:00', 'soon', '+275760-09-13T00:00:00Z'),
      ),
      lat: nastyNumber,
      lon: nastyNumber,
      ele: nastyNumber,
      hr: fc.oneof(fc.integer({ min: 60, max: 190 }), nastyNumber, fc.constant('x')),
      power: fc.oneof(fc.integer({ min: 0, max: 400 }), nastyNumber),
    });
    const fmt = (v: unknown) => String(v).replace(/[<&]/g, '');
    const gpx = (points: Array<Record<string, unknown>>) =>
      `<?xml version="1.0"?><gpx version="1.1" creator="fuzz" xmlns="http://www.topografix.com/GPX/1/1" xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"><trk><type>running</type><trkseg>${points
        .map(
          (p) =>
            `<trkpt lat="${fmt(p.lat)}" lon="${fmt(p.lon)}"><ele>${fmt(p.ele)}</ele><time>${fmt(p.time)}</time><extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>${fmt(p.hr)}</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions></trkpt>`,
        )
        .join('')}</trkseg></trk></gpx>`;
    const tcx = (points: Array<Record<string, unknown>>) =>
      `<?xml version="1.0"?><TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2"><Activities><Activity Sport="Biking"><Id>${fmt(points[0]?.time)}</Id><Lap StartTime="${fmt(points[0]?.time)}"><TotalTimeSeconds>${points.length}</TotalTimeSeconds><Track>${points
        .map(
          (p) =>
            `<Trackpoint><Time>${fmt(p.time)}</Time><Position><LatitudeDegrees>${fmt(p.lat)}</LatitudeDegrees><LongitudeDegrees>${fmt(p.lon)}</LongitudeDegrees></Position><AltitudeMeters>${fmt(p.ele)}</AltitudeMeters><HeartRateBpm><Value>${fmt(p.hr)}</Value></HeartRateBpm><Extensions><ns3:TPX><ns3:Watts>${fmt(p.power)}</ns3:Watts></ns3:TPX></Extensions></Trackpoint>`,
        )
        .join('')}</Track></Lap></Activity></Activities></TrainingCenterDatabase>`;
    const statuses = new Map<number, number>();
    const imported = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('gpx', 'tcx'),
        fc.array(point, { minLength: 1, maxLength: 40 }),
        async (kind, points) => {
          const text = kind === 'gpx' ? gpx(points) : tcx(points);
          const body = multipartFile(`fuzz.${kind}`, Buffer.from(text));
          const res = await t.app.inject({
            method: 'POST',
            url: '/api/v1/imports',
            payload: body.payload,
            headers: { ...body.headers, ...bearer(athlete.token) },
          });
          expect(res.statusCode, `${res.body}\n${text.slice(0, 600)}`).toBeLessThan(500);
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          if (res.statusCode === 201)
            for (const x of importResponseSchema.parse(res.json()).sessions) imported.add(x.id);
        },
      ),
      { numRuns: 25 },
    );
    expect(statuses.get(201) ?? 0, JSON.stringify([...statuses])).toBeGreaterThan(2);
    await noneOutOfBounds();
    const stored = await t.app.deps.db.query<{ id: string; backwards: boolean }>(
      `SELECT id, ended_at < started_at AS backwards FROM training_sessions WHERE athlete_id = $1 AND source = 'file'`,
      [athlete.id],
    );
    expect(stored.filter((x) => x.backwards)).toEqual([]);
    // Each import is one transaction: the refused ones left no session behind.
    expect(new Set(stored.map((x) => x.id))).toEqual(imported);
  }, 240_000);

  it('every GET route: any value in any query parameter or path id', async () => {
    const routes = t.app.routeRegistry.filter(
      (r) => r.method === 'GET' && !r.websocket && r.url.startsWith('/api/'),
    );
    expect(routes.length).toBeGreaterThan(30);
    const withQuery = routes.filter((r) => r.query.length > 0);
    expect(withQuery.length).toBeGreaterThan(10);
    const queryValue = fc.oneof(
      fc.string(),
      nastyNumber.map(String),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constantFrom('%00', '\u0000', '0000-01-01', '9e15', '-1', '1e400', 'true', '[]', 'a,b', ''),
      fc.uuid(),
    );
    const pathValue = fc.oneof(
      fc.uuid(),
      fc.constantFrom('x', '0', '%00', '9e15', 'ffffffff-ffff-ffff-ffff-ffffffffffff'),
    );
    for (const route of routes) {
      const actor = route.url.startsWith('/api/v1/admin')
        ? admin
        : route.url.includes(':teamId')
          ? coach
          : athlete;
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(fc.constantFrom(...(route.query.length ? route.query : ['x'])), queryValue, {
            maxKeys: 4,
          }),
          pathValue,
          fc.boolean(),
          async (query, otherId, ownIds) => {
            const path = route.url
              .replace(':athleteId', ownIds ? athlete.id : encodeURIComponent(otherId))
              .replace(':teamId', ownIds ? teamId : encodeURIComponent(otherId))
              .replace(/:[A-Za-z]+/g, encodeURIComponent(otherId));
            const res = await t.app.inject({ method: 'GET', url: path, query, headers: bearer(actor.token) });
            expect(
              res.statusCode,
              `${path} ${JSON.stringify(query)}: ${res.body.slice(0, 300)}`,
            ).toBeLessThan(500);
          },
        ),
        { numRuns: 25 },
      );
    }
  }, 240_000);
});
