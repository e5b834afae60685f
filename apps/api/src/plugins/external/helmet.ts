import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';

/**
 * Security headers. The CSP allows map tiles from any https origin (tile URL is configurable).
 * `upgrade-insecure-requests` only when the site is served over TLS (PUBLIC_URL https): on a
 * plain-HTTP deployment opened by any other name than localhost (the demo on a LAN address) it
 * would rewrite every script URL to https and leave the page blank.
 */
export default fp(
  async (app) => {
    const tls = app.config.PUBLIC_URL?.startsWith('https:') ?? false;
    await app.register(helmet, {
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
          // Behind TLS the live socket is wss: only; plain HTTP needs ws: as well.
          connectSrc: tls ? ["'self'", 'wss:'] : ["'self'", 'ws:', 'wss:'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          scriptSrc: ["'self'"],
          // The web app's service worker and manifest (installable app) come from this origin.
          workerSrc: ["'self'"],
          manifestSrc: ["'self'"],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
          upgradeInsecureRequests: tls ? [] : null,
        },
      },
      hsts: app.config.NODE_ENV === 'production' || tls,
      crossOriginEmbedderPolicy: false,
      frameguard: { action: 'deny' },
    });
    // Only what the app uses: Bluetooth straps and the phone's position on the Record page.
    const permissions = 'bluetooth=(self), geolocation=(self), camera=(), microphone=(), usb=(), payment=()';
    app.addHook('onSend', async (req, reply, payload) => {
      reply.header('permissions-policy', permissions);
      // Answers for a signed-in caller are theirs alone: never kept by a shared or browser cache.
      if (req.principal && !reply.hasHeader('cache-control')) {
        const type = String(reply.getHeader('content-type') ?? '');
        if (type.startsWith('application/json')) reply.header('cache-control', 'private, no-store');
      }
      return payload;
    });
  },
  { name: 'helmet' },
);
