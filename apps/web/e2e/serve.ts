/**
 * Playwright's webServer: a fresh Postgres database and a unique Redis prefix, then the real
 * API (services mode) serving the built SPA on E2E_PORT. Playwright starts web servers before
 * globalSetup runs, so the database is created here rather than there; it is dropped when the
 * server stops.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '@athlete/db/testing';
import { testRedisUrl, uniquePrefix } from '@athlete/platform/testing';
import { startSmtpSink } from '@athlete/services/testing';

const here = dirname(fileURLToPath(import.meta.url));
const webDir = join(here, '..');
const apiDir = join(webDir, '..', 'api');
const port = process.env.E2E_PORT;
if (!port) throw new Error('E2E_PORT is not set (playwright.config.ts sets it)');

if (!existsSync(join(webDir, 'dist', 'index.html'))) {
  console.log('[e2e] web app not built: building it');
  const r = spawnSync('pnpm', ['--filter', '@athlete/web', 'build'], { stdio: 'inherit', cwd: webDir });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// The benchmark brings its own database (it seeds it directly); tests get a fresh one.
const given = process.env.E2E_DATABASE_URL;
const db = given
  ? { url: given, name: new URL(given).pathname.slice(1), drop: async () => undefined }
  : await createTestDatabase();
const dataDir = mkdtempSync(join(tmpdir(), 'ap-e2e-'));
// A real SMTP server for the mail the app sends; specs read what it received (e2e/mailbox.ts).
const mailbox = process.env.E2E_MAILBOX;
if (!mailbox) throw new Error('E2E_MAILBOX is not set (playwright.config.ts sets it)');
const smtp = await startSmtpSink({ saveTo: mailbox });
console.log(`[e2e] database ${db.name}, port ${port}`);

/** Short thresholds so an alert fires within seconds of the test pushing HR above 175 bpm. */
const thresholds = {
  hrAboveBpm: 175,
  hrAbovePctMax: null,
  hrAboveSeconds: 2,
  clearSeconds: 1,
  dropoutSeconds: null,
  jumpBpm: null,
};

const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
  cwd: apiDir,
  stdio: 'inherit',
  env: {
    ...process.env,
    NODE_ENV: 'test',
    // Autoload loads .ts plugins only when it knows a TypeScript loader is active (`--import tsx`).
    FASTIFY_AUTOLOAD_TYPESCRIPT: '1',
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
    HOST: '127.0.0.1',
    PORT: port,
    DATA_DIR: dataDir,
    DATABASE_URL: db.url,
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: uniquePrefix('e2e'),
    SERVE_WEB: 'true',
    WEB_DIST_DIR: join(webDir, 'dist'),
    THRESHOLDS: JSON.stringify(thresholds),
    LIVE_FLUSH_INTERVAL_MS: '100',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    // The WHOOP/Garmin look-alike runs in-process (consent page on its own loopback port) and the
    // sync jobs it triggers run here too: the settings e2e connects WHOOP and waits for the backfill.
    PROVIDER_SANDBOX: 'true',
    // A quarter of history keeps the WHOOP backfill in the integrations test quick.
    PROVIDER_SANDBOX_DAYS: '90',
    RUN_WORKER_IN_API: 'true',
    SMTP_URL: smtp.url,
    // Every spec signs up its own people from 127.0.0.1: more than one address's hourly share.
    REGISTER_LIMIT_PER_HOUR: '1000',
  },
});

let cleaning: Promise<void> | null = null;
function cleanup(code: number): Promise<void> {
  cleaning ??= (async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => {
        const t = setTimeout(() => {
          child.kill('SIGKILL');
          r(null);
        }, 8000);
        child.once('exit', () => {
          clearTimeout(t);
          r(null);
        });
      });
    }
    await smtp.stop();
    await db.drop().catch((err) => console.error('[e2e] could not drop the test database', err));
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(code);
  })();
  return cleaning;
}

child.once('exit', (code) => void cleanup(code ?? 1));
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => void cleanup(0));
