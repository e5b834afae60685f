import type { Config } from '@athlete/config';
import type { Database } from '@athlete/db';
import type { Platform } from '@athlete/platform';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

/**
 * What every domain function needs from the outside world. Built once per process (the api's
 * `fastify.deps`, the worker's main) and passed as `deps` in each function's options object.
 */
export interface Deps {
  config: Config;
  db: Database;
  platform: Platform;
  log: Logger;
  /** The process's Prometheus registry; modules register their own metrics on it. */
  metrics: Registry;
}
