import { registerQueueMetrics } from '@athlete/services';
import fp from 'fastify-plugin';

/** Queue depth (read from the queue on scrape) and job outcomes on /metrics (docs/METRICS.md). */
export default fp(
  async (app) => {
    registerQueueMetrics(app.deps);
  },
  { name: 'queue-metrics', dependencies: ['deps', 'metrics'] },
);
