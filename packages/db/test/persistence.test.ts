import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { configSchema } from '@athlete/config';
import { afterAll, expect, it } from 'vitest';
import { createDatabase, runMigrations } from '../src/index.ts';
import { sampleRow } from '../src/testing.ts';
import { tempDir } from './targets.ts';

const bases: string[] = [];
afterAll(async () => {
  for (const base of bases) await rm(base, { recursive: true, force: true });
});
/** A fresh directory under a temp dir removed after the file (the base, not only the leaf). */
const tempPath = async (...parts: string[]) => {
  const base = await tempDir();
  bases.push(base);
  return join(base, ...parts);
};

it('embedded PGlite under DATA_DIR/pglite keeps its data across a reopen', async () => {
  const dataDir = await tempPath('nested', 'data');
  const config = configSchema.parse({ DATA_DIR: dataDir });

  const first = await createDatabase(config);
  expect(first.kind).toBe('pglite');
  const user = await first.prisma.user.create({
    data: { email: 'keep@example.com', passwordHash: 'h', name: 'Keep', role: 'athlete' },
  });
  await first.insertSamples([sampleRow(user.id, '2026-02-02T02:02:02Z', { seq: 1, hr: 99 })]);
  await first.close();

  const second = await createDatabase(config);
  try {
    expect(await runMigrations(second)).toEqual([]);
    expect(await second.prisma.user.findUnique({ where: { email: 'keep@example.com' } })).toMatchObject({
      id: user.id,
    });
    expect(await second.query('SELECT hr FROM samples WHERE athlete_id = $1', [user.id])).toEqual([
      { hr: 99 },
    ]);
  } finally {
    await second.close();
  }
}, 120_000);

it('refuses a data directory held by another live process, and takes over a stale lock', async () => {
  const dir = await tempPath('locked');
  const config = configSchema.parse({ DATA_DIR: dir });
  const { mkdir, writeFile } = await import('node:fs/promises');
  await mkdir(join(dir, 'pglite'), { recursive: true });
  // pid 1 is always alive: the directory is "in use".
  await writeFile(join(dir, 'pglite', 'athlete.lock'), '1');
  await expect(createDatabase(config)).rejects.toThrow(/in use by process 1/);
  // A pid that cannot exist: stale, so the next opener takes the directory over.
  await writeFile(join(dir, 'pglite', 'athlete.lock'), '2147483646');
  const db = await createDatabase(config);
  expect(await db.ping()).toBe(true);
  await db.close();
  await rm(dir, { recursive: true, force: true });
}, 120_000);
