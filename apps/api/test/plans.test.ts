import {
  athletePlansResponseSchema,
  calendarFeedResponseSchema,
  planResponseSchema,
  teamPlansResponseSchema,
  teamReadinessResponseSchema,
  trainingLoadResponseSchema,
} from '@athlete/contracts';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL, bearer, createTeamWith, createUser, NONE, type TestUser } from './authz/world.ts';
import { buildTestApp, type TestApp } from './helpers.ts';

const DAY = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
const today = day(0);

describe('planned sessions, matching and the calendar feed (services mode)', () => {
  let t: TestApp;
  let coach: TestUser;
  let ada: TestUser;
  let ben: TestUser;
  let private_: TestUser;
  let stranger: TestUser;
  let teamId: string;

  beforeAll(async () => {
    t = await buildTestApp();
    [coach, ada, ben, private_, stranger] = await Promise.all([
      createUser(t.app, 'coach', 'Coach Carla'),
      createUser(t.app, 'athlete', 'Ada'),
      createUser(t.app, 'athlete', 'Ben'),
      createUser(t.app, 'athlete', 'Pia'),
      createUser(t.app, 'athlete', 'Stranger'),
    ]);
    teamId = await createTeamWith(
      t.app,
      coach,
      [
        { user: ada, consent: ALL },
        { user: ben, consent: ALL },
        { user: private_, consent: NONE },
      ],
      'Harriers',
    );
  });
  afterAll(async () => t?.close());

  const plan = (token: string, body: Record<string, unknown>, team = teamId) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/teams/${team}/plans`,
      headers: bearer(token),
      payload: body,
    });
  const athletePlans = async (athlete: TestUser, token: string, from = today, to = today) => {
    const res = await t.app.inject({
      url: `/api/v1/athletes/${athlete.id}/plans?from=${from}&to=${to}`,
      headers: bearer(token),
    });
    expect(res.statusCode, res.body).toBe(200);
    return athletePlansResponseSchema.parse(res.json());
  };
  const session = (
    athleteId: string,
    data: {
      source: 'live' | 'simulator' | 'garmin' | 'whoop' | 'file' | 'manual';
      sport: string | null;
      minutes: number;
      trimp?: number;
      at?: number;
    },
  ) => {
    const startedAt = new Date(data.at ?? Date.parse(`${today}T06:00:00Z`));
    return t.app.deps.db.prisma.trainingSession.create({
      data: {
        athleteId,
        source: data.source,
        externalId: data.source === 'live' ? null : `${data.source}-${Math.random()}`,
        sport: data.sport,
        status: 'closed',
        startedAt,
        endedAt: new Date(startedAt.getTime() + data.minutes * 60_000),
        durationS: data.minutes * 60,
        trimp: data.trimp ?? null,
        timeInZonesS: [],
      },
    });
  };

  it('a coach plans for one athlete and the whole team; a done session shows compliance', async () => {
    const run = await plan(coach.token, {
      athleteId: ada.id,
      date: today,
      sport: 'running',
      durationMin: 60,
      targetLoad: 80,
      description: '  Tempo 3 × 10 min  ',
    });
    expect(run.statusCode, run.body).toBe(201);
    const created = planResponseSchema.parse(run.json()).plan;
    expect(created).toMatchObject({
      athleteId: ada.id,
      athleteName: 'Ada',
      teamName: 'Harriers',
      description: 'Tempo 3 × 10 min',
      createdBy: { id: coach.id, name: 'Coach Carla' },
    });
    const team = await plan(coach.token, { date: today, sport: 'strength', durationMin: 30, targetZone: 2 });
    expect(team.statusCode, team.body).toBe(201);

    // Ada runs 45 min at 60 TRIMP (an import) and lifts 30 min, recorded live with no sport.
    const done = await session(ada.id, { source: 'file', sport: 'running', minutes: 45, trimp: 60 });
    const lift = await session(ada.id, {
      source: 'live',
      sport: null,
      minutes: 30,
      at: Date.parse(`${today}T17:00:00Z`),
    });

    const mine = await athletePlans(ada, ada.token);
    expect(mine.plans.map((p) => [p.sport, p.athleteId, p.status])).toEqual([
      ['running', ada.id, 'done'],
      ['strength', null, 'done'],
    ]);
    expect(mine.plans[0]!.done).toMatchObject({
      sessionId: done.id,
      source: 'file',
      durationMin: 45,
      load: 60,
      compliance: 0.75,
      complianceBasis: 'load',
    });
    // Zone-only plan: minutes against minutes.
    expect(mine.plans[1]!.done).toMatchObject({
      sessionId: lift.id,
      compliance: 1,
      complianceBasis: 'duration',
    });
    expect(mine.unplanned).toEqual([]);

    // The coach's view of the same athlete, and the team list with each athlete's side.
    expect((await athletePlans(ada, coach.token)).plans.map((p) => p.status)).toEqual(['done', 'done']);
    const teamRes = await t.app.inject({
      url: `/api/v1/teams/${teamId}/plans?from=${today}&to=${today}`,
      headers: bearer(coach.token),
    });
    const teamPlans = teamPlansResponseSchema.parse(teamRes.json());
    const whole = teamPlans.plans.find((p) => p.athleteId === null)!;
    const sides = whole.athletes.map((a) => [a.name, a.shared, a.status]);
    expect(sides.sort()).toEqual([
      ['Ada', true, 'done'],
      ['Ben', true, 'planned'],
      // Pia shares no sessions: hidden, not "missed".
      ['Pia', false, null],
    ]);
    expect(teamPlans.plans.find((p) => p.athleteId === ada.id)!.athletes.map((a) => a.name)).toEqual(['Ada']);

    // Ben, an athlete member, sees only what is his in the team list.
    const benTeam = teamPlansResponseSchema.parse(
      (
        await t.app.inject({
          url: `/api/v1/teams/${teamId}/plans?from=${today}&to=${today}`,
          headers: bearer(ben.token),
        })
      ).json(),
    );
    expect(benTeam.plans.map((p) => [p.sport, p.athletes.map((a) => a.name)])).toEqual([
      ['strength', ['Ben']],
    ]);
  });

  it('matches any source, counts a duplicate activity once, keeps other sports unplanned', async () => {
    const d = day(1);
    const at = Date.parse(`${d}T07:00:00Z`);
    const sources = ['garmin', 'file', 'simulator', 'manual'] as const;
    for (const [i, source] of sources.entries()) {
      const res = await plan(coach.token, { athleteId: ben.id, date: d, sport: 'cycling', durationMin: 40 });
      expect(res.statusCode).toBe(201);
      await session(ben.id, { source, sport: 'cycling', minutes: 40, at: at + i * 3 * 3_600_000 });
    }
    // The first ride again from WHOOP, overlapping it: one activity (counted once), not a fourth.
    const copy = await session(ben.id, { source: 'whoop', sport: 'cycling', minutes: 38, at: at + 60_000 });
    const swim = await session(ben.id, {
      source: 'file',
      sport: 'swimming',
      minutes: 20,
      at: at + 10 * 3_600_000,
    });
    const { plans, unplanned } = await athletePlans(ben, ben.token, d, d);
    expect(plans.map((p) => p.status)).toEqual(['done', 'done', 'done', 'done']);
    const claimed = plans.map((p) => p.done!.sessionId);
    expect(new Set(claimed).size).toBe(4);
    expect(plans.slice(1).map((p) => p.done!.source)).toEqual(['file', 'simulator', 'manual']);
    expect(unplanned.map((u) => u.sessionId)).toEqual([swim.id]);
    // Whichever copy counts (source precedence), the other is neither done nor unplanned.
    expect(
      claimed.filter((id) => id === copy.id).length + unplanned.filter((u) => u.sessionId === copy.id).length,
    ).toBeLessThanOrEqual(1);
  });

  it('calls a past plan with no session missed, and a default range is this month', async () => {
    const past = day(-2);
    await t.app.deps.db.prisma.plannedSession.create({
      data: {
        teamId,
        athleteId: ben.id,
        date: new Date(`${past}T00:00:00Z`),
        sport: 'rowing',
        durationMin: 30,
      },
    });
    const { plans } = await athletePlans(ben, ben.token, past, past);
    expect(plans.map((p) => [p.sport, p.status, p.done])).toEqual([['rowing', 'missed', null]]);
    const month = athletePlansResponseSchema.parse(
      (await t.app.inject({ url: `/api/v1/athletes/${ben.id}/plans`, headers: bearer(ben.token) })).json(),
    );
    expect([month.from, month.to.slice(0, 7)]).toEqual([`${today.slice(0, 7)}-01`, today.slice(0, 7)]);
  });

  it('refuses a plan in the past, for someone not in the team, from a non-coach: 4xx, nothing stored', async () => {
    const before = await t.app.deps.db.prisma.plannedSession.count();
    const past = await plan(coach.token, {
      athleteId: ada.id,
      date: day(-3),
      sport: 'running',
      durationMin: 30,
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().error).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'body.date', message: 'must not be in the past' }],
    });
    const outsider = await plan(coach.token, {
      athleteId: stranger.id,
      date: today,
      sport: 'running',
      durationMin: 30,
    });
    expect(outsider.statusCode).toBe(400);
    expect(outsider.json().error.message).toBe('body.athleteId: is not an athlete of this team');
    const byAthlete = await plan(ada.token, { date: today, sport: 'running', durationMin: 30 });
    expect(byAthlete.statusCode).toBe(403);
    expect(byAthlete.json().error.message).toBe('Only a coach of this team can do this');
    const badSport = await plan(coach.token, { date: today, sport: 'quidditch', durationMin: 30 });
    expect(badSport.statusCode).toBe(400);
    expect(badSport.json().error.message).toContain('body.sport');
    const badZone = await plan(coach.token, {
      date: today,
      sport: 'running',
      durationMin: 30,
      targetZone: 6,
    });
    expect(badZone.json().error.message).toBe('body.targetZone: must be a zone from 1 to 5');
    const zeroMin = await plan(coach.token, { date: today, sport: 'running', durationMin: 0 });
    expect(zeroMin.json().error.message).toBe('body.durationMin: must be at least 1 minute');
    const range = await t.app.inject({
      url: `/api/v1/athletes/${ada.id}/plans?from=${day(10)}&to=${day(0)}`,
      headers: bearer(ada.token),
    });
    expect(range.statusCode).toBe(400);
    expect(range.json().error.message).toContain('from must not be after to');
    expect(await t.app.deps.db.prisma.plannedSession.count()).toBe(before);
  });

  it('edits and deletes a plan with the same checks; athletes and outsiders cannot', async () => {
    const { plan: p } = planResponseSchema.parse(
      (
        await plan(coach.token, { athleteId: ada.id, date: day(2), sport: 'running', durationMin: 50 })
      ).json(),
    );
    const url = `/api/v1/plans/${p.id}`;
    const patch = (token: string, payload: Record<string, unknown>) =>
      t.app.inject({ method: 'PATCH', url, headers: bearer(token), payload });
    const edited = await patch(coach.token, { durationMin: 70, targetLoad: 90, athleteId: null });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(planResponseSchema.parse(edited.json()).plan).toMatchObject({
      durationMin: 70,
      targetLoad: 90,
      athleteId: null,
      sport: 'running',
    });
    expect((await patch(coach.token, { date: day(-5) })).statusCode).toBe(400);
    expect((await patch(coach.token, { athleteId: stranger.id })).statusCode).toBe(400);
    expect((await patch(ada.token, { durationMin: 10 })).statusCode).toBe(403);
    expect((await patch(stranger.token, { durationMin: 10 })).statusCode).toBe(404);
    const stored = await t.app.deps.db.prisma.plannedSession.findUniqueOrThrow({ where: { id: p.id } });
    expect([stored.durationMin, stored.athleteId]).toEqual([70, null]);
    expect((await t.app.inject({ method: 'DELETE', url, headers: bearer(ada.token) })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'DELETE', url, headers: bearer(coach.token) })).statusCode).toBe(
      204,
    );
    expect((await t.app.inject({ method: 'DELETE', url, headers: bearer(coach.token) })).statusCode).toBe(
      404,
    );
  });

  it('feeds planned load into the form projection and planned vs done into the team table', async () => {
    await plan(coach.token, {
      athleteId: ben.id,
      date: day(3),
      sport: 'running',
      durationMin: 60,
      targetLoad: 120,
    });
    const load = trainingLoadResponseSchema.parse(
      (await t.app.inject({ url: `/api/v1/athletes/${ben.id}/load`, headers: bearer(ben.token) })).json(),
    ).load;
    expect(load.projectionBasis).toBe('planned');
    expect(load.projection.find((p) => p.date === day(3))?.load).toBe(120);
    expect(load.projection.find((p) => p.date === day(4))?.load).toBe(0);

    const table = teamReadinessResponseSchema.parse(
      (await t.app.inject({ url: `/api/v1/teams/${teamId}/readiness`, headers: bearer(coach.token) })).json(),
    );
    const row = (name: string) => table.athletes.find((a) => a.name === name)!;
    expect(row('Ada').plans).toMatchObject({ done: 2 });
    expect(row('Ada').plans!.planned).toBeGreaterThanOrEqual(2);
    expect(row('Pia').plans).toBeNull();
  });

  it('hides plan results once the athlete revokes the sessions consent', async () => {
    const consent = (sessions: boolean) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/v1/teams/${teamId}/consent`,
        headers: bearer(ben.token),
        payload: { live: true, sessions, wellness: true },
      });
    expect((await consent(false)).statusCode).toBe(200);
    const refused = await t.app.inject({
      url: `/api/v1/athletes/${ben.id}/plans`,
      headers: bearer(coach.token),
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toBe("You are not allowed to see this athlete's sessions data");
    const teamPlans = teamPlansResponseSchema.parse(
      (
        await t.app.inject({
          url: `/api/v1/teams/${teamId}/plans?from=${today}&to=${day(3)}`,
          headers: bearer(coach.token),
        })
      ).json(),
    );
    const benSides = teamPlans.plans.flatMap((p) => p.athletes.filter((a) => a.athleteId === ben.id));
    expect(benSides.length).toBeGreaterThan(0);
    expect(benSides.every((a) => !a.shared && a.done === null && a.status === null)).toBe(true);
    const table = teamReadinessResponseSchema.parse(
      (await t.app.inject({ url: `/api/v1/teams/${teamId}/readiness`, headers: bearer(coach.token) })).json(),
    );
    expect(table.athletes.find((a) => a.athleteId === ben.id)!.plans).toBeNull();
    // Planning stays possible: a plan reveals nothing of the athlete's data.
    expect(
      (await plan(coach.token, { athleteId: ben.id, date: day(5), sport: 'rowing', durationMin: 20 }))
        .statusCode,
    ).toBe(201);
    expect((await consent(true)).statusCode).toBe(200);
  });

  it('serves plans as an iCalendar feed by secret URL; rotate and revoke make old URLs 404', async () => {
    const create = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/calendar-feed',
      headers: bearer(ada.token),
    });
    expect(create.statusCode, create.body).toBe(201);
    const { feed } = calendarFeedResponseSchema.parse(create.json());
    const path = new URL(feed.url!).pathname;
    expect(path).toMatch(/^\/api\/v1\/calendar\/apc_[\w-]{43}\.ics$/);
    const token = path
      .split('/')
      .at(-1)!
      .replace(/\.ics$/, '');
    const stored = await t.app.deps.db.prisma.calendarFeed.findUniqueOrThrow({
      where: { athleteId: ada.id },
    });
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.tokenHash).not.toContain(token);

    const ics = await t.app.inject({ url: path });
    expect(ics.statusCode).toBe(200);
    expect(ics.headers['content-type']).toContain('text/calendar');
    const cal = new ICAL.Component(ICAL.parse(ics.body));
    const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const tempo = events.find((e) => e.description?.includes('Tempo 3 × 10 min'))!;
    expect(tempo.summary).toBe('Running 60 min ✓');
    expect(tempo.startDate.isDate).toBe(true);
    expect(tempo.startDate.toString()).toBe(today);
    expect(tempo.description).toContain('target TRIMP 80');
    expect(events.some((e) => e.summary.startsWith('Strength 30 min'))).toBe(true);
    // Ben's plans are not in Ada's feed.
    expect(events.some((e) => e.summary.startsWith('Cycling'))).toBe(false);

    const status = calendarFeedResponseSchema.parse(
      (await t.app.inject({ url: '/api/v1/me/calendar-feed', headers: bearer(ada.token) })).json(),
    );
    expect(status.feed).toEqual({ active: true, createdAt: stored.createdAt.toISOString() });

    const rotated = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/calendar-feed',
      headers: bearer(ada.token),
    });
    const newPath = new URL(calendarFeedResponseSchema.parse(rotated.json()).feed.url!).pathname;
    expect((await t.app.inject({ url: path })).statusCode).toBe(404);
    expect((await t.app.inject({ url: newPath })).statusCode).toBe(200);
    const revoke = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/me/calendar-feed',
      headers: bearer(ada.token),
    });
    expect(revoke.json()).toEqual({ feed: { active: false, createdAt: null } });
    expect((await t.app.inject({ url: newPath })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/v1/calendar/not-a-token.ics' })).statusCode).toBe(404);
  });
});
