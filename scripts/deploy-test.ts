// The deploy test (`pnpm test:deploy`; the last phase of `npm test`). Builds the production
// images from this checkout, brings up docker-compose.prod.yml with the test-only override
// docker-compose.deploy-test.yml, and checks the running stack from outside, through the TLS
// edge only, as a user and an operator would. Prints every step with its time, writes
// artifacts/deploy.json (image sizes, build times, time to healthy) and removes everything it
// started. It skips, loudly, only when no Docker engine can run on this machine.
//
// What stands in for what a droplet has (docs/DEPLOY.md): the machine's Postgres (a fresh
// database) and Redis (a key prefix of its own) are the managed services, an s3rver is Spaces,
// a self-signed certificate is Let's Encrypt's, and the provider sandbox is WHOOP.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  authResponseSchema,
  integrationsResponseSchema,
  inviteResponseSchema,
  teamResponseSchema,
  teamsResponseSchema,
  wsLiveServerMessageSchema,
} from '@athlete/contracts';
import { startS3Server, type TestS3Server } from '@athlete/platform/testing';
import { WebSocket } from 'ws';
import { parse as parseYaml } from 'yaml';
import { DEMO_COACH_EMAIL, DEMO_PASSWORD } from '../apps/api/src/demo-accounts.ts';

const root = join(import.meta.dirname, '..');
const started = Date.now();
const run = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const PG = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';
const BASE_IMAGES = {
  NODE_IMAGE: 'localhost/node:20-bookworm-slim',
  DEBIAN_IMAGE: 'localhost/debian:bookworm-slim',
};
const IMAGES = {
  api: { tag: 'athlete-platform/api:deploy-test', dockerfile: 'apps/api/Dockerfile', target: 'api' },
  worker: { tag: 'athlete-platform/worker:deploy-test', dockerfile: 'apps/api/Dockerfile', target: 'worker' },
  edge: { tag: 'athlete-platform/edge:deploy-test', dockerfile: 'apps/web/Dockerfile', target: 'edge' },
} as const;

// ---------------------------------------------------------------------------------------------
// Steps, timing, report

interface StepResult {
  name: string;
  ok: boolean;
  seconds: number;
  detail?: string;
}
const steps: StepResult[] = [];
const report: Record<string, unknown> = { run, startedAt: new Date(started).toISOString() };
const cleanups: Array<{ name: string; fn: () => Promise<void> | void }> = [];
/** Set once the stack is healthy: later checks are independent. */
let softFailures = false;
const secs = (ms: number) => Math.round(ms / 100) / 10;

async function step<T>(name: string, fn: () => Promise<T>, detail?: (value: T) => string): Promise<T> {
  const t0 = Date.now();
  console.log(`▸ ${name}`);
  try {
    const value = await fn();
    const s = secs(Date.now() - t0);
    const d = detail?.(value);
    steps.push({ name, ok: true, seconds: s, ...(d ? { detail: d } : {}) });
    console.log(`  ✔ ${name} (${s} s)${d ? `: ${d}` : ''}`);
    return value;
  } catch (err) {
    const s = secs(Date.now() - t0);
    const message = err instanceof Error ? err.message : String(err);
    steps.push({ name, ok: false, seconds: s, detail: message });
    console.log(`  ✖ ${name} (${s} s): ${message}`);
    // Once the stack is up, one failed check does not hide the others.
    if (softFailures) return undefined as T;
    throw err;
  }
}

function onCleanup(name: string, fn: () => Promise<void> | void) {
  cleanups.unshift({ name, fn });
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

// ---------------------------------------------------------------------------------------------
// Processes

interface Out {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (asynchronously, so timers and sockets keep running). */
function sh(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; quiet?: boolean } = {},
) {
  return new Promise<Out>((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd ?? root,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ status: code ?? 1, stdout, stderr }));
  });
}

async function must(cmd: string, args: string[], opts: Parameters<typeof sh>[2] = {}): Promise<string> {
  const r = await sh(cmd, args, opts);
  if (r.status !== 0) {
    const tail = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-25).join('\n');
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${tail}`);
  }
  return r.stdout;
}

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

async function aptInstall(packages: string[]) {
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const [bin, ...pre] = process.getuid?.() === 0 ? ['apt-get'] : ['sudo', 'apt-get'];
  if ((await sh(bin!, [...pre, 'install', '-y', '-q', ...packages], { env })).status === 0) return;
  await sh(bin!, [...pre, 'update', '-q'], { env });
  await must(bin!, [...pre, 'install', '-y', '-q', ...packages], { env });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await sleep(500);
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s${last ? ` (last: ${String(last)})` : ''}`);
}

// ---------------------------------------------------------------------------------------------
// Docker engine: the one already running, or our own (host networking only, no bridge)

interface Engine {
  env: NodeJS.ProcessEnv;
  own: boolean;
}

async function engineAnswers(env: NodeJS.ProcessEnv): Promise<boolean> {
  return (await sh('docker', ['info', '--format', '{{.ServerVersion}}'], { env })).status === 0;
}

