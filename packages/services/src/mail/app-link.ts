import type { Config } from '@athlete/config';

/**
 * An absolute link into the web app for a mail: PUBLIC_URL, else this server's own port on
 * localhost (embedded mode on one machine). A mail cannot carry a relative link.
 */
export function appLink(config: Pick<Config, 'PUBLIC_URL' | 'PORT'>, path: string): string {
  const base = config.PUBLIC_URL?.replace(/\/+$/, '') ?? `http://localhost:${config.PORT}`;
  return `${base}${path}`;
}
