import { loadConfigOrExit } from '@athlete/config';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.ts';
import { loggerOptions } from './logger.ts';

const config = loadConfigOrExit();
const app = await buildApp({ config, logger: loggerOptions(config) });

closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'closing after an uncaught error');
  else app.log.info({ signal }, 'shutting down: draining connections');
  await app.close();
});

try {
  await app.listen({ host: config.HOST, port: config.PORT });
  const shown = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  const port = (app.server.address() as { port: number }).port;
  app.log.info(
    { mode: app.deps.platform.mode, database: app.deps.db.kind },
    `Athlete Platform is ready at ${config.PUBLIC_URL ?? `http://${shown}:${port}`}`,
  );
} catch (err) {
  app.log.fatal({ err }, 'could not start');
  process.exit(1);
}
