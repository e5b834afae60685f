import {
  sessionRpeResponseSchema,
  teamSessionEndResponseSchema,
  teamSessionListResponseSchema,
  teamSessionResponseSchema,
  teamSessionReviewResponseSchema,
} from '@athlete/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoTeamSession } from '../src/demo-team-session.ts';
import { bearer, createTeamWith, createUser, type TestUser } from './authz/world.ts';
import { buildTestApp, type TestApp } from './helpers.ts';

const LIVE_ONLY = { live: true, sessions: false, wellness: false };
const SESSIONS_ONLY = { live: false, sessions: true, wellness: false };
const BOTH = { live: true, sessions: true, wellness: false };

// Ada's HR: a climb 120 → 149, one spike to 200 (+51 bpm in 1 s, an hr_jump), then 148 and down.
// The spike and the sample after it (−52) are the two the jump rule flags: max HR is 149.
const ADA_HR = Array.from({ length: 60 }, (_, i) => (i < 30 ? 120 + i : i === 30 ? 200 : 148 - (i - 31)));

describe('team sessions: start, grouping, end, review (services mode)', () => {
  let t: TestApp;
  let coach: TestUser;
  let otherCoach: TestUser;
  let ada: TestUser;
  let ben: TestUser;
  let pia: TestUser;
  let lea: TestUser;
  let teamId: string;
  let teamSessionId: string;
  const t0 = Date.now() - 70_000;

  const ingest = async (user: TestUser, samples: unknown[]) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: bearer(user.token),
      payload: { samples },
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().accepted).toBe(samples.length);
  };
  const openSessionOf = (athleteId: string) =>
    t.app.deps.db.prisma.trainingSession.findFirst({ where: { athleteId }, orderBy: { startedAt: 'desc' } });

  beforeAll(async () => {
    t = await buildTestApp();
    [coach, otherCoach, ada, ben, pia, lea] = await Promise.all([
      createUser(t.app, 'coach', 'Coach Carla'),
      createUser(t.app, 'coach', 'Coach Otto'),
      createUser(t.app, 'athlete', 'Ada'),
      createUser(t.app, 'athlete', 'Ben'),
      createUser(t.app, 'athlete', 'Pia'),
      createUser(t.app, 'athlete', 'Lea'),
    ]);
    teamId = await createTeamWith(
      t.app,
      coach,
      [
        { user: ada, consent: BOTH },
        { user: ben, consent: BOTH },
        // Pia shares live data but not sessions: grouped, but the review shows only her name.
        { user: pia, consent: LIVE_ONLY },
        // Lea shares no live data: her live session is not the team's.
        { user: lea, consent: SESSIONS_ONLY },
      ],
      'Harriers',
    );
    await createTeamWith(t.app, otherCoach, [], 'Other club');
  });
  afterAll(async () => t?.close());

  it('starts one team session per team and groups a live session already running', async () => {
    await ingest(
      ada,
      ADA_HR.slice(0, 5).map((hr, i) => ({ ts: t0 + i * 1000, hr, distance: i * 3 })),
    );
    const adaSession = await openSessionOf(ada.id);
    expect(adaSession?.teamSessionId).toBeNull();

    const start = (
      user: TestUser,
      team = teamId,
      payload: Record<string, unknown> = { title: 'Tuesday intervals' },
    ) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/teams/${team}/team-sessions`,
        headers: bearer(user.token),
        payload,
      });
    expect((await start(ada)).statusCode).toBe(403);
    expect((await start(otherCoach)).statusCode).toBe(403);
    expect((await start(coach, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    const blank = await start(coach, teamId, { title: '  ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('title');

    const res = await start(coach);
    expect(res.statusCode, res.body).toBe(201);
    const { teamSession } = teamSessionResponseSchema.parse(res.json());
    teamSessionId = teamSession.id;
    expect(teamSession).toMatchObject({
      teamId,
      title: 'Tuesday intervals',
      endedAt: null,
      startedBy: { id: coach.id, name: 'Coach Carla' },
      athleteCount: 1,
    });
    expect((await openSessionOf(ada.id))?.teamSessionId).toBe(teamSessionId);

    const again = await start(coach);
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/already running/),
    });
  });

  it('groups live sessions that open inside it, only for athletes sharing live data', async () => {
    await ingest(
      ada,
      ADA_HR.slice(5).map((hr, i) => ({ ts: t0 + (i + 5) * 1000, hr, distance: (i + 5) * 3 })),
    );
    for (const user of [ben, pia, lea]) {
      await ingest(
        user,
        Array.from({ length: 60 }, (_, i) => ({ ts: t0 + i * 1000, hr: 100, distance: i * 2 })),
      );
    }
    await t.app.live.settled();
    expect((await openSessionOf(ben.id))?.teamSessionId).toBe(teamSessionId);
    expect((await openSessionOf(pia.id))?.teamSessionId).toBe(teamSessionId);
    expect((await openSessionOf(lea.id))?.teamSessionId).toBeNull();

    const list = await t.app.inject({
      url: `/api/v1/teams/${teamId}/team-sessions`,
      headers: bearer(coach.token),
    });
    expect(list.statusCode).toBe(200);
    const parsed = teamSessionListResponseSchema.parse(list.json());
    expect(parsed.open).toMatchObject({ id: teamSessionId, athleteCount: 3 });
  });

  it('ending closes the grouped live sessions (not others); ending twice is a conflict', async () => {
    const end = (user: TestUser, id = teamSessionId) =>
      t.app.inject({ method: 'POST', url: `/api/v1/team-sessions/${id}/end`, headers: bearer(user.token) });
    expect((await end(ada)).statusCode).toBe(403);
    expect((await end(otherCoach)).statusCode).toBe(404);
    expect((await end(coach, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);

    const res = await end(coach);
    expect(res.statusCode, res.body).toBe(200);
    const body = teamSessionEndResponseSchema.parse(res.json());
    expect(body.closedSessions).toBe(3);
    expect(body.teamSession.endedAt).not.toBeNull();
    for (const user of [ada, ben, pia]) expect((await openSessionOf(user.id))?.status).toBe('closed');
    expect((await openSessionOf(lea.id))?.status).toBe('open');
    expect((await end(coach)).statusCode).toBe(409);

    // Streaming on after the end opens a live session of the athlete's own.
    await ingest(ben, [{ ts: Date.now(), hr: 101 }]);
    const later = await openSessionOf(ben.id);
    expect(later).toMatchObject({ status: 'open', teamSessionId: null });
  });

  it('reviews each athlete against the team average, max HR without the implausible jump', async () => {
    const adaSession = await t.app.deps.db.prisma.trainingSession.findFirstOrThrow({
      where: { athleteId: ada.id, teamSessionId },
    });
    const benSession = await t.app.deps.db.prisma.trainingSession.findFirstOrThrow({
      where: { athleteId: ben.id, teamSessionId },
    });
    // The session summary itself keeps the raw maximum; the review leaves the spike out.
    expect(adaSession.maxHr).toBe(200);
    const rated = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/sessions/${adaSession.id}/rpe`,
      headers: bearer(ada.token),
      payload: { rpe: 6 },
    });
    expect(rated.statusCode, rated.body).toBe(200);
    const { rpe } = sessionRpeResponseSchema.parse(rated.json());

    const res = await t.app.inject({
      url: `/api/v1/team-sessions/${teamSessionId}`,
      headers: bearer(coach.token),
    });
    expect(res.statusCode, res.body).toBe(200);
    const review = teamSessionReviewResponseSchema.parse(res.json());
    expect(review.teamName).toBe('Harriers');
    expect(review.athletes.map((a) => a.name)).toEqual(['Ada', 'Ben', 'Pia']);
    const [a, b, p] = review.athletes as [
      (typeof review.athletes)[0],
      (typeof review.athletes)[0],
      (typeof review.athletes)[0],
    ];

    expect(a.visible).toBe(true);
    expect(a.figures).toMatchObject({
      durationS: 59,
      distanceM: 177,
      maxHr: 149,
      trimp: adaSession.trimp,
      srpeLoad: rpe!.load,
      alertCount: expect.any(Number),
    });
    expect(a.figures!.avgHr).toBeCloseTo(adaSession.avgHr!, 6);
    expect(a.figures!.timeInZonesS).toEqual(adaSession.timeInZonesS);
    expect(a.jumpSamplesExcluded).toBe(2);
    expect(a.rpe).toBe(6);
    expect(a.alerts.map((x) => x.rule)).toContain('hr_jump');
    expect(a.figures!.alertCount).toBe(a.alerts.length);
    // The chart leaves the spike out too; times are seconds since the team session started.
    expect(Math.max(...a.hr.map((pt) => pt.hr))).toBe(149);
    expect(a.hr.length).toBe(58);

    expect(b.figures).toMatchObject({
      durationS: 59,
      distanceM: 118,
      avgHr: 100,
      maxHr: 100,
      srpeLoad: null,
    });
    expect(b.figures!.trimp).toBeCloseTo(benSession.trimp!, 6);

    // Pia does not share sessions data: her name, nothing else.
    expect(p).toMatchObject({ visible: false, figures: null, alerts: [], hr: [], rpe: null });

    expect(review.teamAverage.distanceM).toBeCloseTo((177 + 118) / 2, 6);
    expect(review.teamAverage.maxHr).toBeCloseTo((149 + 100) / 2, 6);
    expect(review.teamAverage.avgHr).toBeCloseTo((adaSession.avgHr! + 100) / 2, 6);
    expect(review.teamAverage.trimp).toBeCloseTo((adaSession.trimp! + benSession.trimp!) / 2, 6);
    expect(review.teamAverage.srpeLoad).toBeCloseTo(rpe!.load, 6);
    expect(review.teamSession.athleteCount).toBe(3);

    const list = teamSessionListResponseSchema.parse(
      (
        await t.app.inject({ url: `/api/v1/teams/${teamId}/team-sessions`, headers: bearer(coach.token) })
      ).json(),
    );
    expect(list.open).toBeNull();
    expect(list.teamSessions.map((s) => s.id)).toEqual([teamSessionId]);
  });

  it('hides an athlete whose consent was revoked, and refuses athletes and outsiders', async () => {
    await t.app.deps.db.prisma.teamMember.update({
      where: { teamId_userId: { teamId, userId: ben.id } },
      data: { consentSessions: false },
    });
    const review = teamSessionReviewResponseSchema.parse(
      (
        await t.app.inject({ url: `/api/v1/team-sessions/${teamSessionId}`, headers: bearer(coach.token) })
      ).json(),
    );
    const benRow = review.athletes.find((x) => x.athleteId === ben.id)!;
    expect(benRow).toMatchObject({ name: 'Ben', visible: false, figures: null });
    // The average is now Ada's alone.
    expect(review.teamAverage.distanceM).toBe(177);

    const as = (user: TestUser) =>
      t.app.inject({ url: `/api/v1/team-sessions/${teamSessionId}`, headers: bearer(user.token) });
    expect((await as(ada)).statusCode).toBe(403);
    expect((await as(otherCoach)).statusCode).toBe(404);
    const listAsAthlete = await t.app.inject({
      url: `/api/v1/teams/${teamId}/team-sessions`,
      headers: bearer(ada.token),
    });
    expect(listAsAthlete.statusCode).toBe(403);
  });
});

