import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers.ts';
import { createLiveWorld, createUser, type LiveWorld, listen, TestSocket } from './live-fixtures.ts';

type AlertOut = {
  id: string;
  acknowledgedAt?: string | null;
  acknowledgedBy?: { id: string; name: string } | null;
};

/**
 * Who acknowledged an alert, as its athlete sees it: their own coaches by name, nobody else
 * (a platform admin, a coach who has left the team): `acknowledgedBy: null`, time kept.
 * Coaches and admins always see the acknowledger.
 */
describe('acknowledger shown to the athlete (services mode)', () => {
  let t: TestApp;
  let w: LiveWorld;
  let base: string;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const get = async (token: string, url: string) => {
    const res = await t.app.inject({ method: 'GET', url, headers: auth(token) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const ack = async (token: string, alertId: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/alerts/${alertId}/ack`,
      headers: auth(token),
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().alert as AlertOut;
  };
  const newAlert = async (athleteId: string) =>
    t.app.deps.db.prisma.alert.create({
      data: {
        athleteId,
        rule: 'hr_high',
        severity: 'warning',
        message: 'HR above 160 bpm',
        value: 171,
        threshold: 160,
        startedAt: new Date(Date.now() - 5_000),
      },
    });

  beforeAll(async () => {
    t = await buildTestApp();
    w = await createLiveWorld(t.app.deps);
    base = await listen(t.app);
  });
  afterAll(async () => t?.close());

  it('REST lists and the live snapshot name only the athlete’s coaches to the athlete', async () => {
    const byAdmin = await newAlert(w.a1.id);
    const byCoach = await newAlert(w.a1.id);
    const adminAck = await ack(w.admin.token, byAdmin.id);
    expect(adminAck.acknowledgedBy).toMatchObject({ id: w.admin.id });
    await ack(w.coach.token, byCoach.id);

    const find = (alerts: AlertOut[], id: string) => alerts.find((a) => a.id === id)!;
    // A coach reads first, so the per-athlete cache holds the names: the athlete's read must
    // still leave the admin out.
    const coachView = (await get(w.coach.token, `/api/v1/athletes/${w.a1.id}/alerts`)).alerts as AlertOut[];
    expect(find(coachView, byAdmin.id).acknowledgedBy).toEqual({ id: w.admin.id, name: expect.any(String) });
    expect(find(coachView, byCoach.id).acknowledgedBy).toEqual({ id: w.coach.id, name: expect.any(String) });

    const athleteReads = {
      athleteList: (await get(w.a1.token, `/api/v1/athletes/${w.a1.id}/alerts`)).alerts as AlertOut[],
      teamList: (await get(w.a1.token, `/api/v1/teams/${w.teamId}/alerts`)).alerts as AlertOut[],
      snapshot: (await get(w.a1.token, `/api/v1/athletes/${w.a1.id}/live`)).athlete.alerts as AlertOut[],
    };
    for (const [where, alerts] of Object.entries(athleteReads)) {
      expect(find(alerts, byAdmin.id), where).toMatchObject({
        acknowledgedAt: adminAck.acknowledgedAt,
        acknowledgedBy: null,
      });
      expect(find(alerts, byCoach.id).acknowledgedBy, where).toEqual({
        id: w.coach.id,
        name: expect.any(String),
      });
      expect(JSON.stringify(alerts), where).not.toContain(w.admin.id);
    }
    // The admin's own view (and the team's coach view) keep the admin's name.
    const adminTeamView = (await get(w.admin.token, `/api/v1/teams/${w.teamId}/alerts`)).alerts as AlertOut[];
    expect(find(adminTeamView, byAdmin.id).acknowledgedBy).toMatchObject({ id: w.admin.id });
  });

  it('a coach who has left the athlete’s teams is no longer named to the athlete', async () => {
    const coach2 = await createUser(t.app.deps, 'coach');
    await t.app.deps.db.prisma.teamMember.create({
      data: { teamId: w.teamId, userId: coach2.id, role: 'coach' },
    });
    const alert = await newAlert(w.a2.id);
    await ack(coach2.token, alert.id);
    const athleteSees = async () =>
      ((await get(w.a2.token, `/api/v1/athletes/${w.a2.id}/alerts`)).alerts as AlertOut[]).find(
        (a) => a.id === alert.id,
      )!;
    expect((await athleteSees()).acknowledgedBy).toMatchObject({ id: coach2.id });
    await t.app.deps.db.prisma.teamMember.delete({
      where: { teamId_userId: { teamId: w.teamId, userId: coach2.id } },
    });
    expect(await athleteSees()).toMatchObject({ acknowledgedAt: expect.any(String), acknowledgedBy: null });
  });

  it('live pushes: the athlete’s socket leaves the admin out, keeps order; a coach’s socket names everyone', async () => {
    const athleteSocket = await TestSocket.open(`${base}/ws/live?athleteId=${w.a1.id}`, w.a1.token);
    const coachSocket = await TestSocket.open(`${base}/ws/live?athleteId=${w.a1.id}`, w.coach.token);
    await athleteSocket.waitFor((m) => m.type === 'snapshot');
    await coachSocket.waitFor((m) => m.type === 'snapshot');
    // The snapshot over the socket hides the admin too (alerts of the first test are still open).
    const snapshot = athleteSocket.messages.find((m) => m.type === 'snapshot')!;
    expect(JSON.stringify(snapshot)).not.toContain(w.admin.id);

    const byAdmin = await newAlert(w.a1.id);
    const byCoach = await newAlert(w.a1.id);
    const ackEvent = (id: string) => (m: Record<string, unknown>) =>
      m.type === 'alert' && (m.alert as AlertOut).id === id && (m.alert as AlertOut).acknowledgedAt != null;

    await ack(w.admin.token, byAdmin.id);
    // Sent right behind the admin's acknowledgement, while the athlete's copy is being checked.
    const sample = { ts: Date.now(), hr: 121 };
    const ingest = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: auth(w.a1.token),
      payload: { samples: [sample] },
    });
    expect(ingest.statusCode).toBe(202);
    await ack(w.coach.token, byCoach.id);

    const athleteAdminAck = await athleteSocket.waitFor(ackEvent(byAdmin.id));
    expect(athleteAdminAck.alert).toMatchObject({
      id: byAdmin.id,
      acknowledgedAt: expect.any(String),
      acknowledgedBy: null,
    });
    const athleteCoachAck = await athleteSocket.waitFor(ackEvent(byCoach.id));
    expect((athleteCoachAck.alert as AlertOut).acknowledgedBy).toEqual({
      id: w.coach.id,
      name: expect.any(String),
    });
    expect((await coachSocket.waitFor(ackEvent(byAdmin.id))).alert).toMatchObject({
      acknowledgedBy: { id: w.admin.id },
    });
    await coachSocket.waitFor(ackEvent(byCoach.id));

    // Frames keep their order on the athlete's socket: the session event and sample that
    // followed the admin's acknowledgement come after it, and both acknowledgements in turn.
    await athleteSocket.waitFor(
      (m) => m.type === 'samples' && (m.samples as Array<{ ts: number }>).some((s) => s.ts === sample.ts),
    );
    const order = athleteSocket.messages.map((m) =>
      ackEvent(byAdmin.id)(m)
        ? 'admin-ack'
        : ackEvent(byCoach.id)(m)
          ? 'coach-ack'
          : m.type === 'samples' && (m.samples as Array<{ ts: number }>).some((s) => s.ts === sample.ts)
            ? 'sample'
            : null,
    );
    const seen = order.filter((x) => x !== null);
    expect(seen.indexOf('admin-ack')).toBeLessThan(seen.indexOf('sample'));
    expect(seen.indexOf('admin-ack')).toBeLessThan(seen.indexOf('coach-ack'));
    expect(JSON.stringify(athleteSocket.messages)).not.toContain(w.admin.id);
    athleteSocket.close();
    coachSocket.close();
  });
});
