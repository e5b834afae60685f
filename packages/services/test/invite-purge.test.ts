import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@athlete/config';
import { databaseTargets } from '@athlete/db/testing';
import { createPlatform } from '@athlete/platform';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AppError,
  acceptInvite,
  type Deps,
  hashSecret,
  jobs,
  previewInvite,
  purgeSpentInvites,
  schedules,
} from '../src/index.ts';

const DAY = 86_400_000;

describe.each(databaseTargets)('spent team invites are purged ($name)', (target) => {
  let deps: Deps;
  let cleanup: () => Promise<void>;
  let dataDir: string;
  let teamId: string;
  let coachId: string;
  let athlete: { id: string; email: string };

  beforeAll(async () => {
    const opened = await target.open();
    dataDir = mkdtempSync(join(tmpdir(), 'ap-invite-purge-'));
    const config = loadConfig({ env: {}, overrides: { DATA_DIR: dataDir } });
    const platform = await createPlatform(config);
    deps = { config, db: opened.db, platform, log: pino({ level: 'silent' }), metrics: new Registry() };
    cleanup = async () => {
      await platform.close();
      await opened.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    };
    const coach = await deps.db.prisma.user.create({
      data: { email: 'coach@purge.test', name: 'Coach', role: 'coach', passwordHash: 'x' },
    });
    const a = await deps.db.prisma.user.create({
      data: { email: 'athlete@purge.test', name: 'Athlete', role: 'athlete', passwordHash: 'x' },
    });
    coachId = coach.id;
    athlete = { id: a.id, email: a.email };
    teamId = (await deps.db.prisma.team.create({ data: { name: 'Purge', createdById: coachId } })).id;
  }, 120_000);

  afterAll(async () => {
    await cleanup?.();
  });

  /** One invite per state; times relative to now, in days (negative = past). */
  async function seed(now: number) {
    const at = (days: number) => new Date(now + days * DAY);
    const states = {
      pendingFresh: { createdAt: at(-1), expiresAt: at(6) },
      // Created long ago but still valid (e.g. a longer TTL once): pending is never touched.
      pendingOld: { createdAt: at(-90), expiresAt: at(1) },
      revokedLongAgo: { createdAt: at(-45), expiresAt: at(-38), revokedAt: at(-40) },
      revokedRecently: { createdAt: at(-6), expiresAt: at(1), revokedAt: at(-5) },
      acceptedLongAgo: { createdAt: at(-45), expiresAt: at(-38), acceptedAt: at(-40) },
      acceptedRecently: { createdAt: at(-6), expiresAt: at(1), acceptedAt: at(-5) },
      expiredLongAgo: { createdAt: at(-47), expiresAt: at(-40) },
      expiredRecently: { createdAt: at(-12), expiresAt: at(-5) },
      // Revoked recently although it expired long ago: gone by its expiry.
      revokedRecentlyExpiredLongAgo: { createdAt: at(-50), expiresAt: at(-43), revokedAt: at(-2) },
    };
    const ids: Record<string, string> = {};
    for (const [name, times] of Object.entries(states)) {
      const row = await deps.db.prisma.teamInvite.create({
        data: {
          teamId,
          code: hashSecret(`code-${name}-${now}`),
          email: athlete.email,
          createdById: coachId,
          ...times,
        },
      });
      ids[name] = row.id;
    }
    return ids;
  }

  const remaining = async () =>
    new Set((await deps.db.prisma.teamInvite.findMany({ select: { id: true } })).map((r) => r.id));

  it('deletes exactly the invites spent more than the retention ago, as the daily job', async () => {
    await deps.db.prisma.teamInvite.deleteMany({});
    const ids = await seed(Date.now());
    const job = jobs.find((j) => j.name === 'maintenance.invite-purge');
    expect(schedules.some((s) => s.job === job && 'cron' in s.repeat)).toBe(true);
    // The configured default retention: 30 days.
    const result = await job!.handler(
      deps,
      {},
      { id: '1', name: job!.name, attempt: 1, updateProgress: async () => {} },
    );
    expect(result).toEqual({ deleted: 4 });
    const left = await remaining();
    expect([...left].sort()).toEqual(
      [
        ids.pendingFresh,
        ids.pendingOld,
        ids.revokedRecently,
        ids.acceptedRecently,
        ids.expiredRecently,
      ].sort(),
    );
    // A second run finds nothing more.
    expect(await purgeSpentInvites({ deps })).toEqual({ deleted: 0 });
  });

  it('follows the retention given and keeps everything at 0', async () => {
    await deps.db.prisma.teamInvite.deleteMany({});
    const now = Date.now();
    const ids = await seed(now);
    expect(await purgeSpentInvites({ deps, retentionDays: 0, now: new Date(now) })).toEqual({ deleted: 0 });
    expect((await remaining()).size).toBe(Object.keys(ids).length);
    // Three days: the recent ones (5 days) go too; only the two pending invites stay.
    await purgeSpentInvites({ deps, retentionDays: 3, now: new Date(now) });
    expect([...(await remaining())].sort()).toEqual([ids.pendingFresh, ids.pendingOld].sort());
  });

  it('answers a purged link with a clear 404 (preview and accept), like an unknown one', async () => {
    const code = 'purged-link-code';
    await deps.db.prisma.teamInvite.create({
      data: {
        teamId,
        code: hashSecret(code),
        email: athlete.email,
        createdById: coachId,
        createdAt: new Date(Date.now() - 60 * DAY),
        expiresAt: new Date(Date.now() - 53 * DAY),
      },
    });
    // Before the purge the link is known to have expired.
    expect(await previewInvite({ deps, code })).toMatchObject({ status: 'expired' });
    await purgeSpentInvites({ deps });
    const principal = {
      kind: 'user',
      userId: athlete.id,
      role: 'athlete',
      sessionId: 's',
      via: 'bearer',
    } as const;
    const err = await acceptInvite({ deps, principal, code }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/^Invite not found: .*new one/),
    });
    await expect(previewInvite({ deps, code })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // Nothing was joined.
    expect(await deps.db.prisma.teamMember.count({ where: { userId: athlete.id } })).toBe(0);
  });
});
