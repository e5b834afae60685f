import { publicConfigSchema } from '@athlete/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const publicConfig: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      schema: {
        tags: ['platform'],
        summary: 'What the web app needs to know about this server (public)',
        response: { 200: publicConfigSchema },
      },
    },
    async () => ({ simulationMode: app.config.SIMULATION_MODE }),
  );
};

export default publicConfig;