describe("the demo's finished team session", () => {
  let t: TestApp;
  afterAll(async () => t?.close());

  it('is made once, with every athlete grouped, alerts, RPE and one spike left out of max HR', async () => {
    t = await buildTestApp();
    const coach = await createUser(t.app, 'coach', 'Demo Coach');
    const athletes = await Promise.all(
      ['One', 'Two', 'Three'].map((n) => createUser(t.app, 'athlete', `Demo ${n}`)),
    );
    const teamId = await createTeamWith(
      t.app,
      coach,
      athletes.map((user) => ({ user, consent: BOTH })),
      'Demo Team',
    );
    const world = { teamId, coachId: coach.id, athleteIds: athletes.map((a) => a.id) };
    expect(await ensureDemoTeamSession(t.app.deps, world)).toBe(1);
    expect(await ensureDemoTeamSession(t.app.deps, world)).toBe(0);

    const list = teamSessionListResponseSchema.parse(
      (
        await t.app.inject({ url: `/api/v1/teams/${teamId}/team-sessions`, headers: bearer(coach.token) })
      ).json(),
    );
    expect(list.open).toBeNull();
    expect(list.teamSessions).toHaveLength(1);
    const res = await t.app.inject({
      url: `/api/v1/team-sessions/${list.teamSessions[0]!.id}`,
      headers: bearer(coach.token),
    });
    expect(res.statusCode, res.body).toBe(200);
    const review = teamSessionReviewResponseSchema.parse(res.json());
    expect(review.athletes.map((a) => a.name)).toEqual(['Demo One', 'Demo Three', 'Demo Two']);
    const [one, three, two] = review.athletes as [
      (typeof review.athletes)[0],
      (typeof review.athletes)[0],
      (typeof review.athletes)[0],
    ];
    for (const a of review.athletes) {
      expect(a.figures).toMatchObject({
        durationS: 2400,
        distanceM: expect.any(Number),
        trimp: expect.any(Number),
      });
      expect(a.hr.length).toBeGreaterThan(100);
    }
    expect(one.alerts.map((x) => x.rule)).toEqual(['hr_high']);
    expect(one.rpe).toBe(8);
    expect(two.rpe).toBeNull();
    // The spike and the sample after it are the jumps; the stored session keeps the raw max.
    expect(three.alerts.map((x) => x.rule)).toEqual(['hr_jump']);
    expect(three.jumpSamplesExcluded).toBe(2);
    const stored = await t.app.deps.db.prisma.trainingSession.findUniqueOrThrow({
      where: { id: three.sessionIds[0]! },
    });
    expect(stored.maxHr! - three.figures!.maxHr!).toBeGreaterThan(30);
    expect(review.teamAverage.alertCount).toBeCloseTo(2 / 3, 6);
  });
});
