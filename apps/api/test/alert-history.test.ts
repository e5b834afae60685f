import { alertsResponseSchema } from '@athlete/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers.ts';
import { createLiveWorld, type LiveWorld } from './live-fixtures.ts';

const THRESHOLDS = {
  hrAbovePctMax: null,
  hrAboveBpm: 160,
  hrAboveSeconds: 3,
  hrBelowBpm: 45,
  hrBelowSeconds: 3,
  dropoutSeconds: 600,
  jumpBpm: 200,
  clearSeconds: 2,
};

describe('alert history (filters, paging, acknowledged rows stay)', () => {
  let t: TestApp;
  let w: LiveWorld;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const get = async (token: string, url: string) => {
    const res = await t.app.inject({ url, headers: auth(token) });
    return { status: res.statusCode, body: res.json() };
  };
  const ids = (body: unknown) => alertsResponseSchema.parse(body).alerts.map((a) => a.id);
  let teamUrl: string;
  let fired: string;
  /** Every alert of the team, newest first, as the list must order them. */
  let all: string[];
  let sessionId: string;
  const base = Date.parse('2026-11-20T10:00:00Z');

  beforeAll(async () => {
    t = await buildTestApp({
      overrides: { THRESHOLDS: JSON.stringify(THRESHOLDS), LIVE_FLUSH_INTERVAL_MS: 50 },
    });
    w = await createLiveWorld(t.app.deps);
    teamUrl = `/api/v1/teams/${w.teamId}/alerts`;

    // One alert raised the real way: a1 above 160 bpm for longer than 3 s, then back down.
    const t0 = Date.now() - 60_000;
    const hr = [120, 120, 170, 170, 170, 170, 170, 120, 120, 120, 120, 120];
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: auth(w.a1.token),
      payload: { samples: hr.map((h, i) => ({ ts: t0 + i * 1000, hr: h })) },
    });
    expect(res.json().accepted).toBe(hr.length);
    await t.app.live.settled();
    const raised = await t.app.deps.db.prisma.alert.findFirstOrThrow({ where: { athleteId: w.a1.id } });
    expect(raised).toMatchObject({ rule: 'hr_high', value: 170, threshold: 160 });
    expect(raised.clearedAt).not.toBeNull();
    fired = raised.id;
    sessionId = raised.sessionId!;

    // Older history, written directly: a2's open low-HR alerts two at the same instant (the
    // id must break the tie across pages), a1's dropouts on another day, one acknowledged.
    const mk = (athleteId: string, rule: string, at: number, extra: object = {}) => ({
      athleteId,
      rule,
      severity: 'warning' as const,
      message: `${rule} test`,
      value: 40,
      threshold: 45,
      startedAt: new Date(at),
      ...extra,
    });
    await t.app.deps.db.prisma.alert.createMany({
      data: [
        mk(w.a2.id, 'hr_low', base),
        mk(w.a2.id, 'hr_low', base),
        mk(w.a2.id, 'hr_low', base - 60_000, { clearedAt: new Date(base - 30_000) }),
        mk(w.a1.id, 'dropout', base - 86_400_000, {
          clearedAt: new Date(base - 86_000_000),
          acknowledgedAt: new Date(base - 86_100_000),
          acknowledgedById: w.coach.id,
        }),
        mk(w.a1.id, 'dropout', base - 2 * 86_400_000),
        // Someone outside the team: never in this team's list.
        mk(w.outsider.id, 'hr_high', base),
      ],
    });
    const rows = await t.app.deps.db.prisma.alert.findMany({
      where: { athleteId: { in: [w.a1.id, w.a2.id] } },
      orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
    });
    all = rows.map((r) => r.id);
    expect(all[0]).toBe(fired);
  });
  afterAll(async () => t?.close());

  it('pages the team list without skipping or repeating, newest first', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await get(w.coach.token, `${teamUrl}?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      const page = alertsResponseSchema.parse(r.body);
      expect(page.alerts.length).toBeLessThanOrEqual(2);
      seen.push(...page.alerts.map((a) => a.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(all);
    expect(pages).toBe(3);
    // Without ?limit the whole history comes in one page, as before paging.
    const whole = await get(w.coach.token, teamUrl);
    expect(ids(whole.body)).toEqual(all);
    expect(whole.body.nextCursor).toBeNull();
  });

  it('filters by athlete, rule, session, state and date range', async () => {
    const q = async (query: string) => {
      const r = await get(w.coach.token, `${teamUrl}?${query}`);
      expect(r.status, query).toBe(200);
      return r.body.alerts as Array<Record<string, unknown>>;
    };
    expect((await q(`athleteId=${w.a2.id}`)).every((a) => a.athleteId === w.a2.id)).toBe(true);
    expect(await q(`athleteId=${w.a2.id}`)).toHaveLength(3);
    // An athlete outside the team gives nothing, not their alerts.
    expect(await q(`athleteId=${w.outsider.id}`)).toEqual([]);
    expect((await q('rule=dropout')).map((a) => a.rule)).toEqual(['dropout', 'dropout']);
    expect((await q(`sessionId=${sessionId}`)).map((a) => a.id)).toEqual([fired]);
    expect((await q('state=active')).every((a) => a.clearedAt === null)).toBe(true);
    expect(await q('state=active')).toHaveLength(3);
    expect(await q('active=true')).toHaveLength(3);
    expect(await q('state=cleared')).toHaveLength(3);
    const acked = await q('state=acknowledged');
    expect(acked).toHaveLength(1);
    expect(acked[0]).toMatchObject({ rule: 'dropout', acknowledgedBy: { id: w.coach.id } });
    expect(await q('state=unacknowledged')).toHaveLength(all.length - 1);
    // A bare `to` date includes that whole day; `from` starts its day.
    const day = await q('from=2026-11-20&to=2026-11-20');
    expect(day).toHaveLength(3);
    expect(day.every((a) => a.athleteId === w.a2.id)).toBe(true);
    expect(await q('from=2026-11-18&to=2026-11-19&rule=dropout')).toHaveLength(2);
    expect(await q('to=2026-11-18')).toHaveLength(1);
    // The athlete's own list takes the same filters.
    const own = await get(w.a1.token, `/api/v1/athletes/${w.a1.id}/alerts?rule=dropout&state=unacknowledged`);
    expect(own.status).toBe(200);
    expect(own.body.alerts).toHaveLength(1);
  });

  it('refuses bad filters with a 400 naming the field', async () => {
    const cases: Array<[string, string]> = [
      ['state=open', 'querystring.state'],
      ['rule=hr_very_high', 'querystring.rule'],
      ['athleteId=nope', 'querystring.athleteId'],
      ['sessionId=123', 'querystring.sessionId'],
      ['from=yesterday', 'querystring.from'],
      ['from=2026-11-21&to=2026-11-20', 'querystring.from'],
      ['limit=0', 'querystring.limit'],
      ['cursor=not-a-cursor', 'querystring.cursor'],
    ];
    for (const [query, field] of cases) {
      const r = await get(w.coach.token, `${teamUrl}?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.body.error, query).toMatchObject({ code: 'VALIDATION_ERROR' });
      expect(r.body.error.message, query).toContain(field);
    }
  });

  it('keeps an acknowledged alert listed, with who and when', async () => {
    const ack = await t.app.inject({
      method: 'POST',
      url: `/api/v1/alerts/${fired}/ack`,
      headers: auth(w.coach.token),
    });
    expect(ack.statusCode).toBe(200);
    const coach = await t.app.deps.db.prisma.user.findUniqueOrThrow({ where: { id: w.coach.id } });
    for (const url of [teamUrl, `/api/v1/athletes/${w.a1.id}/alerts`]) {
      const r = await get(w.coach.token, url);
      const row = (r.body.alerts as Array<Record<string, unknown>>).find((a) => a.id === fired);
      expect(row, url).toMatchObject({
        value: 170,
        threshold: 160,
        clearedAt: expect.any(String),
        acknowledgedAt: expect.any(String),
        acknowledgedBy: { id: w.coach.id, name: coach.name },
      });
    }
    expect(ids((await get(w.coach.token, `${teamUrl}?state=acknowledged`)).body)).toContain(fired);
    expect(ids((await get(w.coach.token, `${teamUrl}?state=unacknowledged`)).body)).not.toContain(fired);
  });
});
