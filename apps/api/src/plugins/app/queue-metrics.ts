import { registerPrivacyMetrics, registerQueueMetrics } from '@athlete/services';
import fp from 'fastify-plugin';

/**
 * Queue depth (read from the queue on scrape), job outcomes and pending erasures (read from the
 * database on scrape) on /metrics (docs/METRICS.md), so the api answers them without a worker.
 */
export default fp(
  async (app) => {
    registerQueueMetrics(app.deps);
    registerPrivacyMetrics(app.deps);
  },
  { name: 'queue-metrics', dependencies: ['deps', 'metrics'] },
);
