import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgres } from '@athlete/db';
import { createEmptyTestDatabase, type TestDatabase } from '@athlete/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers.ts';
import { repoRoot } from './nginx-harness.ts';

/**
 * scripts/backup.sh then scripts/restore.sh: a services-mode deployment (Postgres + S3) is
 * backed up, restored into an empty database and a fresh object store, and the data is there.
 */
describe('backup and restore', () => {
  let source: TestApp;
  let target: TestDatabase;
  const work = mkdtempSync(join(tmpdir(), 'ap-backup-'));
  const restoredObjects = join(work, 'restored-data');
  let token = '';
  let athleteId = '';
  const rawKey = 'accounts/u1/biometric-data/whoop/20261101_063000.json';

  beforeAll(async () => {
    source = await buildTestApp({ mode: 'services', s3: true });
    target = await createEmptyTestDatabase();
    const reg = await source.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: {
        email: `backup-${Date.now()}@example.test`,
        password: 'correct horse battery',
        name: 'B',
        role: 'athlete',
      },
    });
    expect(reg.statusCode).toBe(201);
    ({ token } = reg.json() as { token: string });
    athleteId = (reg.json() as { user: { id: string } }).user.id;
    const t0 = Date.now() - 60_000;
    const ingest = await source.app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: { authorization: `Bearer ${token}` },
      payload: {
        samples: Array.from({ length: 30 }, (_, i) => ({ ts: t0 + i * 1000, seq: i + 1, hr: 120 + i })),
      },
    });
    expect(ingest.statusCode).toBe(202);
    await source.app.deps.platform.objects.put(rawKey, JSON.stringify({ recovery_score: 71 }));
  });

  afterAll(async () => {
    await source?.close();
    await target?.drop();
    rmSync(work, { recursive: true, force: true });
  });

  const s3Env = () => ({
    S3_BUCKET: source.config.S3_BUCKET!,
    S3_ENDPOINT: source.config.S3_ENDPOINT!,
    S3_REGION: source.config.S3_REGION,
    S3_ACCESS_KEY_ID: source.config.S3_ACCESS_KEY_ID!,
    S3_SECRET_ACCESS_KEY: source.config.S3_SECRET_ACCESS_KEY!,
    S3_FORCE_PATH_STYLE: 'true',
  });

  it('round-trips the database and the object store into empty ones', async () => {
    // Samples are written behind; wait until they are committed before dumping.
    for (let i = 0; i < 50; i++) {
      const [row] = await source.app.deps.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM samples WHERE athlete_id = $1',
        [athleteId],
      );
      if (row?.n === 30) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const env = {
      PATH: process.env.PATH!,
      HOME: process.env.HOME ?? work,
      DATABASE_URL: source.config.DATABASE_URL!,
      ...s3Env(),
    };
    execFileSync(join(repoRoot, 'scripts/backup.sh'), [join(work, 'backups')], { env, stdio: 'pipe' });
    const [dir] = readdirSync(join(work, 'backups'));
    const backup = join(work, 'backups', dir!);
    for (const f of ['database.dump', 'objects.tar.gz', 'SHA256SUMS'])
      expect(existsSync(join(backup, f)), f).toBe(true);
    expect(readFileSync(join(backup, 'database.dump')).subarray(0, 5).toString()).toBe('PGDMP');

    // Restore into an empty database and a filesystem object store (a different adapter on purpose).
    const restoreEnv = {
      PATH: process.env.PATH!,
      HOME: env.HOME,
      DATABASE_URL: target.url,
      DATA_DIR: restoredObjects,
    };
    execFileSync(join(repoRoot, 'scripts/restore.sh'), [backup], { env: restoreEnv, stdio: 'pipe' });

    const db = await openPostgres(target.url, { poolSize: 1 });
    try {
      const [user] = await db.query<{ id: string }>('SELECT id FROM users WHERE id = $1', [athleteId]);
      expect(user?.id).toBe(athleteId);
      const [samples] = await db.query<{ n: number; max: number }>(
        'SELECT count(*)::int AS n, max(hr)::int AS max FROM samples WHERE athlete_id = $1',
        [athleteId],
      );
      expect(samples).toEqual({ n: 30, max: 149 });
      const migrations = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
      expect(migrations.length).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
    expect(JSON.parse(readFileSync(join(restoredObjects, 'objects', rawKey), 'utf8'))).toEqual({
      recovery_score: 71,
    });

    // The restored deployment works: the old session token still signs the athlete in.
    const restored = await buildTestApp({ mode: 'services', overrides: { DATABASE_URL: target.url } });
    try {
      const me = await restored.app.inject({
        url: '/api/v1/me',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(me.statusCode).toBe(200);
      expect((me.json() as { user: { id: string } }).user.id).toBe(athleteId);
    } finally {
      await restored.close();
    }
  });

  it('refuses to restore over a database that is not empty', () => {
    const [dir] = readdirSync(join(work, 'backups'));
    const r = spawnSync(join(repoRoot, 'scripts/restore.sh'), [join(work, 'backups', dir!)], {
      env: { PATH: process.env.PATH!, DATABASE_URL: target.url, DATA_DIR: restoredObjects },
    });
    expect(r.status).toBe(1);
    expect(r.stderr.toString()).toMatch(/not empty/);
  });
});
