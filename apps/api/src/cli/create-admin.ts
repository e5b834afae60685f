/**
 * Creates the first admin, or promotes an existing account:
 *   pnpm --filter @athlete/api exec tsx src/cli/create-admin.ts --email you@example.com [--name "You"]
 * A new account's password is read from ADMIN_PASSWORD or stdin (never from argv, which other
 * users of the machine can see).
 */
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '@athlete/config';
import { createDatabase } from '@athlete/db';
import { createPlatform } from '@athlete/platform';
import {
  type Deps,
  LOG_CENSOR,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  promoteToAdmin,
  registerUser,
  SECRET_LOG_PATHS,
} from '@athlete/services';
import pino from 'pino';
import { Registry } from 'prom-client';

const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' } } });
if (!values.email) {
  process.stderr.write('usage: create-admin.ts --email <email> [--name <name>]\n');
  process.exit(64);
}
const email = values.email.trim().toLowerCase();

async function readPassword(): Promise<string> {
  const fromEnv = process.env.ADMIN_PASSWORD;
  if (fromEnv) return fromEnv;
  process.stderr.write('password for the new admin (then Enter): ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (chunks.join('').includes('\n')) break;
  }
  return Buffer.concat(chunks).toString('utf8').split('\n')[0]?.trim() ?? '';
}

const config = loadConfigOrExit();
const log = pino({ level: 'warn', redact: { paths: SECRET_LOG_PATHS, censor: LOG_CENSOR } });
const db = await createDatabase(config, { migrate: !config.DATABASE_URL });
const platform = await createPlatform(config);
const deps: Deps = { config, db, platform, log, metrics: new Registry() };
try {
  const existing = await db.prisma.user.findUnique({ where: { email } });
  if (existing) {
    const user = await promoteToAdmin({ deps, email });
    process.stdout.write(`${user.email} is now an admin\n`);
  } else {
    const password = await readPassword();
    if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
      throw new Error(`password must be ${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} characters`);
    }
    const user = await registerUser({
      deps,
      input: { email, password, name: values.name ?? 'Admin' },
      role: 'admin',
    });
    process.stdout.write(`created admin ${user.email}\n`);
  }
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
} finally {
  await platform.close();
  await db.close();
}
