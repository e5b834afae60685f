import { createDatabase } from '@athlete/db';
import { createPlatform } from '@athlete/platform';
import type { Deps } from '@athlete/services';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    deps: Deps;
  }
}

/**
 * The process's database and platform adapters, chosen by configuration (embedded or
 * services), closed when the app closes. In embedded mode migrations run at boot.
 */
export default fp(
  async (app) => {
    const { config } = app;
    const db = await createDatabase(config, {
      migrate: !config.DATABASE_URL || config.NODE_ENV !== 'production',
    });
    const platform = await createPlatform(config);
    app.decorate('deps', { config, db, platform, log: app.log as Deps['log'], metrics: app.metrics });
    app.addHook('onClose', async () => {
      await platform.close();
      await db.close();
    });
  },
  { name: 'deps', dependencies: ['metrics'] },
);