/** undefined: no engine can run here (the one reason to skip). */
async function startEngine(): Promise<Engine | { skip: string }> {
  if (!has('docker')) return { skip: 'the docker CLI is not installed' };
  if (await engineAnswers({})) return { env: {}, own: false };
  if (!has('dockerd')) return { skip: 'no Docker engine answers and dockerd is not installed' };
  // Short paths: containerd's sockets live under exec-root (unix socket paths are limited).
  const dir = mkdtempSync('/var/tmp/ap-dockerd-');
  const exec = mkdtempSync('/tmp/apx-');
  const sock = join(dir, 'docker.sock');
  const log = join(dir, 'dockerd.log');
  // --bridge=none and no iptables: the engine creates no network and leaves the firewall alone.
  const child = spawn(
    'sh',
    [
      '-c',
      `exec dockerd --data-root ${dir}/root --exec-root ${exec} --pidfile ${dir}/dockerd.pid -H unix://${sock} ` +
        `--bridge=none --iptables=false --ip-forward=false --ip-masq=false >${log} 2>&1`,
    ],
    { stdio: 'ignore' },
  );
  const env = { DOCKER_HOST: `unix://${sock}` };
  onCleanup('stop our dockerd and remove its data', async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([new Promise((r) => child.once('exit', r)), sleep(30_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    // dockerd leaves its network namespace mounted under exec-root.
    const mounts = readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((l) => l.split(' ')[1] ?? '')
      .filter((m) => m.startsWith(`${dir}/`) || m.startsWith(`${exec}/`))
      .sort()
      .reverse();
    for (const m of mounts) await sh('umount', ['-l', m]);
    rmSync(dir, { recursive: true, force: true });
    rmSync(exec, { recursive: true, force: true });
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    if (await engineAnswers(env)) return { env, own: true };
    await sleep(500);
  }
  const why = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').slice(-5).join('\n') : '';
  return { skip: `dockerd did not start:\n${why}` };
}

// ---------------------------------------------------------------------------------------------
// HTTP(S) through the edge: trusts only the test's certificate, sends SNI localhost

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

function call(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; ca?: Buffer } = {},
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
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}

// ---------------------------------------------------------------------------------------------
// The test

interface Stack {
  engine: Engine;
  compose: (args: string[]) => Promise<string>;
  project: string;
  ports: { api: number; workerMetrics: number; http: number; https: number };
  origin: string;
  ca: Buffer;
  databaseUrl: string;
  s3: TestS3Server;
  sandboxUrl: string;
}

function dbUrl(name: string): string {
  const u = new URL(PG);
  u.pathname = `/${name}`;
  return u.toString();
}

async function psql(url: string, sql: string): Promise<string> {
  return (await must('psql', [url, '-XAtqc', sql])).trim();
}

async function createDatabase(name: string) {
  await psql(PG, `CREATE DATABASE "${name}"`);
  onCleanup(`drop database ${name}`, async () => {
    await sh('psql', [PG, '-XAtqc', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`]);
  });
}

interface ImageSpec {
  tag: string;
  dockerfile: string;
  target: string;
}

async function build(
  img: ImageSpec,
  builder: 'buildah' | 'docker',
  engine: Engine,
): Promise<{ seconds: number; bytes: number; cached: number; steps: number }> {
  const t0 = Date.now();
  const buildArgs = Object.entries(BASE_IMAGES).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]);
  let out: string;
  if (builder === 'buildah') {
    out = await must('buildah', [
      'bud',
      '--network',
      'host',
      '--isolation',
      'chroot',
      '--layers',
      // HEALTHCHECK is a Docker-format field (OCI images drop it).
      '--format',
      'docker',
      ...buildArgs,
      '-f',
      img.dockerfile,
      '--target',
      img.target,
      '-t',
      `localhost/${img.tag}`,
      '.',
    ]);
  } else {
    out = await must(
      'docker',
      [
        'buildx',
        'build',
        '--load',
        '--network',
        'host',
        ...buildArgs,
        '-f',
        img.dockerfile,
        '--target',
        img.target,
        '-t',
        img.tag,
        '.',
      ],
      { env: engine.env },
    );
  }
  const seconds = secs(Date.now() - t0);
  if (builder === 'buildah') {
    // Hand the image to the engine (the docker-daemon: transport does not work with it here).
    const tar = join(tmpdir(), `ap-${img.tag.replace(/\W+/g, '-')}-${run}.tar`);
    try {
      await must('buildah', ['push', '--quiet', `localhost/${img.tag}`, `docker-archive:${tar}:${img.tag}`]);
      await must('docker', ['load', '-q', '-i', tar], { env: engine.env });
    } finally {
      rmSync(tar, { force: true });
    }
  }
  const bytes = Number(
    (
      await must('docker', ['image', 'inspect', '--format', '{{.Size}}', img.tag], { env: engine.env })
    ).trim(),
  );
  const cached = (out.match(/Using cache/g) ?? []).length;
  const total = (out.match(/STEP \d+\/\d+/g) ?? []).length;
  return { seconds, bytes, cached, steps: total };
}

async function main(): Promise<number> {
  console.log('Deploy test: production images and docker-compose.prod.yml, checked through the TLS edge');

  const engineOrSkip = await step('Docker engine', startEngine, (e) =>
    'skip' in e
      ? 'none'
      : e.own
        ? 'started our own dockerd (--bridge=none, host networking)'
        : 'using the running engine',
  );
  if ('skip' in engineOrSkip) return skip(engineOrSkip.skip);
  const engine = engineOrSkip;

  const builder = await step(
    'image builder',
    async () => {
      if ((await sh('docker', ['buildx', 'version'], { env: engine.env })).status === 0)
        return 'docker' as const;
      if (!has('buildah') || !has('debootstrap')) await aptInstall(['buildah', 'debootstrap']);
      return 'buildah' as const;
    },
    (b) => (b === 'docker' ? 'docker buildx' : 'buildah (no buildx here)'),
  );
  if (builder === 'buildah') {
    // No image registry is reachable here: the bases are made from Debian packages.
    await step('base images (scripts/deploy/base-images.sh)', () =>
      must('bash', ['scripts/deploy/base-images.sh']),
    );
  }

  const images: Record<string, { bytes: number; mb: number; buildSeconds: number; cachedSteps: string }> = {};
  const buildStart = Date.now();
  for (const name of ['api', 'worker', 'edge'] as const) {
    const b = await step(
      `build ${name} image (${IMAGES[name].dockerfile} --target ${IMAGES[name].target})`,
      () => build(IMAGES[name], builder, engine),
      (v) => `${Math.round(v.bytes / 1e6)} MB, built in ${v.seconds} s, ${v.cached}/${v.steps} steps cached`,
    );
    images[name] = {
      bytes: b.bytes,
      mb: Math.round(b.bytes / 1e6),
      buildSeconds: b.seconds,
      cachedSteps: `${b.cached}/${b.steps}`,
    };
  }
  report.images = images;
  report.buildSeconds = secs(Date.now() - buildStart);

  const stack = await step(
    'managed services: Postgres database, Redis prefix, s3rver, provider sandbox',
    () => services(engine),
  );

  const timeToHealthy = await step(
    'docker-compose up (migrate, api, worker, nginx) until healthy',
    () => up(stack),
    (s) => `healthy ${s} s after up`,
  );
  report.timeToHealthySeconds = timeToHealthy;
  softFailures = true;

  await step(
    'migrations ran from the api image',
    async () => {
      const id = (await stack.compose(['ps', '-a', '-q', 'migrate'])).trim();
      const code = (
        await must('docker', ['inspect', '--format', '{{.State.ExitCode}}', id], { env: engine.env })
      ).trim();
      check(code === '0', `the migrate container exited ${code}`);
      const files = readdirSync(join(root, 'prisma/migrations')).filter((f) => f.endsWith('.sql')).length;
      const applied = Number(await psql(stack.databaseUrl, 'SELECT count(*) FROM schema_migrations'));
      check(applied === files, `${applied} migrations applied, ${files} in prisma/migrations`);
      return applied;
    },
    (n) => `${n} applied, migrate exited 0`,
  );

  await step(
    'no container network was created (host networking only)',
    async () => {
      const nets = (
        await must('docker', ['network', 'ls', '--format', '{{.Name}} {{.Driver}}'], { env: engine.env })
      )
        .trim()
        .split('\n');
      const extra = nets.filter((n) => !/^(host host|none null|bridge bridge)$/.test(n));
      check(extra.length === 0, `networks created: ${extra.join(', ')}`);
      for (const svc of ['api', 'worker', 'nginx']) {
        const id = (await stack.compose(['ps', '-q', svc])).trim();
        const mode = (
          await must('docker', ['inspect', '--format', '{{.HostConfig.NetworkMode}}', id], {
            env: engine.env,
          })
        ).trim();
        check(mode === 'host', `${svc} runs on network ${mode}`);
      }
      return nets.join(', ');
    },
    (n) => n,
  );

  await step('the SPA loads over TLS; plain HTTP redirects to HTTPS', async () => {
    const page = await call(`${stack.origin}/`, { ca: stack.ca });
    check(page.status === 200, `GET / → ${page.status}`);
    check(page.text.includes('<div id="root">'), 'index.html has no #root');
    check(String(page.headers['strict-transport-security']).includes('max-age'), 'no HSTS on the SPA');
    const asset = page.text.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    check(asset, 'index.html names no /assets/*.js');
    const js = await call(`${stack.origin}${asset}`, { ca: stack.ca });
    check(js.status === 200 && js.text.length > 1000, `GET ${asset} → ${js.status}`);
    check(
      String(js.headers['cache-control']).includes('immutable'),
      'hashed assets are not cached as immutable',
    );
    const deep = await call(`${stack.origin}/settings/integrations`, { ca: stack.ca });
    check(deep.status === 200 && deep.text.includes('<div id="root">'), 'a deep link does not serve the SPA');
    const plain = await call(`http://127.0.0.1:${stack.ports.http}/athletes?x=1`, {
      headers: { host: 'localhost' },
    });
    check(plain.status === 301, `plain HTTP → ${plain.status}`);
    check(
      plain.headers.location === 'https://localhost/athletes?x=1',
      `redirect to ${plain.headers.location}`,
    );
    return asset;
  });

  const users = await step(
    'register and log in through the edge',
    () => accounts(stack),
    (u) => `coach ${u.coach.email}, athlete ${u.athlete.email}`,
  );

  if (!users) throw new Error('no accounts: the checks that need them cannot run');
  await step(
    "a simulated athlete's samples reach the coach's /ws/live through nginx",
    () => live(stack, users),
    (n) => `${n} samples seen by the coach`,
  );

  await step(
    'the worker container runs a WHOOP sync against the provider sandbox',
    () => sync(stack, users),
    (r) => r,
  );

  await step(
    '/metrics is not public (only on the api port inside the host)',
    async () => {
      const pub = await call(`${stack.origin}/metrics`, { ca: stack.ca });
      check(pub.status === 404, `GET /metrics through the edge → ${pub.status}`);
      check(!pub.text.includes('process_cpu'), 'the edge leaked metrics');
      const inside = await call(`http://127.0.0.1:${stack.ports.api}/metrics`);
      check(inside.status === 200 && inside.text.includes('process_cpu'), `api /metrics → ${inside.status}`);
      const worker = await call(`http://127.0.0.1:${stack.ports.workerMetrics}/metrics`);
      check(worker.status === 200, `worker /metrics → ${worker.status}`);
      return 'edge 404, api and worker 200 on their own ports';
    },
    (s) => s,
  );

  await step(
    'scripts/backup.sh makes a dump that scripts/restore.sh restores',
    () => backup(stack, users),
    (s) => s,
  );

  // docker-compose.yml: the stack a developer starts with `docker compose up --build`.
  const dev = await devStack(engine, builder);
  report.devTimeToHealthySeconds = await step(
    'development stack: docker-compose up (migrate, sandbox, api, worker, web) until ready',
    () => devUp(dev),
    (s) => `ready ${s} s after up, migrations ran from the image`,
  );
  await step(
    'development stack: opened by a LAN address over plain HTTP',
    () => devAnyHost(dev),
    (s) => s,
  );
  await step(
    "development stack: the demo team streams to the demo coach's /ws/live through the web nginx",
    () => devDemoStreams(dev),
    (n) => `${n} demo athletes seen`,
  );
  await step(
    'development stack: Connect WHOOP through the sandbox service; the worker syncs',
    () => devSync(dev),
    (s) => s,
  );
  return 0;
}

function skip(reason: string): number {
  const bar = '!'.repeat(100);
  console.log(
    `\n${bar}\n!!  DEPLOY TEST SKIPPED: no Docker engine can run on this machine.\n!!  ${reason.split('\n').join('\n!!  ')}\n!!  Nothing about the images or docker-compose.prod.yml was checked.\n${bar}\n`,
  );
  report.skipped = reason;
  return 0;
}

async function services(engine: Engine): Promise<Stack> {
  const database = `ap_deploy_${run}`;
  await createDatabase(database);
  const databaseUrl = dbUrl(database);
  const prefix = `ap-deploy-${run}`;
  onCleanup('delete the run’s Redis keys', () => deleteRedisKeys(prefix));
  const s3 = await startS3Server();
  onCleanup('stop s3rver', () => s3.stop());

  const sandboxPort = await freePort();
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  const sandbox = spawn(join(root, 'node_modules/.bin/tsx'), ['src/cli.ts'], {
    cwd: join(root, 'apps/provider-sandbox'),
    env: {
      ...process.env,
      PORT: String(sandboxPort),
      HOST: '127.0.0.1',
      SANDBOX_DAYS: '3',
      SANDBOX_LOG: 'false',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  onCleanup('stop the provider sandbox', () => stopChild(sandbox));
  await until('provider sandbox listening', 30_000, async () =>
    (await portOpen(sandboxPort)) ? true : undefined,
  );

  const ports = {
    api: await freePort(),
    workerMetrics: await freePort(),
    http: await freePort(),
    https: await freePort(),
  };
  const origin = `https://localhost:${ports.https}`;

  const work = mkdtempSync(join(tmpdir(), 'ap-deploy-'));
  chmodSync(work, 0o755);
  onCleanup('remove the run’s files', () => rmSync(work, { recursive: true, force: true }));
  // The certificate certbot would install (nginx reads it as uid 101).
  const certDir = join(work, 'certs');
  mkdirSync(certDir, { mode: 0o755 });
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
      join(certDir, 'privkey.pem'),
      '-out',
      join(certDir, 'fullchain.pem'),
    ],
    { stdio: 'ignore' },
  );
  chmodSync(join(certDir, 'privkey.pem'), 0o644);
  chmodSync(certDir, 0o755);

  // .env.production as docs/DEPLOY.md has the operator write it.
  const envFile = join(work, 'env.production');
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PUBLIC_URL: origin,
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '5',
    REDIS_URL: REDIS,
    REDIS_PREFIX: prefix,
    S3_BUCKET: s3.bucket,
    S3_ENDPOINT: s3.endpoint,
    S3_REGION: s3.region,
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    S3_FORCE_PATH_STYLE: 'true',
    TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    COOKIE_SECURE: 'true',
    SERVE_WEB: 'false',
    WHOOP_CLIENT_ID: 'sandbox-whoop-client',
    WHOOP_CLIENT_SECRET: 'sandbox-whoop-secret',
    WHOOP_API_URL: `${sandboxUrl}/whoop/developer`,
    WHOOP_OAUTH_URL: `${sandboxUrl}/whoop/oauth/oauth2`,
  };
  writeFileSync(
    envFile,
    `${Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
    { mode: 0o600 },
  );

  const project = `apdeploy${run}`;
  const composeEnv = {
    ...engine.env,
    ENV_FILE: envFile,
    DOMAIN: 'localhost',
    GRAFANA_ADMIN_PASSWORD: randomBytes(12).toString('hex'),
    API_IMAGE: IMAGES.api.tag,
    WORKER_IMAGE: IMAGES.worker.tag,
    EDGE_IMAGE: IMAGES.edge.tag,
    DEPLOY_API_PORT: String(ports.api),
    DEPLOY_WORKER_METRICS_PORT: String(ports.workerMetrics),
    DEPLOY_HTTP_PORT: String(ports.http),
    DEPLOY_HTTPS_PORT: String(ports.https),
    DEPLOY_CERT_DIR: certDir,
  };
  const [bin, ...pre] = await composeClient(engine);
  // docker-compose.prod.yml + the override, as compose resolves them. Compose 1.29 refuses
  // `ports:` with host networking (the engine would discard them) and an override cannot remove
  // a list, so the services on host networking lose their `ports:` in the rendered file; nothing
  // else is changed.
  const rendered = await must(
    bin!,
    [...pre, '-f', 'docker-compose.prod.yml', '-f', 'docker-compose.deploy-test.yml', 'config'],
    { env: composeEnv },
  );
  const config = parseYaml(rendered) as { services: Record<string, Record<string, unknown>> };
  for (const svc of Object.values(config.services)) if (svc.network_mode === 'host') delete svc.ports;
  const composeFile = join(work, 'compose.json');
  // JSON is YAML that PyYAML (compose 1.29) reads without 1.1 surprises such as `restart: no`.
  writeFileSync(composeFile, JSON.stringify(config, null, 2));
  const files = ['-p', project, '--project-directory', root, '-f', composeFile];
  const compose = (args: string[]) => must(bin!, [...pre, ...files, ...args], { env: composeEnv });
  onCleanup('docker-compose down -v (containers, volumes)', async () => {
    if (process.exitCode || steps.some((s) => !s.ok)) {
      const logs = await sh(bin!, [...pre, ...files, 'logs', '--no-color', '--tail', '40'], {
        env: composeEnv,
      });
      console.log(`--- container logs (last lines) ---\n${logs.stdout}${logs.stderr}`);
    }
    await sh(bin!, [...pre, ...files, 'down', '-v', '--remove-orphans', '-t', '10'], { env: composeEnv });
    if (!engine.own)
      await sh('docker', ['image', 'rm', ...Object.values(IMAGES).map((i) => i.tag)], { env: engine.env });
  });
  return {
    engine,
    compose,
    project,
    ports,
    origin,
    ca: readFileSync(join(certDir, 'fullchain.pem')),
    databaseUrl,
    s3,
    sandboxUrl,
  };
}

async function composeClient(engine: Engine): Promise<string[]> {
  const client =
    (await sh('docker', ['compose', 'version'], { env: engine.env })).status === 0
      ? ['docker', 'compose']
      : ['docker-compose'];
  check(has(client[0]!), 'no compose client: install docker-compose (Debian) or the docker compose plugin');
  return client;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(5000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

async function up(stack: Stack): Promise<number> {
  const t0 = Date.now();
  await stack.compose(['up', '-d', '--no-build', 'migrate', 'api', 'worker', 'nginx']);
  await until('api, worker and nginx healthy', 180_000, async () => {
    for (const svc of ['api', 'worker', 'nginx']) {
      const id = (await stack.compose(['ps', '-q', svc])).trim();
      if (!id) return undefined;
      const health = (
        await must('docker', ['inspect', '--format', '{{.State.Health.Status}}', id], {
          env: stack.engine.env,
        })
      ).trim();
      if (health !== 'healthy') return undefined;
    }
    return true;
  });
  const seconds = secs(Date.now() - t0);
  const ready = await call(`${stack.origin}/readyz`, { ca: stack.ca });
  check(ready.status === 200, `/readyz through the edge → ${ready.status} ${ready.text}`);
  return seconds;
}

interface Users {
  coach: { email: string; token: string; id: string };
  athlete: { email: string; token: string; id: string };
}

async function json(
  stack: Stack,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<{ status: number; body: unknown; headers: Answer['headers'] }> {
  const res = await call(`${stack.origin}${path}`, {
    method,
    ca: stack.ca,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  let parsed: unknown = res.text;
  try {
    parsed = res.text ? JSON.parse(res.text) : null;
  } catch {}
  return { status: res.status, body: parsed, headers: res.headers };
}

async function accounts(stack: Stack): Promise<Users> {
  const password = `deploy-${run}-password`;
  const register = async (role: 'coach' | 'athlete') => {
    const email = `${role}-${run}@deploy.test`;
    const res = await json(stack, 'POST', '/api/v1/auth/register', null, {
      email,
      password,
      name: `Deploy ${role}`,
      role,
    });
    check(res.status === 201, `register ${role} → ${res.status} ${JSON.stringify(res.body)}`);
    return { email, ...authResponseSchema.parse(res.body) };
  };
  const coach = await register('coach');
  const athlete = await register('athlete');
  // A password login over TLS sets a Secure, HttpOnly session cookie (the SPA's way in).
  const login = await json(stack, 'POST', '/api/v1/auth/login', null, { email: athlete.email, password });
  check(login.status === 200, `login → ${login.status} ${JSON.stringify(login.body)}`);
  const session = authResponseSchema.parse(login.body);
  const cookie = String(login.headers['set-cookie'] ?? '');
  check(
    /;\s*Secure/i.test(cookie) && /HttpOnly/i.test(cookie),
    `session cookie not Secure+HttpOnly: ${cookie}`,
  );
  const me = await json(stack, 'GET', '/api/v1/me', session.token);
  check(
    me.status === 200 && JSON.stringify(me.body).includes(athlete.email),
    `GET /api/v1/me → ${me.status}`,
  );
  const wrong = await json(stack, 'POST', '/api/v1/auth/login', null, {
    email: athlete.email,
    password: 'not the password',
  });
  check(wrong.status === 401, `a wrong password → ${wrong.status}`);
  return {
    coach: { email: coach.email, token: coach.token, id: coach.user.id },
    athlete: { email: athlete.email, token: session.token, id: athlete.user.id },
  };
}

async function live(stack: Stack, users: Users): Promise<number> {
  const team = await json(stack, 'POST', '/api/v1/teams', users.coach.token, { name: `Deploy ${run}` });
  check(team.status === 201, `create team → ${team.status} ${JSON.stringify(team.body)}`);
  const teamId = teamResponseSchema.parse(team.body).team.id;
  const invite = await json(stack, 'POST', `/api/v1/teams/${teamId}/invites`, users.coach.token, {
    email: users.athlete.email,
  });
  check(invite.status === 201, `invite → ${invite.status}`);
  const code = inviteResponseSchema.parse(invite.body).invite.code;
  const accept = await json(stack, 'POST', `/api/v1/invites/${code}/accept`, users.athlete.token, {
    consent: { live: true, sessions: true, wellness: true },
  });
  check(accept.status === 200 || accept.status === 201, `accept invite → ${accept.status}`);

  // The coach watches the team over wss:// through nginx (the SPA's live page does the same).
  const viewer = new WebSocket(`wss://localhost:${stack.ports.https}/ws/live?teamId=${teamId}`, {
    ca: stack.ca,
    headers: { authorization: `Bearer ${users.coach.token}` },
  });
  let seen = 0;
  let snapshot = false;
  let unparsed = '';
  viewer.on('message', (data) => {
    const raw = JSON.parse(data.toString()) as {
      type?: string;
      athleteId?: string;
      samples?: Array<{ athleteId?: string }>;
    };
    // Counted from the frame itself (the hub names the athlete in each sample of a tick's
    // frame); a frame the contract does not describe is reported.
    if (!wsLiveServerMessageSchema.safeParse(raw).success) unparsed ||= data.toString().slice(0, 200);
    if (raw.type === 'snapshot') snapshot = true;
    if (raw.type === 'samples')
      seen += (raw.samples ?? []).filter((x) => (x.athleteId ?? raw.athleteId) === users.athlete.id).length;
  });
  await new Promise<void>((resolve, reject) => {
    viewer.once('open', () => resolve());
    viewer.once('error', reject);
    viewer.once('unexpected-response', (_req, res) =>
      reject(new Error(`/ws/live upgrade → ${res.statusCode}`)),
    );
  });
  await until('the snapshot frame', 10_000, async () => (snapshot ? true : undefined));

  // The simulator, as a user would run it against the site: wss:// through the edge.
  const caFile = join(tmpdir(), `ap-deploy-ca-${run}.pem`);
  writeFileSync(caFile, stack.ca);
  const sim = spawn(
    join(root, 'node_modules/.bin/tsx'),
    [
      'src/cli.ts',
      '--url',
      stack.origin,
      '--token',
      users.athlete.token,
      '--duration',
      '8',
      '--no-faults',
      '--json',
    ],
    {
      cwd: join(root, 'apps/simulator'),
      env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let simOut = '';
  sim.stdout?.on('data', (d: Buffer) => {
    simOut += d.toString();
  });
  try {
    const code = await new Promise<number>((resolve) => sim.once('exit', (c) => resolve(c ?? 1)));
    check(code === 0, `the simulator exited ${code}: ${simOut}`);
    const totals = JSON.parse(simOut.trim().split('\n').at(-1) ?? '{}') as { sent: number; acked: number };
    check(
      totals.acked > 0 && totals.acked === totals.sent,
      `simulator: ${totals.acked}/${totals.sent} acknowledged`,
    );
    await until('samples at the coach', 10_000, async () =>
      seen >= Math.min(5, totals.sent) ? true : undefined,
    );
    if (unparsed) console.log(`  ! a /ws/live frame does not match wsLiveServerMessageSchema: ${unparsed}`);
    return seen;
  } finally {
    await stopChild(sim);
    viewer.close();
    rmSync(caFile, { force: true });
  }
}

async function sync(stack: Stack, users: Users): Promise<string> {
  // The browser's OAuth round trip: connect (through the edge) → sandbox consent → callback.
  const start = await call(`${stack.origin}/api/v1/integrations/whoop/connect`, {
    ca: stack.ca,
    headers: { authorization: `Bearer ${users.athlete.token}` },
  });
  check(start.status === 302, `connect → ${start.status} ${start.text}`);
  const consent = new URL(String(start.headers.location));
  check(consent.origin === stack.sandboxUrl, `consent page on ${consent.origin}, not the sandbox`);
  const redirectUri = consent.searchParams.get('redirect_uri');
  check(redirectUri === `${stack.origin}/api/v1/integrations/whoop/callback`, `redirect_uri ${redirectUri}`);
  const form = new URLSearchParams(consent.searchParams);
  form.set('decision', 'allow');
  form.set('login', `whoop-${run}`);
  const answer = await call(`${stack.sandboxUrl}${consent.pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  check(answer.status === 302, `sandbox consent → ${answer.status}`);
  const back = new URL(String(answer.headers.location));
  check(back.origin === stack.origin, `the sandbox sends the browser to ${back.origin}`);
  const callback = await call(back.toString(), { ca: stack.ca });
  check(
    callback.status === 302 &&
      [
        `${stack.origin}/settings/integrations?connected=whoop`,
        '/settings/integrations?connected=whoop',
      ].includes(String(callback.headers.location)),
    `callback → ${callback.status} ${callback.headers.location}`,
  );
  // The api queues the backfill; only the worker container consumes the queue.
  const run1 = await until('the backfill run to succeed', 120_000, async () => {
    const res = await json(stack, 'GET', '/api/v1/integrations', users.athlete.token);
    const whoop = integrationsResponseSchema.parse(res.body).integrations.find((i) => i.provider === 'whoop');
    if (whoop?.lastRun?.status === 'failed') throw new Error(`sync failed: ${whoop.lastRun.error}`);
    return whoop?.lastRun?.status === 'succeeded' ? whoop.lastRun : undefined;
  });
  check(run1.itemsFetched > 0, 'the sync fetched nothing');
  const api = (await stack.compose(['logs', '--no-color', 'api'])).toString();
  const worker = (await stack.compose(['logs', '--no-color', 'worker'])).toString();
  check(/worker consuming jobs/.test(worker), 'the worker container never started consuming');
  check(!/worker consuming jobs/.test(api), 'the api consumes jobs too');
  const raw = Number(
    await psql(stack.databaseUrl, `SELECT count(*) FROM raw_objects WHERE user_id = '${users.athlete.id}'`),
  );
  check(raw > 0, 'no raw provider payload was stored in the object store');
  return `${run1.kind} run fetched ${run1.itemsFetched} items, ${raw} raw payloads in Spaces (s3rver)`;
}

async function backup(stack: Stack, users: Users): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ap-deploy-backup-'));
  onCleanup('remove the backup', () => rmSync(dir, { recursive: true, force: true }));
  const s3env = {
    S3_BUCKET: stack.s3.bucket,
    S3_ENDPOINT: stack.s3.endpoint,
    S3_REGION: stack.s3.region,
    S3_ACCESS_KEY_ID: stack.s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: stack.s3.secretAccessKey,
    S3_FORCE_PATH_STYLE: 'true',
  };
  await must('bash', ['scripts/backup.sh', dir], { env: { DATABASE_URL: stack.databaseUrl, ...s3env } });
  const [made] = readdirSync(dir);
  check(made, 'backup.sh wrote nothing');
  const dump = join(dir, made, 'database.dump');
  check(existsSync(dump), 'no database.dump');
  // Restore into a new, empty database and an empty object store (files), as after a loss.
  const target = `ap_deploy_${run}_restored`;
  await createDatabase(target);
  const objects = join(dir, 'restored');
  await must('bash', ['scripts/restore.sh', join(dir, made)], {
    env: { DATABASE_URL: dbUrl(target), DATA_DIR: objects, S3_BUCKET: '' },
  });
  const emails = await psql(
    dbUrl(target),
    `SELECT string_agg(email, ',' ORDER BY email) FROM users WHERE email IN ('${users.coach.email}', '${users.athlete.email}')`,
  );
  check(emails === [users.athlete.email, users.coach.email].sort().join(','), `restored users: ${emails}`);
  const samples = Number(
    await psql(dbUrl(target), `SELECT count(*) FROM samples WHERE athlete_id = '${users.athlete.id}'`),
  );
  check(samples > 0, 'the live samples were not restored');
  const keys = (
    await psql(dbUrl(target), `SELECT key FROM raw_objects WHERE user_id = '${users.athlete.id}'`)
  ).split('\n');
  const missing = keys.filter((k) => !existsSync(join(objects, 'objects', k)));
  check(
    keys.length > 0 && missing.length === 0,
    `objects missing after restore: ${missing.slice(0, 3).join(', ')}`,
  );
  const bytes = readFileSync(dump).length;
  return `dump ${Math.round(bytes / 1024)} KiB; restored both users, ${samples} samples and ${keys.length} objects`;
}

// ---------------------------------------------------------------------------------------------
// The development stack: docker-compose.yml, as `docker compose up --build` runs it

/** Where the "tablet on the LAN" says it opened the site from (Host/Origin of its requests). */
const LAN_HOST = '192.168.1.20';

interface DevStack {
  engine: Engine;
  compose: (args: string[]) => Promise<string>;
  web: number;
  api: number;
  sandbox: number;
  workerMetrics: number;
  databaseUrl: string;
}

/** Renders docker-compose.yml with its test override; the third-party services are left out. */
async function devStack(engine: Engine, builder: 'buildah' | 'docker'): Promise<DevStack> {
  const database = `ap_dev_${run}`;
  await createDatabase(database);
  const prefix = `ap-dev-${run}`;
  onCleanup('delete the development stack’s Redis keys', () => deleteRedisKeys(prefix));
  const s3 = await startS3Server();
  onCleanup('stop the development stack’s s3rver', () => s3.stop());
  const ports = {
    web: await freePort(),
    api: await freePort(),
    sandbox: await freePort(),
    workerMetrics: await freePort(),
  };
  const project = `apdev${run}`;
  const composeEnv = {
    ...engine.env,
    DEV_DATABASE_URL: dbUrl(database),
    DEV_REDIS_URL: REDIS,
    DEV_REDIS_PREFIX: prefix,
    DEV_S3_BUCKET: s3.bucket,
    DEV_S3_ENDPOINT: s3.endpoint,
    DEV_S3_REGION: s3.region,
    DEV_S3_ACCESS_KEY_ID: s3.accessKeyId,
    DEV_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    DEV_WEB_PORT: String(ports.web),
    DEV_API_PORT: String(ports.api),
    DEV_SANDBOX_PORT: String(ports.sandbox),
    DEV_WORKER_METRICS_PORT: String(ports.workerMetrics),
  };
  const [bin, ...pre] = await composeClient(engine);
  const rendered = await must(
    bin!,
    [...pre, '-f', 'docker-compose.yml', '-f', 'docker-compose.dev-test.yml', 'config'],
    { env: composeEnv },
  );
  const config = parseYaml(rendered) as {
    services: Record<
      string,
      { build?: { dockerfile: string; target: string }; image?: string } & Record<string, unknown>
    >;
    volumes?: Record<string, unknown>;
  };
  const standIns = ['postgres', 'redis', 'minio', 'minio-init'];
  for (const name of standIns) delete config.services[name];
  for (const svc of Object.values(config.services)) {
    delete svc.ports; // host networking (see the prod render above)
    const deps = svc.depends_on as Record<string, unknown> | undefined;
    if (deps) for (const name of standIns) delete deps[name];
  }
  // What the file builds, as it says: each service's build section and the image it tags.
  const builds = Object.values(config.services).flatMap((svc) =>
    svc.build && svc.image
      ? [{ tag: svc.image, dockerfile: svc.build.dockerfile, target: svc.build.target }]
      : [],
  );
  check(builds.length >= 3, `docker-compose.yml builds ${builds.length} images`);
  const images: Record<string, { mb: number; buildSeconds: number; cachedSteps: string }> = {};
  for (const img of builds) {
    const b = await step(
      `development stack: build ${img.tag} (${img.dockerfile} --target ${img.target})`,
      () => build(img, builder, engine),
      (v) => `${Math.round(v.bytes / 1e6)} MB, built in ${v.seconds} s, ${v.cached}/${v.steps} steps cached`,
    );
    images[img.tag] = {
      mb: Math.round(b.bytes / 1e6),
      buildSeconds: b.seconds,
      cachedSteps: `${b.cached}/${b.steps}`,
    };
  }
  report.devImages = images;

  const work = mkdtempSync(join(tmpdir(), 'ap-dev-'));
  onCleanup('remove the development stack’s files', () => rmSync(work, { recursive: true, force: true }));
  const composeFile = join(work, 'compose.json');
  writeFileSync(composeFile, JSON.stringify(config, null, 2));
  const files = ['-p', project, '--project-directory', root, '-f', composeFile];
  const compose = (args: string[]) => must(bin!, [...pre, ...files, ...args], { env: composeEnv });
  onCleanup('development stack: docker-compose down -v', async () => {
    if (steps.some((x) => !x.ok && x.name.startsWith('development stack'))) {
      const logs = await sh(bin!, [...pre, ...files, 'logs', '--no-color', '--tail', '40'], {
        env: composeEnv,
      });
      console.log(`--- development stack logs (last lines) ---\n${logs.stdout}${logs.stderr}`);
    }
    await sh(bin!, [...pre, ...files, 'down', '-v', '--remove-orphans', '-t', '10'], { env: composeEnv });
    if (!engine.own) await sh('docker', ['image', 'rm', ...builds.map((b) => b.tag)], { env: engine.env });
  });
  return { engine, compose, ...ports, databaseUrl: dbUrl(database) };
}

async function deleteRedisKeys(prefix: string) {
  // The layout spreads keys over DB 0-3 (cache, queue, locks, rate limits).
  for (const db of [0, 1, 2, 3]) {
    const url = new URL(REDIS);
    url.pathname = `/${db}`;
    await sh(
      'sh',
      ['-c', `redis-cli -u "$R" --scan --pattern "${prefix}*" | xargs -r redis-cli -u "$R" del >/dev/null`],
      { env: { R: url.toString() } },
    );
  }
}

/** Plain HTTP to the dev web port, as a browser on the LAN address would send it. */
function lan(dev: DevStack, path: string, opts: Parameters<typeof call>[1] = {}): Promise<Answer> {
  return call(`http://127.0.0.1:${dev.web}${path}`, {
    ...opts,
    headers: { host: `${LAN_HOST}:${dev.web}`, ...opts.headers },
  });
}

async function devUp(dev: DevStack): Promise<number> {
  const t0 = Date.now();
  await dev.compose(['up', '-d', '--no-build']);
  // The api's own readiness on its port, then the same api through the web container's proxy
  // (the web nginx answers any other path with the SPA).
  await until('the dev api ready', 180_000, async () => {
    const r = await call(`http://127.0.0.1:${dev.api}/readyz`);
    return r.status === 200 ? true : undefined;
  });
  await until('the dev api through the web container', 30_000, async () => {
    const r = await lan(dev, '/api/v1/config');
    return r.status === 200 ? true : undefined;
  });
  await until('the dev sandbox listening', 60_000, async () =>
    (await portOpen(dev.sandbox)) ? true : undefined,
  );
  await until('the dev worker answers', 60_000, async () => {
    const r = await call(`http://127.0.0.1:${dev.workerMetrics}/healthz`);
    return r.status === 200 ? true : undefined;
  });
  const id = (await dev.compose(['ps', '-a', '-q', 'migrate'])).trim();
  const code = (
    await must('docker', ['inspect', '--format', '{{.State.ExitCode}}', id], { env: dev.engine.env })
  ).trim();
  check(code === '0', `the dev migrate container exited ${code}`);
  const files = readdirSync(join(root, 'prisma/migrations')).filter((f) => f.endsWith('.sql')).length;
  const applied = Number(await psql(dev.databaseUrl, 'SELECT count(*) FROM schema_migrations'));
  check(applied === files, `${applied} migrations applied, ${files} in prisma/migrations`);
  return secs(Date.now() - t0);
}

async function devAnyHost(dev: DevStack): Promise<string> {
  const page = await lan(dev, '/team');
  check(page.status === 200 && page.text.includes('<div id="root">'), `GET /team → ${page.status}`);
  const csp = String(page.headers['content-security-policy'] ?? '');
  check(csp.includes("script-src 'self'"), `the SPA has no script policy: ${csp}`);
  check(!csp.includes('upgrade-insecure-requests'), 'the SPA upgrades requests to https on plain HTTP');
  check(/connect-src 'self' ws: wss:/.test(csp), `the SPA may not open ws: (${csp})`);
  check(page.headers['strict-transport-security'] === undefined, 'HSTS on plain HTTP');
  const asset = page.text.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
  check(asset, 'index.html names no /assets/*.js');
  const js = await lan(dev, asset);
  check(js.status === 200 && js.text.length > 1000, `GET ${asset} → ${js.status}`);
  const apiCsp = String((await lan(dev, '/api/v1/config')).headers['content-security-policy'] ?? '');
  check(apiCsp && !apiCsp.includes('upgrade-insecure-requests'), `the api's policy upgrades: ${apiCsp}`);

  // The demo coach signs in with the cookie (as the SPA does) and changes something: the api
  // must see the browser's own origin, port included, or its origin check refuses.
  const origin = `http://${LAN_HOST}:${dev.web}`;
  const login = await lan(dev, '/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email: DEMO_COACH_EMAIL, password: DEMO_PASSWORD }),
  });
  check(login.status === 200, `demo coach login → ${login.status} ${login.text}`);
  const cookies = ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!);
  const csrf = cookies.find((c) => c.startsWith('ap_csrf='))?.slice('ap_csrf='.length);
  check(csrf && cookies.some((c) => c.startsWith('ap_session=')), `login set ${cookies.join(', ')}`);
  check(
    !([] as string[]).concat(login.headers['set-cookie'] ?? []).some((c) => /;\s*Secure/i.test(c)),
    'a Secure cookie on plain HTTP would never be sent back',
  );
  const team = await lan(dev, '/api/v1/teams', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin, cookie: cookies.join('; '), 'x-csrf-token': csrf },
    body: JSON.stringify({ name: `LAN ${run}` }),
  });
  check(team.status === 201, `a cookie POST from ${origin} → ${team.status} ${team.text}`);
  return `SPA and api policies without upgrade, cookie sign-in and a POST from ${origin}`;
}

