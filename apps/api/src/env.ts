import { type Config, ConfigError, loadConfig } from '@athlete/config';

/** The api's one read of the environment. Exits with a message naming each bad variable. */
export function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}
