import multipart from '@fastify/multipart';
import fp from 'fastify-plugin';

export default fp(
  async (app) => {
    await app.register(multipart, {
      limits: { fileSize: app.config.UPLOAD_LIMIT_BYTES, files: 1, fields: 10 },
    });
  },
  { name: 'multipart' },
);
