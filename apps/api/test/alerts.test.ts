import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers.ts';
import { createLiveWorld, type LiveWorld, listen, TestSocket } from './live-fixtures.ts';

const THRESHOLDS = {
  hrAbovePctMax: null,
  hrAboveBpm: 160,
  hrAboveSeconds: 3,
  hrBelowBpm: 45,
  hrBelowSeconds: 3,
  dropoutSeconds: 1,
  jumpBpm: 40,
  clearSeconds: 2,
};

describe('live alerts (services mode)', () => {
  let t: TestApp;
  let w: LiveWorld;
  let base: string;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const ingest = (token: string, samples: unknown[]) =>
    t.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: auth(token), payload: { samples } });
  const alertRows = (athleteId: string) =>
    t.app.deps.db.prisma.alert.findMany({
      where: { athleteId },
      orderBy: [{ startedAt: 'asc' }, { rule: 'asc' }],
    });

  beforeAll(async () => {
    t = await buildTestApp({
      overrides: { THRESHOLDS: JSON.stringify(THRESHOLDS), LIVE_FLUSH_INTERVAL_MS: 50 },
    });
    w = await createLiveWorld(t.app.deps);
    base = await listen(t.app);
  });
  afterAll(async () => t?.close());

  it('fires, stores, pushes and clears each rule; a coach acknowledges', async () => {
    const viewer = await TestSocket.open(`${base}/ws/live?teamId=${w.teamId}`, w.coach.token);
    await viewer.waitFor((m) => m.type === 'snapshot');
    const t0 = Date.now() - 60_000;
    const hr = [120, 120, 120, 170, 170, 170, 170, 170, 120, 120, 120, 120, 40, 40, 40, 40, 40, 60, 60, 60];
    const res = await ingest(
      w.a1.token,
      hr.map((h, i) => ({ ts: t0 + i * 1000, hr: h })),
    );
    expect(res.json().accepted).toBe(hr.length);
    await t.app.live.settled();

    const rows = await alertRows(w.a1.id);
    const byRule = (rule: string) => rows.filter((r) => r.rule === rule);
    const [high] = byRule('hr_high');
    expect(byRule('hr_high')).toHaveLength(1);
    expect(high).toMatchObject({ severity: 'warning', value: 170, threshold: 160 });
    expect(high!.startedAt.getTime()).toBe(t0 + 6_000);
    expect(high!.clearedAt?.getTime()).toBe(t0 + 10_000);
    const [low] = byRule('hr_low');
    expect(low).toMatchObject({ value: 40, threshold: 45 });
    expect(low!.startedAt.getTime()).toBe(t0 + 15_000);
    expect(low!.clearedAt?.getTime()).toBe(t0 + 19_000);
    expect(byRule('hr_jump').length).toBeGreaterThanOrEqual(3);
    expect(byRule('hr_jump').every((a) => a.clearedAt !== null)).toBe(true);
    const session = await t.app.deps.db.prisma.trainingSession.findFirstOrThrow({
      where: { athleteId: w.a1.id },
    });
    expect(rows.every((r) => r.sessionId === session.id)).toBe(true);

    // Pushed live, fired then cleared, with the stored id.
    const pushed = viewer.messages
      .filter((m) => m.type === 'alert')
      .map((m) => m.alert as Record<string, unknown>)
      .filter((a) => a.id === high!.id);
    expect(pushed.map((a) => a.clearedAt === null)).toEqual([true, false]);

    // Dropout: silence longer than dropoutSeconds fires, the next sample clears it.
    const dropout = await viewer.waitFor(
      (m) => m.type === 'alert' && (m.alert as { rule: string }).rule === 'dropout',
      5_000,
    );
    const dropoutId = (dropout.alert as { id: string }).id;
    const active = await t.app.inject({
      url: `/api/v1/teams/${w.teamId}/alerts?active=true`,
      headers: auth(w.coach.token),
    });
    expect(active.statusCode).toBe(200);
    expect(active.json().alerts.map((a: { id: string }) => a.id)).toContain(dropoutId);
    expect(active.json().alerts.every((a: { clearedAt: string | null }) => a.clearedAt === null)).toBe(true);

    await ingest(w.a1.token, [{ ts: Date.now(), hr: 120 }]);
    await t.app.live.settled();
    const cleared = await t.app.deps.db.prisma.alert.findUniqueOrThrow({ where: { id: dropoutId } });
    expect(cleared.clearedAt).not.toBeNull();

    // Acknowledge: the athlete cannot, a coach of another team cannot see it, the coach can.
    const ackUrl = `/api/v1/alerts/${high!.id}/ack`;
    expect((await t.app.inject({ method: 'POST', url: ackUrl, headers: auth(w.a1.token) })).statusCode).toBe(
      403,
    );
    expect(
      (await t.app.inject({ method: 'POST', url: ackUrl, headers: auth(w.otherCoach.token) })).statusCode,
    ).toBe(404);
    const ack = await t.app.inject({ method: 'POST', url: ackUrl, headers: auth(w.coach.token) });
    expect(ack.statusCode).toBe(200);
    const coachName = (await t.app.deps.db.prisma.user.findUniqueOrThrow({ where: { id: w.coach.id } })).name;
    expect(ack.json().alert).toMatchObject({
      id: high!.id,
      acknowledgedAt: expect.any(String),
      acknowledgedBy: { id: w.coach.id, name: coachName },
    });
    const stored = await t.app.deps.db.prisma.alert.findUniqueOrThrow({ where: { id: high!.id } });
    expect(stored.acknowledgedById).toBe(w.coach.id);
    const pushedAck = await viewer.waitFor(
      (m) =>
        m.type === 'alert' &&
        (m.alert as { id: string; acknowledgedAt?: string | null }).acknowledgedAt != null,
    );
    expect((pushedAck.alert as { id: string }).id).toBe(high!.id);

    const listed = await t.app.inject({
      url: `/api/v1/athletes/${w.a1.id}/alerts`,
      headers: auth(w.a1.token),
    });
    expect(listed.json().alerts.find((a: { id: string }) => a.id === high!.id)).toMatchObject({
      acknowledgedAt: stored.acknowledgedAt!.toISOString(),
      acknowledgedBy: { id: w.coach.id, name: coachName },
    });
    viewer.close();
  });

  it("applies the athlete's own threshold override over the global one", async () => {
    await t.app.deps.db.prisma.athleteProfile.update({
      where: { userId: w.a2.id },
      data: { thresholds: { hrAboveBpm: 200 } },
    });
    const t0 = Date.now() - 30_000;
    await ingest(
      w.a2.token,
      Array.from({ length: 8 }, (_, i) => ({ ts: t0 + i * 1000, hr: 175 })),
    );
    await t.app.live.settled();
    expect((await alertRows(w.a2.id)).filter((a) => a.rule === 'hr_high')).toEqual([]);
  });

  it('refuses alert lists to those who may not watch', async () => {
    expect(
      (await t.app.inject({ url: `/api/v1/athletes/${w.a1.id}/alerts`, headers: auth(w.otherCoach.token) }))
        .statusCode,
    ).toBe(403);
    expect(
      (await t.app.inject({ url: `/api/v1/teams/${w.teamId}/alerts`, headers: auth(w.otherCoach.token) }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await t.app.inject({
          url: `/api/v1/teams/${w.teamId}/alerts?active=maybe`,
          headers: auth(w.coach.token),
        })
      ).statusCode,
    ).toBe(400);
  });
});
