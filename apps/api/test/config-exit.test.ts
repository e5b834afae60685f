import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const server = join(import.meta.dirname, '../src/server.ts');
const worker = join(import.meta.dirname, '../../worker/src/main.ts');
// The tsx CLI, as `pnpm start` runs it (autoload recognises it as a TypeScript runtime).
const tsx = new URL(import.meta.resolve('tsx/cli')).pathname;

function start(env: Record<string, string>, cwd = process.cwd(), entry = server) {
  return spawnSync(process.execPath, [tsx, entry], {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('start-up with bad configuration', () => {
  it('exits non-zero naming a bad environment variable', () => {
    const r = start({ PORT: 'not-a-port', REDIS_URL: 'http://nope' });
    expect(r.status).toBe(78);
    expect(r.stderr).toContain('PORT:');
    expect(r.stderr).toContain('REDIS_URL:');
  });

  it('exits non-zero naming a bad config.yaml value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'config.yaml'), 'LOG_LEVEL: loud\n');
    const r = start({}, dir);
    expect(r.status).toBe(78);
    expect(r.stderr).toContain('LOG_LEVEL:');
  });

  it('stops the worker the same way', () => {
    const r = start({ WORKER_METRICS_PORT: 'ninety' }, process.cwd(), worker);
    expect(r.status).toBe(78);
    expect(r.stderr).toContain('WORKER_METRICS_PORT:');
  });
});
