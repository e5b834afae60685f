import { startJobProcessing } from '@athlete/services';
import fp from 'fastify-plugin';

/**
 * Embedded mode runs the background job handlers inside the api process (same handlers as
 * apps/worker). In services mode the worker process consumes the queue, unless
 * RUN_WORKER_IN_API=true.
 */
export default fp(
  async (app) => {
    const runHere = app.config.RUN_WORKER_IN_API ?? !app.config.REDIS_URL;
    if (!runHere) return;
    app.addHook('onReady', async () => {
      await startJobProcessing(app.deps);
    });
  },
  { name: 'worker', dependencies: ['deps'] },
);
