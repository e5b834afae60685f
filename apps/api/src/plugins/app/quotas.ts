import type { Config } from '@athlete/config';
import { spendHourlyQuota } from '@athlete/services';
import type { preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { userOf } from './auth.ts';

type QuotaSetting = 'EXPORTS_PER_HOUR' | 'IMPORTS_PER_HOUR' | 'DEVICES_PER_HOUR' | 'INVITES_PER_HOUR';

declare module 'fastify' {
  interface FastifyInstance {
    /** A preHandler spending one unit of the signed-in user's hourly budget (429 when spent). */
    hourlyQuota(name: string, setting: QuotaSetting, what: string): preHandlerAsyncHookHandler;
  }
}

/** Per-user hourly budgets for the expensive routes (#12.9); sizes are settings. */
export default fp(
  async (app) => {
    app.decorate(
      'hourlyQuota',
      (name: string, setting: QuotaSetting, what: string): preHandlerAsyncHookHandler =>
        async (req) => {
          const perHour = (app.config as Config)[setting];
          await spendHourlyQuota(app.deps, { name, userId: userOf(req).userId, perHour, what });
        },
    );
  },
  { name: 'quotas', dependencies: ['deps', 'auth'] },
);
