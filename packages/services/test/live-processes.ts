import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Config, loadConfig } from '@athlete/config';
import { testRedisUrl } from '@athlete/platform/testing';
import { type Deps, LiveService } from '../src/index.ts';
import { depsOn } from './store-deps.ts';

/**
 * API processes for multi-process live tests: each its own pool, Redis connections and data
 * directory on one shared database. With a `redisPrefix` the processes share Redis (pub/sub,
 * cache); without, a lone process on the in-process adapters.
 */

const dirs: string[] = [];

/** Removes the data directories of every process made so far (call from a test file's afterAll). */
export function removeProcessDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export interface ProcessOptions {
  redisPrefix?: string;
  overrides?: Partial<Record<keyof Config, unknown>>;
}

/** One process's deps on the database at `url`. */
export async function processDeps(url: string, opts: ProcessOptions = {}): Promise<Deps> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ap-live-process-'));
  dirs.push(dataDir);
  const config = loadConfig({
    env: {},
    overrides: {
      DATA_DIR: dataDir,
      DATABASE_URL: url,
      REDIS_URL: opts.redisPrefix ? testRedisUrl() : undefined,
      REDIS_PREFIX: opts.redisPrefix,
      ...opts.overrides,
    },
  });
  return depsOn(config, 4);
}

/** One API process's live pipeline, started. */
export async function startProcess(url: string, opts: ProcessOptions = {}): Promise<LiveService> {
  const live = new LiveService(await processDeps(url, opts));
  await live.start();
  return live;
}

export async function stopProcess(live: LiveService | undefined): Promise<void> {
  if (!live) return;
  await live.close();
  await live.deps.platform.close();
  await live.deps.db.close();
}

/** Polls `check` every 20 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
