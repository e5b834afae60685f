import { createLiveService, type LiveService } from '@athlete/services';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** This process's live pipeline: ingest, write-behind, sessions, alerts, fan-out. */
    live: LiveService;
  }
}

/**
 * The live pipeline, started once the app is ready and closed before the database and the
 * platform adapters (hooks close in reverse order): buffered samples are written first.
 */
export default fp(
  async (app) => {
    const live = createLiveService(app.deps);
    app.decorate('live', live);
    app.addHook('onReady', async () => {
      await live.start();
    });
    app.addHook('onClose', async () => {
      await live.close();
    });
  },
  { name: 'live', dependencies: ['deps'] },
);
