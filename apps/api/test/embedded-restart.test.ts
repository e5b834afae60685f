import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const server = join(import.meta.dirname, '../src/server.ts');
// The tsx CLI, as `pnpm start` runs it (autoload recognises it as a TypeScript runtime).
const tsx = new URL(import.meta.resolve('tsx/cli')).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'ap-embedded-'));
const webDir = join(dataDir, 'web');
mkdirSync(webDir);
writeFileSync(
  join(webDir, 'index.html'),
  '<!doctype html><title>Athlete Platform</title><div id="root"></div>',
);

/** Starts the real server process with no services configured, as the Quickstart demo does. */
async function startServer(): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, [tsx, server], {
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      WEB_DIST_DIR: webDir,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 90_000);
    proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = out.match(/ready at (http:\/\/[^"\s]+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: m[1]!.replace('localhost', '127.0.0.1') });
      }
    });
    proc.stderr!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    proc.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
}

async function stop(proc: ChildProcess) {
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await exited;
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('embedded default (no DATABASE_URL, REDIS_URL or S3_BUCKET)', () => {
  it('serves health and the web app, and keeps its data across a restart', async () => {
    const first = await startServer();
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    const ready = await (await fetch(`${first.url}/readyz`)).json();
    expect(ready).toMatchObject({ status: 'ready', checks: { database: true, objectStore: true } });
    const page = await fetch(`${first.url}/dashboard`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');

    const email = 'restart@example.com';
    const password = 'a-long-enough-password';
    const reg = await fetch(`${first.url}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password, name: 'Restart Test', role: 'athlete' }),
    });
    expect(reg.status).toBe(201);
    await stop(first.proc);

    const second = await startServer();
    try {
      const login = await fetch(`${second.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      expect(login.status).toBe(200);
      const { token } = (await login.json()) as { token: string };
      const me = await fetch(`${second.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(((await me.json()) as { user: { email: string } }).user.email).toBe(email);
    } finally {
      await stop(second.proc);
    }
  }, 240_000);
});
