import { gzipSync } from 'node:zlib';
import { SAMPLE_COLUMNS } from '@athlete/db';
import { sampleRow } from '@athlete/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/accounts/password.ts';
import {
  archiveKeyFor,
  type Deps,
  deleteAccount,
  jobHandlers,
  jobs,
  readSampleArchive,
  retireSamplePartitions,
  schedules,
} from '../src/index.ts';
import { ERASURE_SETTLE_MS, purgePendingErasures } from '../src/privacy/pending-erasures.ts';
import { erasurePurgeJob, registerPrivacyMetrics } from '../src/privacy/privacy-jobs.ts';
import { OBJECT_STORES, openStoreDeps } from './store-deps.ts';

/**
 * Account deletion finishes the erasure of archived samples even when the archive rewrite
 * fails: the pending record survives, the queued job (BullMQ on Redis) retries once the cause
 * is fixed, and the archival never brings a deleted account's rows back.
 */

const PASSWORD = 'erase me completely 1';
const HEADER = SAMPLE_COLUMNS.join(',');
const RETIRE_NOW = new Date('2021-01-01T00:00:00Z');

const sample = (athleteId: string, ts: string, hr: number) => sampleRow(athleteId, ts, { hr });

describe.each(OBJECT_STORES)('erasure of archived samples always completes ($store)', ({ s3 }) => {
  let deps: Deps;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ deps, close } = await openStoreDeps({ s3, redis: true }));
    expect(deps.platform.mode).toBe('services');
    registerPrivacyMetrics(deps);
  }, 60_000);

  afterAll(async () => close?.());

  const createAthlete = async (name: string) =>
    deps.db.prisma.user.create({
      data: {
        email: `${name}-${Math.random().toString(36).slice(2)}@erasure.test`,
        name,
        role: 'athlete',
        passwordHash: await hashPassword(PASSWORD),
      },
    });
  const remove = (userId: string) =>
    deleteAccount({
      deps,
      principal: { kind: 'user', userId, role: 'athlete', sessionId: 'test', via: 'bearer' },
      password: PASSWORD,
    });
  const pending = () =>
    deps.db.query<{ user_id: string; attempts: number; last_error: string | null }>(
      'SELECT user_id::text AS user_id, attempts, last_error FROM pending_erasures ORDER BY requested_at',
    );
  const pendingGauge = async () => {
    const text = await deps.metrics.getSingleMetricAsString('ap_pending_erasures');
    return Number(/^ap_pending_erasures (\d+)$/m.exec(text)?.[1]);
  };
  /** Moves an erasure's deletion this much into the past (as if requested back then). */
  const backdate = (userId: string, minutes: number) =>
    deps.db.query(
      `UPDATE pending_erasures SET requested_at = requested_at - $2::int * interval '1 minute' WHERE user_id = $1`,
      [userId, minutes],
    );
  const archiveLines = async (key: string) =>
    readSampleArchive((await deps.platform.objects.get(key))!)
      .trim()
      .split('\n');

  it('keeps the erasure pending when an archive cannot be rewritten, and the queued job finishes it once fixed', async () => {
    const [u, other] = await Promise.all([createAthlete('u'), createAthlete('other')]);
    await deps.db.insertSamples([
      sample(u.id, '2019-06-02T10:00:00Z', 120),
      sample(other.id, '2019-06-02T10:00:00Z', 130),
    ]);
    await retireSamplePartitions({ deps, retentionMonths: 12, now: RETIRE_NOW });
    const june = archiveKeyFor(new Date('2019-06-01T00:00:00Z'));
    expect((await archiveLines(june)).some((l) => l.startsWith(`${u.id},`))).toBe(true);
    // An archive broken in storage (half its bytes), holding the athlete's rows.
    const july = archiveKeyFor(new Date('2019-07-01T00:00:00Z'));
    const julyWhole = gzipSync(
      `${[HEADER, ...Array.from({ length: 3000 }, (_, i) => `${u.id},2019-07-01T00:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000Z,,,${100 + (i % 50)},,,,,,,,`)].join('\n')}\n`,
    );
    await deps.platform.objects.put(july, julyWhole.subarray(0, Math.floor(julyWhole.length / 2)));

    await remove(u.id);

    // The account is gone at once...
    expect(await deps.db.prisma.user.findUnique({ where: { id: u.id } })).toBeNull();
    // ...and its archive purge is recorded, with what stopped it, and queued.
    expect(await pending()).toEqual([
      { user_id: u.id, attempts: 1, last_error: expect.stringMatching(/unexpected end of file/) },
    ]);
    // Not counted while a record is kept by design (the settle time), counted once past it.
    expect(await pendingGauge()).toBe(0);
    await backdate(u.id, 3);
    expect(await pendingGauge()).toBe(1);
    const job = await deps.platform.queue.getJob(`erasure-purge-${u.id}`);
    expect(job).toMatchObject({ name: 'privacy.erasure-purge', data: { userId: u.id }, state: 'waiting' });

    // The job fails while the archive is still broken, and says why (the queue retries it).
    await expect(erasurePurgeJob.handler(deps, { userId: u.id }, ctx())).rejects.toThrow(
      /unexpected end of file/,
    );
    expect((await pending())[0]?.attempts).toBe(2);

    // Fix the cause (the archive restored whole), then let the worker consume the queue.
    await deps.platform.objects.put(july, julyWhole);
    await deps.platform.queue.process(jobHandlers(deps), { concurrency: 1 });
    await deps.platform.queue.drain(30_000);

    expect((await deps.platform.queue.getJob(`erasure-purge-${u.id}`))?.state).toBe('completed');
    expect(await pending()).toEqual([]);
    expect(await pendingGauge()).toBe(0);
    expect(await archiveLines(july)).toEqual([HEADER]);
    const juneLines = await archiveLines(june);
    expect(juneLines.filter((l) => l.startsWith(`${u.id},`))).toEqual([]);
    expect(juneLines.filter((l) => l.startsWith(`${other.id},2019-06-02T10:00:00.000Z,`))).toHaveLength(1);
  }, 60_000);

  it('finishes an erasure whose process stopped after the database commit (the periodic sweep)', async () => {
    const [u, other] = await Promise.all([createAthlete('killed'), createAthlete('kept')]);
    await deps.db.insertSamples([
      sample(u.id, '2019-08-03T10:00:00Z', 121),
      sample(other.id, '2019-08-03T10:00:00Z', 131),
    ]);
    await retireSamplePartitions({ deps, retentionMonths: 12, now: RETIRE_NOW });
    const august = archiveKeyFor(new Date('2019-08-01T00:00:00Z'));
    // What the deletion's transaction leaves when the process dies right after it commits
    // (3 minutes ago: past the settle time).
    await deps.db.transaction(async (tx) => {
      await tx.query('DELETE FROM users WHERE id = $1', [u.id]);
      await tx.query(
        `INSERT INTO pending_erasures (user_id, requested_at) VALUES ($1, now() - interval '3 minutes')`,
        [u.id],
      );
    });
    expect((await archiveLines(august)).some((l) => l.startsWith(`${u.id},`))).toBe(true);

    expect(schedules.some((s) => s.job === erasurePurgeJob)).toBe(true);
    expect(jobs).toContain(erasurePurgeJob);
    const outcome = await erasurePurgeJob.handler(deps, {}, ctx());
    expect(outcome).toEqual({ purged: [u.id], settling: [], failed: [], locked: false });
    expect(await pending()).toEqual([]);
    expect((await archiveLines(august)).map((l) => l.split(',')[0])).toEqual(['athlete_id', other.id]);
  }, 60_000);

  it('backs the sweep off a failing erasure (2^attempts minutes), but not a targeted retry', async () => {
    const id = '00000000-0000-4000-8000-0000000000e1';
    const tried = new Date('2024-05-01T12:00:00Z');
    await deps.db.query(
      `INSERT INTO pending_erasures (user_id, requested_at, attempts, last_attempt_at, last_error)
       VALUES ($1, $2, 3, $2, 'S3 down')`,
      [id, tried],
    );
    const at = (minutes: number) => new Date(tried.getTime() + minutes * 60_000);
    // Nothing to purge for this id: due means done.
    expect((await purgePendingErasures({ deps, now: at(7) })).purged).toEqual([]);
    expect(await pending()).toHaveLength(1);
    expect((await purgePendingErasures({ deps, now: at(8) })).purged).toEqual([id]);
    expect(await pending()).toEqual([]);

    await deps.db.query(
      `INSERT INTO pending_erasures (user_id, requested_at, attempts, last_attempt_at)
       VALUES ($1, now() - interval '1 hour', 30, now())`,
      [id],
    );
    expect((await purgePendingErasures({ deps, userId: id })).purged).toEqual([id]);
  });

  it('waits for the archive lock instead of purging during an archival, and reports it when it never comes', async () => {
    const id = '00000000-0000-4000-8000-0000000000e2';
    await deps.db.query(
      `INSERT INTO pending_erasures (user_id, requested_at) VALUES ($1, now() - interval '1 hour')`,
      [id],
    );
    const lock = await deps.platform.locks.tryAcquire('maintenance:sample-partitions', 10_000);
    expect(lock).not.toBeNull();
    try {
      expect(await purgePendingErasures({ deps, userId: id, lockWaitMs: 300 })).toEqual({
        purged: [],
        settling: [],
        failed: [],
        locked: true,
      });
      await expect(erasurePurgeJob.handler(deps, { userId: id }, ctx())).rejects.toThrow(/lock/);
      expect(await pending()).toHaveLength(1);
      setTimeout(() => void lock!.release(), 200);
      expect((await purgePendingErasures({ deps, userId: id, lockWaitMs: 5_000 })).purged).toEqual([id]);
    } finally {
      await lock!.release();
    }
  });

  it("never archives a deleted account's rows a month later", async () => {
    const [u, other] = await Promise.all([createAthlete('gone'), createAthlete('stays')]);
    // Samples of a month not retired yet when the account is deleted.
    await deps.db.insertSamples([
      sample(u.id, '2020-03-04T05:00:00Z', 140),
      sample(u.id, '2020-03-04T05:00:01Z', 141),
      sample(other.id, '2020-03-04T05:00:00Z', 150),
    ]);
    const march = archiveKeyFor(new Date('2020-03-01T00:00:00Z'));
    await remove(u.id);
    // Purged at once; the record stays (clean) until the erasure has settled.
    expect(await pending()).toEqual([{ user_id: u.id, attempts: 0, last_error: null }]);
    expect(await deps.platform.objects.head(march)).toBeUndefined();

    const retired = await retireSamplePartitions({
      deps,
      retentionMonths: 1,
      now: new Date('2020-05-01T00:00:00Z'),
    });
    expect(retired.archived.find((a) => a.key === march)?.rows).toBe(1);
    const lines = await archiveLines(march);
    expect(lines.map((l) => l.split(',')[0])).toEqual(['athlete_id', other.id]);
    expect(lines.join('\n')).not.toContain(u.id);
  }, 60_000);

  it('purges samples a late write-behind batch wrote after the deletion, once the erasure has settled', async () => {
    const u = await createAthlete('late');
    await deps.db.insertSamples([sample(u.id, '2020-09-01T08:00:00Z', 110)]);
    const before = Date.now();
    await remove(u.id);
    const samplesOf = () =>
      deps.db.query('SELECT 1 FROM samples WHERE athlete_id = $1::uuid', [u.id]).then((r) => r.length);
    // Other tests' erasures may be pending too: only this account's record is looked at.
    const record = async () => (await pending()).filter((p) => p.user_id === u.id);
    expect(await samplesOf()).toBe(0);
    const [requested] = await deps.db.query<{ requested_at: Date }>(
      'SELECT requested_at FROM pending_erasures WHERE user_id = $1',
      [u.id],
    );
    expect(requested).toBeDefined();
    const settlesAt = requested!.requested_at.getTime() + ERASURE_SETTLE_MS;
    // The deletion queued its final purge for when it settles (delayed, its own job id).
    const settled = await deps.platform.queue.getJob(`erasure-settled-${u.id}`);
    expect(settled).toMatchObject({
      name: 'privacy.erasure-purge',
      data: { userId: u.id },
      state: 'delayed',
    });
    expect(await deps.platform.queue.getJob(`erasure-purge-${u.id}`)).toBeUndefined();
    expect(requested!.requested_at.getTime()).toBeGreaterThanOrEqual(before - 1_000);

    // A batch already on its way to the database when the account was deleted lands now.
    await deps.db.insertSamples([
      sample(u.id, '2020-09-01T08:00:01Z', 111),
      sample(u.id, '2020-09-01T08:00:02Z', 112),
    ]);
    expect(await samplesOf()).toBe(2);

    // Before the settle time: the sweep leaves the record alone, a targeted run purges but keeps it.
    const early = new Date(settlesAt - 1_000);
    const sweptEarly = await purgePendingErasures({ deps, now: early });
    expect(sweptEarly.purged).not.toContain(u.id);
    expect(sweptEarly.settling).toEqual([]);
    expect(await samplesOf()).toBe(2);
    expect(await record()).toEqual([{ user_id: u.id, attempts: 0, last_error: null }]);
    expect((await purgePendingErasures({ deps, userId: u.id, now: early })).settling).toEqual([
      { userId: u.id, settlesAt: new Date(settlesAt) },
    ]);
    expect(await samplesOf()).toBe(0);
    expect(await record()).toHaveLength(1);

    // Another late row; past the settle time the sweep's final purge deletes it and the record.
    await deps.db.insertSamples([sample(u.id, '2020-09-01T08:00:03Z', 113)]);
    const outcome = await purgePendingErasures({ deps, now: new Date(settlesAt + 1) });
    expect(outcome).toMatchObject({ settling: [], failed: [], locked: false });
    expect(outcome.purged).toContain(u.id);
    expect(await samplesOf()).toBe(0);
    expect(await record()).toEqual([]);
    expect(await pendingGauge()).toBe(0);
  }, 60_000);
});

function ctx() {
  return { id: 'test', name: erasurePurgeJob.name, attempt: 1, updateProgress: async () => {} };
}