async function devDemoStreams(dev: DevStack): Promise<number> {
  const login = await lan(dev, '/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: DEMO_COACH_EMAIL, password: DEMO_PASSWORD }),
  });
  const { token } = authResponseSchema.parse(JSON.parse(login.text));
  const teams = teamsResponseSchema.parse(
    JSON.parse((await lan(dev, '/api/v1/teams', { headers: { authorization: `Bearer ${token}` } })).text),
  ).teams;
  const demo = teams.find((t) => !t.name.startsWith('LAN '));
  check(demo, `the demo coach has no demo team (${teams.map((t) => t.name).join(', ')})`);
  const viewer = new WebSocket(`ws://127.0.0.1:${dev.web}/ws/live?teamId=${demo.id}`, {
    headers: { authorization: `Bearer ${token}`, host: `${LAN_HOST}:${dev.web}` },
  });
  const athletes = new Set<string>();
  let bad = '';
  viewer.on('message', (data) => {
    const parsed = wsLiveServerMessageSchema.safeParse(JSON.parse(data.toString()));
    if (!parsed.success) bad ||= data.toString().slice(0, 200);
    else if (parsed.data.type === 'samples') for (const x of parsed.data.samples) athletes.add(x.athleteId);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      viewer.once('open', () => resolve());
      viewer.once('error', reject);
      viewer.once('unexpected-response', (_req, res) =>
        reject(new Error(`/ws/live upgrade → ${res.statusCode}`)),
      );
    });
    await until('samples of two or more demo athletes', 20_000, async () =>
      athletes.size >= 2 ? true : undefined,
    );
    check(!bad, `a /ws/live frame does not match the contract: ${bad}`);
    return athletes.size;
  } finally {
    viewer.close();
  }
}

