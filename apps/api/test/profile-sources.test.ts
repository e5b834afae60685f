import type { Profile } from '@athlete/contracts';
import { startSyncRun } from '@athlete/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectThroughConsent,
  registerAthlete,
  type SyncWorld,
  settle,
  startSyncWorld,
  type TestAthlete,
} from './sync-fixtures.ts';

const LOGIN = 'profile-sources';

/**
 * HR max and weight filled from WHOOP's body measurement follow WHOOP until the athlete sets
 * them; the athlete's own value is never overwritten, and clearing it hands it back to WHOOP.
 */
describe('profile values filled by a provider follow it until the athlete sets them', () => {
  let w: SyncWorld;
  let athlete: TestAthlete;
  let connectionId: string;

  beforeAll(async () => {
    w = await startSyncWorld({ sandbox: { days: 2 } });
    athlete = await registerAthlete(w.app);
  });
  afterAll(async () => w?.close());

  const profile = async () => {
    const res = await w.app.inject({ url: '/api/v1/me/profile', headers: athlete.auth });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { profile: Profile }).profile;
  };
  const save = async (payload: Record<string, unknown>) => {
    const res = await w.app.inject({
      method: 'PUT',
      url: '/api/v1/me/profile',
      headers: athlete.auth,
      payload,
    });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { profile: Profile }).profile;
  };
  /** WHOOP now reports other values; the connection's cached answer has expired. */
  const whoopReports = async (max_heart_rate: number, weight_kilogram: number) => {
    w.sandbox.sandbox.setWhoopBody(LOGIN, { max_heart_rate, weight_kilogram });
    await w.app.deps.platform.cache.delete(`provider:whoop:${connectionId}:body`);
  };
  const sync = async () => {
    await startSyncRun({ deps: w.app.deps, connectionId, kind: 'manual' });
    await settle(w);
  };

  it('fills, follows WHOOP, keeps the athlete’s value, and fills again once cleared', {
    timeout: 60_000,
  }, async () => {
    w.sandbox.sandbox.setWhoopBody(LOGIN, { max_heart_rate: 188, weight_kilogram: 72.5 });
    expect((await connectThroughConsent(w, athlete, 'whoop', LOGIN)).statusCode).toBe(302);
    await settle(w);
    connectionId = (
      await w.app.deps.db.prisma.providerConnection.findFirstOrThrow({ where: { userId: athlete.id } })
    ).id;
    expect(await profile()).toMatchObject({
      hrMax: 188,
      weightKg: 72.5,
      sources: { hrMax: 'whoop', weightKg: 'whoop', hrRest: null, birthYear: null, sex: null },
    });

    // WHOOP's values change: the ones it filled follow.
    await whoopReports(193, 71);
    await sync();
    expect(await profile()).toMatchObject({ hrMax: 193, weightKg: 71, effectiveHrMax: 193 });

    // The settings form sends every field: only the changed HR max becomes the athlete's; the
    // weight re-sent as it was stays WHOOP's.
    const saved = await save({
      birthYear: 1990,
      sex: null,
      weightKg: 71,
      hrMax: 185,
      hrRest: null,
      hrZones: null,
    });
    expect(saved.sources).toEqual({
      birthYear: 'user',
      sex: null,
      weightKg: 'whoop',
      hrMax: 'user',
      hrRest: null,
    });

    await whoopReports(197, 70);
    await sync();
    expect(await profile()).toMatchObject({
      hrMax: 185,
      weightKg: 70,
      sources: { hrMax: 'user', weightKg: 'whoop', birthYear: 'user' },
    });

    // Clearing HR max hands it back: the next sync fills it from WHOOP's (still cached) answer.
    const cleared = await save({ hrMax: null });
    expect(cleared).toMatchObject({ hrMax: null, hrMaxSource: 'estimated', sources: { hrMax: null } });
    await sync();
    expect(await profile()).toMatchObject({
      hrMax: 197,
      weightKg: 70,
      sources: { hrMax: 'whoop', weightKg: 'whoop', birthYear: 'user' },
    });

    // The athlete's weight, once set, stays through WHOOP's next change.
    await save({ weightKg: 68 });
    await whoopReports(199, 66);
    await sync();
    expect(await profile()).toMatchObject({
      hrMax: 199,
      weightKg: 68,
      sources: { hrMax: 'whoop', weightKg: 'user' },
    });
  });
});
