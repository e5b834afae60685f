import { BlockList, isIPv4 } from 'node:net';
import { histogram } from '@athlete/services';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Registry } from 'prom-client';

/** Loopback and private networks: where a scraper beside the API sits (RFC 1918, ULA, link-local). */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['127.0.0.0', 8],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['169.254.0.0', 16],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv6');

function isPrivateAddress(ip: string): boolean {
  const mapped = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return isIPv4(mapped) ? PRIVATE.check(mapped, 'ipv4') : PRIVATE.check(mapped, 'ipv6');
}

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

    app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
      // req.ip honours TRUST_PROXY: behind nginx it is the client's address, not nginx's.
      if (!app.config.METRICS_ENABLED || (!app.config.METRICS_PUBLIC && !isPrivateAddress(req.ip)))
        return reply.code(404).send();
      reply.header('content-type', registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'metrics' },
);
