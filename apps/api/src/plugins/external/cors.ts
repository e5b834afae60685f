import cors from '@fastify/cors';
import fp from 'fastify-plugin';

/** CORS only for the configured origins; the SPA itself is same-origin and needs none. */
export default fp(
  async (app) => {
    const origins = app.config.CORS_ORIGINS;
    await app.register(cors, {
      origin: origins.length ? origins : false,
      credentials: true,
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    });
  },
  { name: 'cors' },
);
