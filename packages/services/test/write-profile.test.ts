import type { Unsubscribe } from '@athlete/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, type Deps, subscribeProfileChanged, updateProfile, writeProfile } from '../src/index.ts';
import { openStoreDeps } from './store-deps.ts';

describe('writeProfile: one home for profile writes (Postgres)', () => {
  let deps: Deps;
  let close: (() => Promise<void>) | undefined;
  let unsubscribe: Unsubscribe;
  const announced: string[] = [];

  beforeAll(async () => {
    ({ deps, close } = await openStoreDeps({ s3: false }));
    unsubscribe = await subscribeProfileChanged(deps, (id) => announced.push(id));
  });
  afterAll(async () => {
    await unsubscribe?.();
    await close?.();
  });

  const newAthlete = async () =>
    (
      await deps.db.prisma.user.create({
        data: { email: `wp-${Math.random()}@example.test`, name: 'W', role: 'athlete', passwordHash: 'x' },
      })
    ).id;
  /** Lets the pub/sub deliver, then returns (and forgets) what was announced. */
  const takeAnnounced = async () => {
    await new Promise((r) => setTimeout(r, 50));
    return announced.splice(0);
  };
  /** Fills HR max and weight only where unset, as the WHOOP body measurement does. */
  const fillUnset = (userId: string, hrMax: number, weightKg: number) =>
    writeProfile({
      deps,
      userId,
      change: (p) => ({ ...(p.hrMax == null && { hrMax }), ...(p.weightKg == null && { weightKg }) }),
    });

  it('announces a live-relevant change once, and nothing when a re-sync writes the same values', async () => {
    const id = await newAthlete();
    const created = await fillUnset(id, 181, 70.5);
    expect(created).toMatchObject({ hrMax: 181, weightKg: 70.5 });
    expect(await takeAnnounced()).toEqual([id]);

    // The next sync finds both set: no write, no notice.
    expect(await fillUnset(id, 195, 80)).toMatchObject({ hrMax: 181, weightKg: 70.5 });
    expect(await takeAnnounced()).toEqual([]);

    // Re-saving the same thresholds through the profile API changes nothing live either.
    await updateProfile({ deps, userId: id, input: { thresholds: { hrAboveBpm: 170 } } });
    expect(await takeAnnounced()).toEqual([id]);
    await updateProfile({ deps, userId: id, input: { thresholds: { hrAboveBpm: 170 } } });
    expect(await takeAnnounced()).toEqual([]);
  });

  it('drops cached reads for any stored change, but announces only what live processing reads', async () => {
    const id = await newAthlete();
    await fillUnset(id, 181, 70.5);
    await takeAnnounced();
    await deps.platform.cache.set(`athlete:${id}:daily`, { stale: true }, 60_000);
    await updateProfile({ deps, userId: id, input: { weightKg: 69, sourcePrecedence: ['garmin', 'whoop'] } });
    expect(await deps.platform.cache.get(`athlete:${id}:daily`)).toBeUndefined();
    expect(await takeAnnounced()).toEqual([]);

    for (const input of [
      { hrRest: 48 },
      { hrZones: [120, 140, 155, 168, 181] },
      { sex: 'female' as const },
    ]) {
      await updateProfile({ deps, userId: id, input });
      expect(await takeAnnounced()).toEqual([id]);
    }
  });

  it('decides on the row as it is when the write lands (concurrent writers do not lose updates)', async () => {
    const id = await newAthlete();
    await writeProfile({ deps, userId: id, change: () => ({ hrMax: 150 }) });
    // Each writer reads HR max and writes it plus one: with the row locked, none is lost.
    await Promise.all(
      Array.from({ length: 8 }, () =>
        writeProfile({ deps, userId: id, change: (p) => ({ hrMax: (p.hrMax ?? 0) + 1 }) }),
      ),
    );
    const row = await deps.db.prisma.athleteProfile.findUniqueOrThrow({ where: { userId: id } });
    expect(row.hrMax).toBe(158);
    // Every one of them changed HR max, so every one announced it.
    expect(await takeAnnounced()).toEqual(Array(9).fill(id));
  });

  it('a refused change writes nothing and announces nothing (not even an empty row)', async () => {
    const id = await newAthlete();
    const refused = updateProfile({ deps, userId: id, input: { hrMax: 150, hrRest: 160 } });
    await expect(refused).rejects.toBeInstanceOf(AppError);
    await expect(refused).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(await deps.db.prisma.athleteProfile.findUnique({ where: { userId: id } })).toBeNull();
    expect(await takeAnnounced()).toEqual([]);
  });

  it('tells a new row from an existing one, so "create only" writers leave an edited profile alone', async () => {
    const id = await newAthlete();
    const createOnly = () =>
      writeProfile({
        deps,
        userId: id,
        change: (_, { created }) => (created ? { hrMax: 185, hrRest: 52 } : null),
      });
    expect(await createOnly()).toMatchObject({ hrMax: 185, hrRest: 52 });
    expect(await takeAnnounced()).toEqual([id]);
    await updateProfile({ deps, userId: id, input: { hrMax: 200 } });
    await takeAnnounced();
    expect(await createOnly()).toMatchObject({ hrMax: 200, hrRest: 52 });
    expect(await takeAnnounced()).toEqual([]);
  });

  describe('sources: who supplied each value', () => {
    const whoop = (userId: string, hrMax: number | null, weightKg: number) =>
      writeProfile({ deps, userId, source: 'whoop', change: () => ({ hrMax, weightKg }) });
    const stored = async (userId: string) =>
      (await deps.db.prisma.athleteProfile.findUniqueOrThrow({ where: { userId } })).sources;

    it('a provider follows its own values, never clears one, and leaves another provider’s', async () => {
      const id = await newAthlete();
      await takeAnnounced();
      await whoop(id, 181, 70);
      expect(await stored(id)).toEqual({ hrMax: 'whoop', weightKg: 'whoop' });
      expect(await takeAnnounced()).toEqual([id]);
      expect(await whoop(id, 184, 70)).toMatchObject({ hrMax: 184, weightKg: 70 });
      expect(await takeAnnounced()).toEqual([id]);
      // A provider reporting no value does not take the stored one away.
      expect(await whoop(id, null, 70)).toMatchObject({ hrMax: 184 });
      expect(await takeAnnounced()).toEqual([]);
      const garmin = await writeProfile({
        deps,
        userId: id,
        source: 'garmin',
        change: () => ({ hrMax: 190, weightKg: 75, hrRest: 50 }),
      });
      expect(garmin).toMatchObject({ hrMax: 184, weightKg: 70, hrRest: 50 });
      expect(await stored(id)).toEqual({ hrMax: 'whoop', weightKg: 'whoop', hrRest: 'garmin' });
    });

    it('the athlete’s change takes a field; an unchanged re-save does not; clearing gives it back', async () => {
      const id = await newAthlete();
      await whoop(id, 181, 70);
      await updateProfile({ deps, userId: id, input: { hrMax: 181, weightKg: 68 } });
      expect(await stored(id)).toEqual({ hrMax: 'whoop', weightKg: 'user' });
      expect(await whoop(id, 186, 72)).toMatchObject({ hrMax: 186, weightKg: 68 });
      const cleared = await updateProfile({ deps, userId: id, input: { weightKg: null } });
      expect(cleared.sources).toMatchObject({ hrMax: 'whoop', weightKg: null });
      expect(await stored(id)).toEqual({ hrMax: 'whoop' });
      expect(await whoop(id, 186, 72)).toMatchObject({ weightKg: 72 });
      expect(await stored(id)).toEqual({ hrMax: 'whoop', weightKg: 'whoop' });
    });

    it('a value with no recorded source (rows from before sources, the demo world) is kept from providers', async () => {
      const id = await newAthlete();
      await writeProfile({ deps, userId: id, change: () => ({ hrMax: 179 }) });
      expect(await stored(id)).toEqual({});
      expect(await whoop(id, 190, 71)).toMatchObject({ hrMax: 179, weightKg: 71 });
      // A write naming no source forgets the provider's claim on what it changes.
      await writeProfile({ deps, userId: id, change: () => ({ weightKg: 69 }) });
      expect(await stored(id)).toEqual({});
      expect(await whoop(id, 190, 73)).toMatchObject({ hrMax: 179, weightKg: 69 });
    });
  });
});
