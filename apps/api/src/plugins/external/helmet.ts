import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';

/** Security headers. The CSP allows map tiles from any https origin (tile URL is configurable). */
export default fp(
  async (app) => {
    await app.register(helmet, {
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
          connectSrc: ["'self'", 'ws:', 'wss:'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          scriptSrc: ["'self'"],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
        },
      },
      hsts: app.config.NODE_ENV === 'production',
      crossOriginEmbedderPolicy: false,
    });
  },
  { name: 'helmet' },
);
