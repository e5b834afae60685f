import { publishAccessChanged } from '@athlete/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers.ts';
import {
  createLiveWorld,
  createUser,
  framesSamples,
  type LiveWorld,
  listen,
  TestSocket,
} from './live-fixtures.ts';

describe('live fan-out across two API processes (services mode)', () => {
  let one: TestApp;
  let two: TestApp;
  let w: LiveWorld;
  let base1: string;
  let base2: string;

  beforeAll(async () => {
    one = await buildTestApp();
    // A second process on the same database and Redis prefix.
    two = await buildTestApp({
      overrides: { DATABASE_URL: one.config.DATABASE_URL, REDIS_PREFIX: one.config.REDIS_PREFIX },
    });
    w = await createLiveWorld(one.app.deps);
    [base1, base2] = await Promise.all([listen(one.app), listen(two.app)]);
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
  });

  const ingest = (app: TestApp, token: string, samples: unknown[]) =>
    app.app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: { authorization: `Bearer ${token}` },
      payload: { samples },
    });

  it('delivers a sample ingested on one process to a subscriber on the other, batched per tick', async () => {
    const viewer = await TestSocket.open(`${base2}/ws/live?teamId=${w.teamId}`, w.coach.token);
    const snapshot = await viewer.waitFor((m) => m.type === 'snapshot');
    expect((snapshot.athletes as Array<{ athleteId: string }>).map((a) => a.athleteId).sort()).toEqual(
      [w.a1.id, w.a2.id].sort(),
    );
    // The subscription on process two reaches Redis asynchronously: keep sending until it does.
    const start = Date.now();
    let n = 0;
    while (!framesSamples(viewer.messages).some((s) => s.athleteId === w.a1.id)) {
      if (Date.now() - start > 5_000) throw new Error('no sample crossed processes');
      const batch = [
        { athleteId: w.a1.id, ts: start - 10_000 + n * 1000, hr: 140 + n },
        { athleteId: w.a2.id, ts: start - 10_000 + n * 1000, hr: 100 + n },
      ];
      n++;
      expect((await ingest(one, w.gatewayKey, batch)).statusCode).toBe(202);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 300));
    const frames = viewer.messages.filter((m) => m.type === 'samples');
    const received = framesSamples(viewer.messages);
    // Both athletes' samples of one tick come in one frame, with zone and session attached.
    expect(
      frames.some(
        (f) => new Set((f.samples as Array<{ athleteId: string }>).map((s) => s.athleteId)).size === 2,
      ),
    ).toBe(true);
    const a1 = received.filter((s) => s.athleteId === w.a1.id);
    expect(a1[0]).toMatchObject({
      hr: expect.any(Number),
      zone: expect.any(Number),
      sessionId: expect.any(String),
    });
    // No doubles: each ts once per athlete.
    expect(new Set(a1.map((s) => s.ts)).size).toBe(a1.length);
    viewer.close();
  });

  it("pushes one coach's alert acknowledgement to another coach watching on the other process", async () => {
    // A second coach of the team, and an athlete of its own so other tests' samples stay theirs.
    const [coach2, a3] = await Promise.all([
      createUser(one.app.deps, 'coach'),
      createUser(one.app.deps, 'athlete'),
    ]);
    await one.app.deps.db.prisma.teamMember.createMany({
      data: [
        { teamId: w.teamId, userId: coach2.id, role: 'coach' },
        { teamId: w.teamId, userId: a3.id, role: 'athlete', consentLive: true },
      ],
    });
    const alert = await one.app.deps.db.prisma.alert.create({
      data: {
        athleteId: a3.id,
        rule: 'hr_high',
        severity: 'warning',
        message: 'HR above 160 bpm',
        value: 171,
        threshold: 160,
        startedAt: new Date(Date.now() - 5_000),
      },
    });
    const teamViewer = await TestSocket.open(`${base2}/ws/live?teamId=${w.teamId}`, coach2.token);
    await teamViewer.waitFor((m) => m.type === 'snapshot');
    const athleteViewer = await TestSocket.open(`${base2}/ws/live?athleteId=${a3.id}`, coach2.token);
    await athleteViewer.waitFor((m) => m.type === 'snapshot');
    // Process two's pub/sub subscription is asynchronous: wait until a sample has crossed.
    const start = Date.now();
    for (let n = 0; !framesSamples(teamViewer.messages).some((x) => x.athleteId === a3.id); n++) {
      if (Date.now() - start > 5_000) throw new Error('no sample crossed processes');
      await ingest(one, a3.token, [{ ts: Date.now() + n, hr: 120 }]);
      await new Promise((r) => setTimeout(r, 100));
    }

    const ack = await one.app.inject({
      method: 'POST',
      url: `/api/v1/alerts/${alert.id}/ack`,
      headers: { authorization: `Bearer ${w.coach.token}` },
    });
    expect(ack.statusCode).toBe(200);
    const acknowledgedAt = ack.json().alert.acknowledgedAt as string;
    const isAck = (m: Record<string, unknown>) =>
      m.type === 'alert' &&
      (m.alert as { id: string; acknowledgedAt?: string | null }).id === alert.id &&
      (m.alert as { acknowledgedAt?: string | null }).acknowledgedAt != null;
    for (const viewer of [teamViewer, athleteViewer]) {
      const pushed = await viewer.waitFor(isAck, 2_000);
      // With who acknowledged it, so the other coach knows it is taken care of.
      expect(pushed.alert).toMatchObject({
        id: alert.id,
        athleteId: a3.id,
        acknowledgedAt,
        acknowledgedBy: { id: w.coach.id, name: expect.any(String) },
      });
    }
    teamViewer.close();
    athleteViewer.close();
  });

  it('sends a snapshot with the latest sample and session to a new athlete subscriber', async () => {
    const ts = Date.now() - 1_000;
    await ingest(one, w.a2.token, [{ ts, hr: 133, speed: 4 }]);
    const viewer = await TestSocket.open(`${base2}/ws/live?athleteId=${w.a2.id}`, w.a2.token);
    const snapshot = await viewer.waitFor((m) => m.type === 'snapshot');
    const [state] = snapshot.athletes as Array<Record<string, unknown>>;
    expect(state).toMatchObject({
      athleteId: w.a2.id,
      sessionId: expect.any(String),
      latest: { ts, hr: 133 },
    });
    viewer.close();
  });

  it('refuses subscriptions the caller may not see', async () => {
    expect(await TestSocket.refused(`${base1}/ws/live?athleteId=${w.a1.id}`)).toBe(401);
    expect(await TestSocket.refused(`${base1}/ws/live?athleteId=${w.a1.id}`, w.otherCoach.token)).toBe(403);
    expect(await TestSocket.refused(`${base1}/ws/live?athleteId=${w.a1.id}`, w.outsider.token)).toBe(403);
    expect(await TestSocket.refused(`${base1}/ws/live?teamId=${w.teamId}`, w.otherCoach.token)).toBe(403);
    expect(await TestSocket.refused(`${base1}/ws/live?teamId=${w.teamId}`, w.gatewayKey)).toBe(403);
    expect(
      await TestSocket.refused(`${base1}/ws/live?athleteId=${w.a1.id}&teamId=${w.teamId}`, w.coach.token),
    ).toBe(400);
  });

  it('closes a coach subscription with 4403 within a second of consent being revoked (other process)', async () => {
    const viewer = await TestSocket.open(`${base2}/ws/live?athleteId=${w.a1.id}`, w.coach.token);
    await viewer.waitFor((m) => m.type === 'snapshot');
    const teamViewer = await TestSocket.open(`${base2}/ws/live?teamId=${w.teamId}`, w.coach.token);
    await teamViewer.waitFor((m) => m.type === 'snapshot');
    await one.app.deps.db.prisma.teamMember.update({
      where: { teamId_userId: { teamId: w.teamId, userId: w.a1.id } },
      data: { consentLive: false },
    });
    const at = Date.now();
    const shown = teamViewer.messages.length;
    await publishAccessChanged(one.app.deps, { athleteId: w.a1.id, teamId: w.teamId });
    expect(await viewer.waitClosed(2_000)).toBe(4403);
    expect(Date.now() - at).toBeLessThan(1_000);
    // The team view is told at once who it shows now, so the page drops a1's tile.
    const narrowed = await teamViewer.waitFor(
      (m) => m.type === 'snapshot' && teamViewer.messages.indexOf(m) >= shown,
      1_000,
    );
    const narrowedIds = (narrowed.athletes as Array<{ athleteId: string }>).map((a) => a.athleteId);
    expect(narrowedIds).toContain(w.a2.id);
    expect(narrowedIds).not.toContain(w.a1.id);

    // The team view stays open but no longer carries a1.
    const before = teamViewer.messages.length;
    const ts = Date.now();
    for (let i = 0; i < 5; i++) {
      await ingest(one, w.a1.token, [{ ts: ts + i, hr: 150 }]);
      await ingest(one, w.a2.token, [{ ts: ts + i, hr: 110 }]);
      await new Promise((r) => setTimeout(r, 100));
    }
    await teamViewer.waitFor((m) => m.type === 'samples' && teamViewer.messages.indexOf(m) >= before);
    const later = framesSamples(teamViewer.messages.slice(before));
    expect(later.some((s) => s.athleteId === w.a2.id)).toBe(true);
    expect(later.some((s) => s.athleteId === w.a1.id)).toBe(false);
    expect(teamViewer.closeCode).toBeNull();

    // Sharing again brings a1 back in the next snapshot; a notice that changes nothing sends none.
    await one.app.deps.db.prisma.teamMember.update({
      where: { teamId_userId: { teamId: w.teamId, userId: w.a1.id } },
      data: { consentLive: true },
    });
    const beforeRegrant = teamViewer.messages.length;
    await publishAccessChanged(one.app.deps, { athleteId: w.a1.id, teamId: w.teamId });
    const widened = await teamViewer.waitFor(
      (m) => m.type === 'snapshot' && teamViewer.messages.indexOf(m) >= beforeRegrant,
      1_000,
    );
    expect((widened.athletes as Array<{ athleteId: string }>).map((a) => a.athleteId).sort()).toEqual(
      [...narrowedIds, w.a1.id].sort(),
    );
    const afterRegrant = teamViewer.messages.length;
    await publishAccessChanged(one.app.deps, { athleteId: w.a1.id, teamId: w.teamId });
    await new Promise((r) => setTimeout(r, 500));
    expect(teamViewer.messages.slice(afterRegrant).some((m) => m.type === 'snapshot')).toBe(false);
    teamViewer.close();
  });

  it('closes the sockets of a revoked sign-in session', async () => {
    const viewer = await TestSocket.open(`${base1}/ws/live?athleteId=${w.a2.id}`, w.a2.token);
    await viewer.waitFor((m) => m.type === 'snapshot');
    await one.app.deps.db.prisma.authSession.update({
      where: { id: w.a2.sessionId },
      data: { revokedAt: new Date() },
    });
    await publishAccessChanged(one.app.deps, { userId: w.a2.id });
    expect(await viewer.waitClosed(2_000)).toBe(4403);
  });
});
