import { garminWebhookPath, publicBaseUrl } from '@athlete/services';
import fp from 'fastify-plugin';

/**
 * PROVIDER_SANDBOX=true (the demo): runs the local WHOOP/Garmin look-alike inside this process on
 * a loopback port and points the WHOOP_* and GARMIN_* URLs and client credentials at it, so
 * "Connect WHOOP" works with no internet. Garmin backfill notifications are posted to our own
 * webhook at PUBLIC_URL (or http://localhost:PORT). Loaded lazily: production never imports it.
 */
export default fp(
  async (app) => {
    const { config } = app;
    if (!config.PROVIDER_SANDBOX) return;
    if (config.NODE_ENV === 'production') {
      app.log.warn('PROVIDER_SANDBOX=true in production: providers point at the local sandbox');
    }
    const { buildSandbox, SANDBOX_GARMIN_CLIENT, SANDBOX_WHOOP_CLIENT } = await import(
      '@athlete/provider-sandbox'
    );
    const sandbox = await buildSandbox({
      days: config.PROVIDER_SANDBOX_DAYS,
      // The token derives from the sandbox's client secret, as it will once configured below.
      garminNotificationUrl: `${publicBaseUrl(config)}${garminWebhookPath({ ...config, GARMIN_CLIENT_SECRET: SANDBOX_GARMIN_CLIENT.clientSecret })}`,
    });
    const address = await sandbox.listen({ host: '127.0.0.1', port: 0 });
    // The one place configuration changes after boot: every reader takes the URLs at call time.
    Object.assign(config, {
      WHOOP_CLIENT_ID: SANDBOX_WHOOP_CLIENT.clientId,
      WHOOP_CLIENT_SECRET: SANDBOX_WHOOP_CLIENT.clientSecret,
      WHOOP_API_URL: `${address}/whoop/developer`,
      WHOOP_OAUTH_URL: `${address}/whoop/oauth/oauth2`,
      GARMIN_CLIENT_ID: SANDBOX_GARMIN_CLIENT.clientId,
      GARMIN_CLIENT_SECRET: SANDBOX_GARMIN_CLIENT.clientSecret,
      GARMIN_API_URL: `${address}/garmin`,
      GARMIN_OAUTH_URL: `${address}/garmin/oauth2Confirm`,
      GARMIN_TOKEN_URL: `${address}/garmin/di-oauth2-service/oauth/token`,
    });
    app.decorate('providerSandbox', sandbox);
    app.addHook('onClose', async () => sandbox.close());
    app.log.info({ address }, 'provider sandbox running; WHOOP and Garmin point at it');
  },
  { name: 'provider-sandbox' },
);

declare module 'fastify' {
  interface FastifyInstance {
    /** The in-process provider sandbox when PROVIDER_SANDBOX=true. */
    providerSandbox?: import('fastify').FastifyInstance;
  }
}
