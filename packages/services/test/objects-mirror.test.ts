import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '@athlete/config';
import { createPlatform, type Platform } from '@athlete/platform';
import { startS3Server, type TestS3Server } from '@athlete/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The backup mirror (maintenance/cli/objects-mirror.ts, run by scripts/backup.sh and restore.sh)
 * copies objects of several MB byte for byte both ways, on either store.
 */

const run = promisify(execFile);
const servicesDir = new URL('..', import.meta.url).pathname;
const tsx = join(servicesDir, '../../node_modules/.bin/tsx');

describe.each([
  { store: 'S3', s3: true },
  { store: 'filesystem', s3: false },
])('objects mirror ($store)', ({ s3 }) => {
  let s3Server: TestS3Server | undefined;
  const work = mkdtempSync(join(tmpdir(), 'ap-mirror-'));
  let env: Record<string, string>;
  let platform: Platform;

  beforeAll(async () => {
    s3Server = s3 ? await startS3Server() : undefined;
    env = {
      PATH: process.env.PATH!,
      HOME: process.env.HOME ?? work,
      DATA_DIR: join(work, 'data'),
      ...(s3Server && {
        S3_BUCKET: s3Server.bucket,
        S3_ENDPOINT: s3Server.endpoint,
        S3_ACCESS_KEY_ID: s3Server.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3Server.secretAccessKey,
        S3_FORCE_PATH_STYLE: 'true',
      }),
    };
    platform = await createPlatform(loadConfig({ env, configFile: undefined }));
  }, 60_000);

  afterAll(async () => {
    await platform?.close();
    await s3Server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const mirror = (direction: 'download' | 'upload', dir: string) =>
    run(tsx, ['src/maintenance/cli/objects-mirror.ts', direction, dir], { cwd: servicesDir, env });

  it('downloads and uploads a multi-MB object byte-identical', async () => {
    // Over two S3 upload parts (5 MiB), and not a multiple of any chunk size.
    const big = randomBytes(11 * 1024 * 1024 + 123);
    const small = Buffer.from('{"recovery_score":71}');
    const bigKey = 'archive/samples/2019-05.csv.gz';
    const smallKey = 'accounts/u1/biometric-data/whoop/20261101_063000.json';
    await platform.objects.put(bigKey, big);
    await platform.objects.put(smallKey, small);

    const dir = join(work, 'mirror');
    const down = await mirror('download', dir);
    expect(down.stdout).toMatch(`2 objects, ${big.length + small.length} bytes`);
    expect(readFileSync(join(dir, ...bigKey.split('/'))).equals(big)).toBe(true);
    expect(readFileSync(join(dir, ...smallKey.split('/'))).equals(small)).toBe(true);

    // Restore into an emptied store.
    await platform.objects.deletePrefix('');
    expect(await platform.objects.head(bigKey)).toBeUndefined();
    const up = await mirror('upload', dir);
    expect(up.stdout).toMatch(`2 objects, ${big.length + small.length} bytes`);
    expect((await platform.objects.get(bigKey))!.equals(big)).toBe(true);
    expect((await platform.objects.get(smallKey))!.equals(small)).toBe(true);
  }, 120_000);
});
