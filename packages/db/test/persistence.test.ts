import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { configSchema } from '@athlete/config';
import { afterAll, expect, it } from 'vitest';
import { createDatabase, runMigrations } from '../src/index.ts';
import { tempDir } from './targets.ts';

let dataDir: string | undefined;
afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it('embedded PGlite under DATA_DIR/pglite keeps its data across a reopen', async () => {
  dataDir = join(await tempDir(), 'nested', 'data');
  const config = configSchema.parse({ DATA_DIR: dataDir });

  const first = await createDatabase(config);
  expect(first.kind).toBe('pglite');
  const user = await first.prisma.user.create({
    data: { email: 'keep@example.com', passwordHash: 'h', name: 'Keep', role: 'athlete' },
  });
  await first.insertSamples([
    {
      athleteId: user.id,
      ts: new Date('2026-02-02T02:02:02Z'),
      sessionId: null,
      seq: 1,
      hr: 99,
      rr: null,
      speed: null,
      cadence: null,
      power: null,
      distance: null,
      lat: null,
      lon: null,
      alt: null,
    },
  ]);
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
});
