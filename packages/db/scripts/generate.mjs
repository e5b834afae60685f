// Runs `prisma generate` offline. The CLI insists on locating a schema-engine binary even
// though generate never uses it; any existing file satisfies the check (see ENVIRONMENT.md).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
execFileSync('pnpm', ['exec', 'prisma', 'generate', '--schema', `${root}/prisma/schema.prisma`], {
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  },
});
