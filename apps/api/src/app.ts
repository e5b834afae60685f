import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Config } from '@athlete/config';
import autoload from '@fastify/autoload';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';

export interface BuildAppOptions {
  config: Config;
  logger?: FastifyServerOptions['logger'];
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
  }
}

/** Builds the API. Registers plugins only: external, then our own, then routes (fastify/demo). */
export async function buildApp({ config, logger = false }: BuildAppOptions) {
  const app = Fastify({
    logger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    forceCloseConnections: true,
    return503OnClosing: true,
    // Fastify's default of 10 s per plugin is too tight for the `deps` plugin on a first start:
    // a fresh embedded database runs initdb in WASM and every migration (4–11 s seen on a busy
    // 2-core machine), and Postgres may still be starting. Readiness (/readyz) is what
    // orchestrators wait on; this only bounds a start that truly hangs.
    pluginTimeout: 120_000,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('config', config);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  const dir = import.meta.dirname;
  await app.register(autoload, { dir: join(dir, 'plugins/external'), encapsulate: false, forceESM: true });
  await app.register(autoload, { dir: join(dir, 'plugins/app'), encapsulate: false, forceESM: true });
  await app.register(autoload, {
    dir: join(dir, 'routes'),
    autoHooks: true,
    cascadeHooks: true,
    forceESM: true,
    // Folders named `_param` become route parameters (`/:param`); files starting with `_` are helpers.
    routeParams: true,
    ignorePattern: /(^|\/)_[^/]*\.ts$|\.test\.ts$/,
  });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
