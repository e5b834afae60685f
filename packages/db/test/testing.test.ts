import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  ensureTemplateDatabase,
  removeStaleTestDatabases,
  type TestDatabase,
} from '../src/testing.ts';

const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DAY_MS = 24 * 60 * 60_000;

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function databases(): Promise<Map<string, boolean>> {
  const { rows } = await admin((c) =>
    c.query<{ datname: string; datistemplate: boolean }>(
      `SELECT datname, datistemplate FROM pg_database WHERE datname LIKE 'athlete\\_%'`,
    ),
  );
  return new Map(rows.map((r) => [r.datname, r.datistemplate]));
}

describe('removeStaleTestDatabases (run by the template build)', () => {
  // Names of this run only, so a concurrent run of this file cannot mistake them.
  const tag = process.pid.toString(16);
  const oldTemplate = `athlete_tpl_0000000000000000_${tag}`;
  const recentTemplate = `athlete_tpl_recent_${tag}`;
  const inUseTemplate = `athlete_tpl_in_use_${tag}`;
  const oldTestDb = `athlete_test_${process.pid}_${(Date.now() - 2 * DAY_MS).toString(36)}_abcdef`;
  const created = [oldTemplate, recentTemplate, inUseTemplate, oldTestDb];
  let fresh: TestDatabase | undefined;
  let holder: pg.Client | undefined;

  afterAll(async () => {
    await holder?.end();
    await fresh?.drop();
    await admin(async (c) => {
      for (const name of created) {
        await c.query(`ALTER DATABASE "${name}" WITH is_template = false`).catch(() => {});
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }
    });
  });

  it('drops older templates and day-old test databases; keeps the current, recent and in-use ones', async () => {
    const current = await ensureTemplateDatabase();
    fresh = await createTestDatabase();
    await admin(async (c) => {
      for (const name of created) await c.query(`CREATE DATABASE "${name}"`);
      // Built by a version that did not record the time: older than any built now.
      await c.query(`ALTER DATABASE "${oldTemplate}" WITH is_template = true ALLOW_CONNECTIONS = false`);
      // Built a minute ago, e.g. by a concurrent run on other migration files.
      await c.query(`ALTER DATABASE "${recentTemplate}" WITH is_template = true ALLOW_CONNECTIONS = false`);
      await c.query(
        `COMMENT ON DATABASE "${recentTemplate}" IS 'athlete test template built at ${new Date(Date.now() - 60_000).toISOString()}'`,
      );
      await c.query(`ALTER DATABASE "${inUseTemplate}" WITH is_template = true`);
    });
    // Someone connected to an old template: DROP fails with 55006 and it must stay a template.
    holder = new pg.Client({ connectionString: adminUrl.replace(/\/[^/]*$/, `/${inUseTemplate}`) });
    await holder.connect();

    const dropped = await removeStaleTestDatabases();

    const after = await databases();
    expect(after.has(oldTemplate)).toBe(false);
    expect(after.has(oldTestDb)).toBe(false);
    expect(after.get(current)).toBe(true);
    expect(after.get(recentTemplate)).toBe(true);
    expect(after.get(inUseTemplate)).toBe(true);
    expect(after.has(fresh.name)).toBe(true);
    expect(dropped).not.toContain(current);
    expect(dropped).not.toContain(inUseTemplate);
    expect(dropped).not.toContain(recentTemplate);
    expect(dropped).not.toContain(fresh.name);

    // The template still clones after the sweep.
    const another = await createTestDatabase();
    await another.drop();
  });
});
