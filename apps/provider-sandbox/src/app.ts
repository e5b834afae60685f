import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { SandboxContext } from './context.ts';
import { createSandboxControl, type SandboxControl } from './control.ts';
import { resolveOptions, type SandboxOptions } from './options.ts';
import { registerAdminRoutes } from './routes/admin.ts';
import { registerGarminRoutes } from './routes/garmin.ts';
import { registerWhoopRoutes } from './routes/whoop.ts';

declare module 'fastify' {
  interface FastifyInstance {
    sandbox: SandboxControl;
  }
}

/**
 * The provider sandbox: a local WHOOP v2 + Garmin look-alike with OAuth consent, deterministic
 * data, webhooks/pings, and fault modes. Tests drive it with `app.inject` or `listen`.
 */
export async function buildSandbox(options: SandboxOptions = {}): Promise<FastifyInstance> {
  const resolved = resolveOptions(options);
  const context = new SandboxContext(resolved);
  const app = Fastify({ logger: resolved.logger });

  await app.register(formbody);
  app.decorateRequest('grant', null);
  app.decorate('sandbox', createSandboxControl(context));
  app.addHook('onListen', async () => {
    const address = app.server.address();
    if (address !== null && typeof address === 'object') {
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      context.setListenUrl(
        `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`,
      );
    }
  });
  app.addHook('onClose', async () => context.close());

  registerAdminRoutes(app, context);
  registerWhoopRoutes(app, context);
  registerGarminRoutes(app, context);
  return app;
}
