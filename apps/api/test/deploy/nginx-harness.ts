import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '../../../..');
const nginxDir = join(repoRoot, 'nginx');

export function nginxBinary(): string {
  for (const bin of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (existsSync(bin)) return bin;
  throw new Error(
    'nginx is not installed: `apt-get install -y nginx-light` (scripts/run.mjs does it for `npm test`)',
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number, proc: ChildProcess, stderr: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`nginx exited (${proc.exitCode}): ${stderr()}`);
    const open = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not listen on ${port}: ${stderr()}`);
}

/** Replaces ${NAME} for the given names only, like the nginx image's envsubst step. */
export function renderTemplate(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{([A-Z_]+)\}/g, (whole, name: string) => vars[name] ?? whole);
}

export interface RunningNginx {
  httpPort: number;
  httpsPort: number;
  /** The throwaway CA/certificate clients must trust. */
  cert: Buffer;
  stop(): Promise<void>;
}

/**
 * Debian's nginx on loopback with the project's own configuration: nginx/nginx.conf (paths
 * moved into a temp dir), nginx/athlete/*.conf as they are, and the site template rendered
 * with a throwaway self-signed certificate, the given SPA directory and the api's port.
 */
export async function startNginx(opts: { apiPort: number; webRoot: string }): Promise<RunningNginx> {
  const dir = mkdtempSync(join(tmpdir(), 'ap-nginx-'));
  mkdirSync(join(dir, 'conf.d'));
  mkdirSync(join(dir, 'acme'));
  symlinkSync(join(nginxDir, 'athlete'), join(dir, 'athlete'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-nodes',
      '-newkey',
      'rsa:2048',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  chmodSync(key, 0o644);

  const main = readFileSync(join(nginxDir, 'nginx.conf'), 'utf8');
  const mainForTest = main
    .replaceAll('/tmp/', `${dir}/`)
    .replace('/var/log/nginx/access.log', `${dir}/access.log`)
    .replace('/etc/nginx/conf.d/*.conf', `${dir}/conf.d/*.conf`);
  if (mainForTest === main || !mainForTest.includes(`${dir}/conf.d/*.conf`)) {
    throw new Error('nginx/nginx.conf no longer has the paths this harness relocates (/tmp/…, conf.d)');
  }
  // Started as root, nginx hands its workers to `nobody`, who cannot read a checkout inside a
  // private (mode 700) home directory: keep them as the user running the tests. (Not as root,
  // nginx cannot switch users and the workers are that user already.)
  const workersAsUs = process.getuid?.() === 0 ? 'user root root;\n' : '';
  writeFileSync(join(dir, 'nginx.conf'), workersAsUs + mainForTest);

  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  const site = renderTemplate(readFileSync(join(nginxDir, 'templates/athlete.conf.template'), 'utf8'), {
    SERVER_NAME: 'localhost',
    API_UPSTREAM: `127.0.0.1:${opts.apiPort}`,
    TLS_CERT: cert,
    TLS_KEY: key,
    WEB_ROOT: opts.webRoot,
    ACME_ROOT: join(dir, 'acme'),
    HTTP_PORT: `127.0.0.1:${httpPort}`,
    HTTPS_PORT: `127.0.0.1:${httpsPort}`,
  });
  if (/\$\{[A-Z_]+\}/.test(site))
    throw new Error(`unrendered template variable: ${site.match(/\$\{[A-Z_]+\}/)}`);
  writeFileSync(join(dir, 'conf.d/athlete.conf'), site);

  const bin = nginxBinary();
  const args = ['-p', `${dir}/`, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'];
  execFileSync(bin, [...args.slice(0, 4), '-t', '-q'], { stdio: 'pipe' });
  const proc = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  await waitForPort(httpsPort, 10_000, proc, () => stderr);
  await waitForPort(httpPort, 10_000, proc, () => stderr);

  return {
    httpPort,
    httpsPort,
    cert: readFileSync(cert),
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGQUIT');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One HTTP(S) request to loopback, no automatic decompression or redirects. */
export function call(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: Buffer | string; ca?: Buffer } = {},
): Promise<Answer> {
  const u = new URL(url);
  const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      u,
      {
        method: opts.method ?? 'GET',
        headers: opts.headers,
        ca: opts.ca,
        servername: 'localhost',
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** The built SPA when there is one, else a tiny stand-in with the same layout (index + hashed assets). */
export function spaDist(): { dir: string; asset: string; cleanup(): void } {
  const built = join(repoRoot, 'apps/web/dist');
  if (existsSync(join(built, 'index.html')) && existsSync(join(built, 'assets'))) {
    const asset = readdirAssets(join(built, 'assets'));
    if (asset) return { dir: built, asset: `/assets/${asset}`, cleanup() {} };
  }
  const dir = mkdtempSync(join(tmpdir(), 'ap-dist-'));
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html><head><title>Athlete Platform</title><script type="module" src="/assets/index-a1b2c3d4.js"></script></head><body><div id="root"></div></body></html>',
  );
  writeFileSync(
    join(dir, 'assets/index-a1b2c3d4.js'),
    `console.log(${JSON.stringify('athlete '.repeat(600))});\n`,
  );
  return {
    dir,
    asset: '/assets/index-a1b2c3d4.js',
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function readdirAssets(dir: string): string | undefined {
  // The largest script: big enough to be gzipped.
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0];
}
