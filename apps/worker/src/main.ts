import { ConfigError, loadConfig } from '@athlete/config';
import { createDatabase } from '@athlete/db';
import { createPlatform } from '@athlete/platform';
import { type Deps, startJobProcessing } from '@athlete/services';
import closeWithGrace from 'close-with-grace';
import pino from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(78);
  }
  throw err;
}
const log = pino({ level: config.LOG_LEVEL, redact: ['*.password', '*.token', '*.accessToken', '*.refreshToken'] });
if (!config.REDIS_URL) {
  log.warn('REDIS_URL is not set: in embedded mode jobs run inside the api process; this worker has no shared queue');
}

const metrics = new Registry();
collectDefaultMetrics({ register: metrics });
const db = await createDatabase(config, { migrate: false });
const platform = await createPlatform(config);
const deps: Deps = { config, db, platform, log, metrics };

await startJobProcessing(deps);
log.info({ mode: platform.mode }, 'worker consuming jobs');

closeWithGrace({ delay: 30_000 }, async ({ signal, err }) => {
  if (err) log.error({ err }, 'closing after an uncaught error');
  else log.info({ signal }, 'worker shutting down: finishing active jobs');
  await platform.close();
  await db.close();
});
