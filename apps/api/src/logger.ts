import type { Config } from '@athlete/config';
import { LOG_CENSOR, SECRET_LOG_PATHS } from '@athlete/services';
import type { FastifyServerOptions } from 'fastify';

/** Structured pino logs; credentials never reach a log line. */
export function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  return {
    level: config.LOG_LEVEL,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-ingest-key"]',
        'req.headers["x-whoop-signature"]',
        'res.headers["set-cookie"]',
        ...SECRET_LOG_PATHS,
      ],
      censor: LOG_CENSOR,
    },
    serializers: {
      req: (req: { method: string; url: string; id: string; ip?: string }) => ({
        method: req.method,
        // Query strings may carry OAuth codes or tokens: log the path only; a calendar feed's
        // path is its secret.
        url: req.url.split('?')[0]?.replace(/\/calendar\/[^/]+\.ics$/, '/calendar/[secret].ics'),
        id: req.id,
        ip: req.ip,
      }),
    },
  };
}
