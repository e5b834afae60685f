import type { ErrorBody } from '@athlete/contracts';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** OpenAPI document generated from the zod route schemas; UI at /docs, JSON at /docs/json. */
export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Athlete Platform API',
          version: '1',
          description: 'Live and historical biometric data for athletes and coaches.',
        },
        components: {
          securitySchemes: {
            bearer: { type: 'http', scheme: 'bearer' },
            cookie: { type: 'apiKey', in: 'cookie', name: 'ap_session' },
          },
        },
        security: [{ bearer: [] }, { cookie: [] }],
      },
      transform: jsonSchemaTransform,
    });
    const open = app.config.API_DOCS_PUBLIC ?? app.config.NODE_ENV !== 'production';
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      // In production the API's map is for signed-in users (the app links it) unless opened up.
      uiHooks: open
        ? {}
        : {
            // The UI's routes sit outside the app's error handler: answer in its envelope here.
            preHandler: async (req, reply) => {
              if (req.principal?.kind === 'user') return;
              const error = { code: 'UNAUTHENTICATED', message: 'Sign in to read the API documentation' };
              return reply.code(401).send({ error } satisfies ErrorBody);
            },
          },
    });
  },
  { name: 'swagger' },
);
