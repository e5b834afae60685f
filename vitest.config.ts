import { defineConfig } from 'vitest/config';

const pkgs = ['core', 'contracts', 'config', 'db', 'platform', 'providers', 'services'];
const apps = ['api', 'worker', 'simulator', 'provider-sandbox'];

/**
 * One project per workspace package; each keeps its tests under test/. Integration tests talk
 * to the real Postgres and Redis on this machine (see CONTRIBUTING.md), so files run in
 * separate forks with bounded parallelism sized for a 2-core machine.
 */
export default defineConfig({
  test: {
    reporters: ['default', ['json', { outputFile: 'artifacts/vitest.json' }]],
    projects: [
      ...pkgs.map((p) => ({
        test: {
          name: `@athlete/${p}`,
          root: `packages/${p}`,
          include: ['test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      })),
      ...apps.map((a) => ({
        test: {
          name: `@athlete/${a}`,
          root: `apps/${a}`,
          include: ['test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // @fastify/autoload imports route files itself: inline it so those imports go through
          // Vite's TypeScript transform, as tsx does at run time.
          server: { deps: { inline: ['@fastify/autoload'] } },
        },
      })),
      {
        test: {
          name: '@athlete/web',
          root: 'apps/web',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
          environment: 'node',
        },
      },
    ],
    pool: 'forks',
    maxWorkers: 3,
  },
});
