import { histogram } from '@athlete/services';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Registry } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Registry;
  }
}

/** Prometheus registry of this process: default process metrics + HTTP request histograms. */
export default fp(
  async (app) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    app.decorate('metrics', registry);

    const duration = histogram(
      registry,
      'http_request_duration_seconds',
      'HTTP request duration by method, route and status',
      ['method', 'route', 'status_code'],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    );
    app.addHook('onResponse', async (req, reply) => {
      const route = req.routeOptions.url;
      if (!route || route === '/metrics') return;
      duration.observe(
        { method: req.method, route, status_code: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });

    app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
      if (!app.config.METRICS_ENABLED) return reply.code(404).send();
      reply.header('content-type', registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'metrics' },
);