async function devSync(dev: DevStack): Promise<string> {
  const email = `dev-athlete-${run}@deploy.test`;
  const reg = await lan(dev, '/api/v1/auth/register', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: `deploy-${run}-password`, name: 'Dev athlete', role: 'athlete' }),
  });
  check(reg.status === 201, `register → ${reg.status} ${reg.text}`);
  const athlete = authResponseSchema.parse(JSON.parse(reg.text));
  const auth = { authorization: `Bearer ${athlete.token}` };
  const start = await lan(dev, '/api/v1/integrations/whoop/connect', { headers: auth });
  check(start.status === 302, `connect → ${start.status} ${start.text}`);
  const consent = new URL(String(start.headers.location));
  // The browser is sent to the sandbox by the address it can reach; the callback is the host
  // the user came from (no PUBLIC_URL in the dev file).
  check(consent.origin === `http://localhost:${dev.sandbox}`, `consent page on ${consent.origin}`);
  const redirectUri = consent.searchParams.get('redirect_uri');
  check(
    redirectUri === `http://${LAN_HOST}:${dev.web}/api/v1/integrations/whoop/callback`,
    `redirect_uri ${redirectUri}`,
  );
  const form = new URLSearchParams(consent.searchParams);
  form.set('decision', 'allow');
  form.set('login', `whoop-dev-${run}`);
  const answer = await call(`http://127.0.0.1:${dev.sandbox}${consent.pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  check(answer.status === 302, `sandbox consent → ${answer.status} ${answer.text}`);
  const back = new URL(String(answer.headers.location));
  check(back.host === `${LAN_HOST}:${dev.web}`, `the sandbox sends the browser to ${back.host}`);
  const callback = await lan(dev, `${back.pathname}${back.search}`);
  check(
    callback.status === 302 && callback.headers.location === '/settings/integrations?connected=whoop',
    `callback → ${callback.status} ${callback.headers.location}`,
  );
  const done = await until('the dev worker’s WHOOP backfill to succeed', 120_000, async () => {
    const res = await lan(dev, '/api/v1/integrations', { headers: auth });
    const whoop = integrationsResponseSchema
      .parse(JSON.parse(res.text))
      .integrations.find((i) => i.provider === 'whoop');
    if (whoop?.lastRun?.status === 'failed') throw new Error(`sync failed: ${whoop.lastRun.error}`);
    return whoop?.lastRun?.status === 'succeeded' ? whoop.lastRun : undefined;
  });
  check(done.itemsFetched > 0, 'the sync fetched nothing');
  const worker = await dev.compose(['logs', '--no-color', 'worker']);
  const api = await dev.compose(['logs', '--no-color', 'api']);
  check(/worker consuming jobs/.test(worker), 'the dev worker never started consuming');
  check(!/worker consuming jobs/.test(api), 'the dev api consumes jobs too');
  return `${done.kind} run fetched ${done.itemsFetched} items in the worker container`;
}

// ---------------------------------------------------------------------------------------------

let code = 1;
try {
  code = await main();
} catch {
  code = 1;
} finally {
  for (const c of cleanups) {
    try {
      await c.fn();
    } catch (err) {
      console.log(`  ! cleanup "${c.name}" failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const total = secs(Date.now() - started);
  const passed = steps.filter((s) => s.ok).length;
  const failed = steps.filter((s) => !s.ok).length;
  Object.assign(report, { totalSeconds: total, passed, failed, skipped: report.skipped ? 1 : 0, steps });
  mkdirSync(join(root, 'artifacts'), { recursive: true });
  writeFileSync(join(root, 'artifacts/deploy.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    report.skipped
      ? `\nDeploy test: SKIPPED (${total} s)`
      : `\nDeploy test: ${passed} passed, ${failed} failed in ${total} s (artifacts/deploy.json)`,
  );
}
process.exit(code === 0 && !steps.some((s) => !s.ok) ? 0 : 1);
