import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Config, loadConfig } from '@athlete/config';
import { createTestDatabase } from '@athlete/db/testing';
import { startS3Server, testRedisUrl, uniquePrefix } from '@athlete/platform/testing';
import { type App, buildApp } from '../src/app.ts';

export interface TestAppOptions {
  /** services: real Postgres (fresh database) + Redis (unique prefix); embedded: PGlite + in-process. */
  mode?: 'services' | 'embedded';
  /** Also start a local S3 server and use it as the object store (services mode). */
  s3?: boolean;
  overrides?: Partial<Record<keyof Config, unknown>>;
}

export interface TestApp {
  app: App;
  config: Config;
  close(): Promise<void>;
}

/** The one way tests build the API: in-process, against real services, cleaned up after. */
export async function buildTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const mode = opts.mode ?? 'services';
  const cleanups: Array<() => Promise<void> | void> = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'ap-test-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const env: Record<string, unknown> = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATA_DIR: dataDir,
    SERVE_WEB: false,
    PORT: 0,
    HOST: '127.0.0.1',
  };
  if (mode === 'services') {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    env.DATABASE_URL = db.url;
    env.REDIS_URL = testRedisUrl();
    env.REDIS_PREFIX = uniquePrefix();
    if (opts.s3) {
      const s3 = await startS3Server();
      cleanups.push(() => s3.stop());
      Object.assign(env, {
        S3_BUCKET: s3.bucket,
        S3_ENDPOINT: s3.endpoint,
        S3_ACCESS_KEY_ID: s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
        S3_FORCE_PATH_STYLE: true,
      });
    }
  }
  const config = loadConfig({ env: {}, configFile: undefined, overrides: { ...env, ...opts.overrides } });
  const app = await buildApp({ config });
  await app.ready();
  return {
    app,
    config,
    async close() {
      await app.close();
      for (const c of cleanups.reverse()) await c();
    },
  };
}

/** A multipart/form-data body holding one file (as a browser sends an upload) for `app.inject`. */
export function multipartFile(filename: string, bytes: Uint8Array | string, field = 'file') {
  const boundary = `----ap${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  return {
    payload: Buffer.concat([head, Buffer.from(bytes), Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
