import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import staticFiles from '@fastify/static';
import fp from 'fastify-plugin';

const defaultDist = fileURLToPath(new URL('../../../../web/dist', import.meta.url));

/**
 * Single-node mode: the built SPA is served by the API. Unknown GETs that want HTML fall back
 * to index.html (client-side routes); everything else gets the contract's 404 envelope.
 */
export default fp(
  async (app) => {
    const dist = app.config.WEB_DIST_DIR ?? defaultDist;
    const serveWeb = app.config.SERVE_WEB && existsSync(`${dist}/index.html`);
    if (serveWeb) {
      await app.register(staticFiles, {
        root: dist,
        wildcard: false,
        index: ['index.html'],
        setHeaders(reply, path) {
          reply.header(
            'cache-control',
            path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
          );
        },
      });
    } else if (app.config.SERVE_WEB) {
      app.log.warn({ dist }, 'web app not built: run `pnpm --filter @athlete/web build` to serve it');
    }
    app.setNotFoundHandler((req, reply) => {
      const wantsPage =
        req.method === 'GET' &&
        !req.url.startsWith('/api/') &&
        !req.url.startsWith('/ws/') &&
        (req.headers.accept ?? '').includes('text/html');
      if (serveWeb && wantsPage) return reply.header('cache-control', 'no-cache').sendFile('index.html');
      return reply.code(404).send({
        error: { code: 'NOT_FOUND', message: `Route ${req.method} ${req.url.split('?')[0]} not found` },
      });
    });
  },
  { name: 'web' },
);
