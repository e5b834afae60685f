import { buildSandbox } from './app.ts';
import { loadSandboxEnv } from './env.ts';

const env = loadSandboxEnv();
const app = await buildSandbox({
  days: env.SANDBOX_DAYS,
  publicUrl: env.SANDBOX_PUBLIC_URL,
  garminNotificationUrl: env.GARMIN_NOTIFICATION_URL,
  logger: env.SANDBOX_LOG === 'true',
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

const address = await app.listen({ port: env.PORT, host: env.HOST });
app.log.info(
  `provider sandbox on ${address} (WHOOP under /whoop, Garmin under /garmin, controls under /_sandbox)`,
);
