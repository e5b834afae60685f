import { createServer } from 'node:http';
import { loadConfigOrExit } from '@athlete/config';
import { createDatabase } from '@athlete/db';
import { createPlatform } from '@athlete/platform';
import {
  type Deps,
  LOG_CENSOR,
  registerQueueMetrics,
  SECRET_LOG_PATHS,
  startJobProcessing,
} from '@athlete/services';
import closeWithGrace from 'close-with-grace';
import pino from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';

const config = loadConfigOrExit();
const log = pino({
  level: config.LOG_LEVEL,
  redact: { paths: SECRET_LOG_PATHS, censor: LOG_CENSOR },
});
if (!config.REDIS_URL) {
  log.warn(
    'REDIS_URL is not set: in embedded mode jobs run inside the api process; this worker has no shared queue',
  );
}

const metrics = new Registry();
collectDefaultMetrics({ register: metrics });
const db = await createDatabase(config, { migrate: false });
const platform = await createPlatform(config);
const deps: Deps = { config, db, platform, log, metrics };

registerQueueMetrics(deps);
await startJobProcessing(deps);

// Prometheus scrapes the worker here (job outcomes, queue depth); probes use /healthz.
const metricsServer = createServer(async (req, res) => {
  if (req.url === '/healthz')
    return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  if (req.url === '/metrics' && config.METRICS_ENABLED) {
    res.writeHead(200, { 'content-type': metrics.contentType });
    return void res.end(await metrics.metrics());
  }
  res.writeHead(404).end();
});
if (config.WORKER_METRICS_PORT) metricsServer.listen(config.WORKER_METRICS_PORT, config.HOST);
log.info({ mode: platform.mode }, 'worker consuming jobs');

closeWithGrace({ delay: 30_000 }, async ({ signal, err }) => {
  if (err) log.error({ err }, 'closing after an uncaught error');
  else log.info({ signal }, 'worker shutting down: finishing active jobs');
  metricsServer.close();
  await platform.close();
  await db.close();
});
