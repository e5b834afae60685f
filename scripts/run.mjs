#!/usr/bin/env node
// The README's two commands, on a fresh machine that has only Node.js:
//   npm run demo  → install, build the web app, start API + web on one port (embedded mode)
//   npm test      → install, then the whole test suite (vitest, Playwright e2e, the deploy test)
// Only Node's standard library is used here: nothing is installed yet when this starts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmVersion = pkg.packageManager.split('@')[1];
const command = process.argv[2];

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    ...opts,
    env: { ...process.env, ...opts.env },
  });
  if (r.error) throw r.error;
  return r.status ?? 1;
}
function must(cmd, args, opts) {
  const status = run(cmd, args, opts);
  if (status !== 0) {
    console.error(`\n✖ ${cmd} ${args.join(' ')} failed (exit ${status})`);
    process.exit(status);
  }
}
function pnpmCommand() {
  const r = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (r.status === 0 && r.stdout.trim() === pnpmVersion) return ['pnpm', []];
  return ['npx', ['--yes', `pnpm@${pnpmVersion}`]];
}
const [pnpmBin, pnpmPre] = pnpmCommand();
const pnpm = (args, opts) => must(pnpmBin, [...pnpmPre, ...args], opts);

function install() {
  console.log(`▸ installing dependencies (pnpm ${pnpmVersion})`);
  pnpm(['install', '--frozen-lockfile', '--reporter=append-only'], {
    env: { PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', CI: process.env.CI ?? '' },
  });
  pnpm(['db:generate']);
}

function portOpen(host, port) {
  return new Promise((resolve) => {
    const s = connect({ host, port, timeout: 1500 });
    const done = (open) => {
      s.destroy();
      resolve(open);
    };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    s.once('timeout', () => done(false));
  });
}

function ensureChromium() {
  if (existsSync('/usr/bin/chromium')) return;
  console.log('▸ installing Debian chromium for the browser tests');
  const [bin, ...pre] = process.getuid?.() === 0 ? ['apt-get'] : ['sudo', 'apt-get'];
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  if (run(bin, [...pre, 'install', '-y', '-q', 'chromium'], { env }) !== 0) {
    run(bin, [...pre, 'update', '-q'], { env });
    must(bin, [...pre, 'install', '-y', '-q', 'chromium'], { env });
  }
}

// The deploy tests (apps/api/test/deploy) run Debian's nginx in front of the api and validate
// the compose files with a compose client: install them like chromium when missing.
function ensureDeployTools() {
  const missing = [];
  if (!existsSync('/usr/sbin/nginx') && !existsSync('/usr/bin/nginx')) missing.push('nginx-light');
  const compose =
    spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0 ||
    spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;
  if (!compose) missing.push('docker-compose');
  if (missing.length === 0) return;
  console.log(`▸ installing Debian ${missing.join(', ')} for the deploy tests`);
  const [bin, ...pre] = process.getuid?.() === 0 ? ['apt-get'] : ['sudo', 'apt-get'];
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  if (run(bin, [...pre, 'install', '-y', '-q', ...missing], { env }) !== 0) {
    run(bin, [...pre, 'update', '-q'], { env });
    must(bin, [...pre, 'install', '-y', '-q', ...missing], { env });
  }
}

function summary() {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const v = join(root, 'artifacts/vitest.json');
  if (existsSync(v)) {
    const r = JSON.parse(readFileSync(v, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  }
  const p = join(root, 'artifacts/playwright.json');
  if (existsSync(p)) {
    const r = JSON.parse(readFileSync(p, 'utf8'));
    passed += r.stats.expected + (r.stats.flaky ?? 0);
    failed += r.stats.unexpected;
    skipped += r.stats.skipped;
  }
  // The deploy test: each of its steps (engine, builds, stack checks) counts as one test.
  const d = join(root, 'artifacts/deploy.json');
  if (existsSync(d)) {
    const r = JSON.parse(readFileSync(d, 'utf8'));
    passed += r.passed ?? 0;
    failed += r.failed ?? 0;
    skipped += r.skipped ?? 0;
  }
  return { passed, failed, skipped };
}

if (command === 'demo') {
  install();
  console.log('▸ building the web app');
  pnpm(['--filter', '@athlete/web', 'build']);
  console.log('▸ starting Athlete Platform (embedded mode: PGlite, in-process queue, files under .data/)');
  pnpm(['--filter', '@athlete/api', 'start'], {
    env: {
      SIMULATION_MODE: process.env.SIMULATION_MODE ?? 'true',
      PROVIDER_SANDBOX: process.env.PROVIDER_SANDBOX ?? 'true',
      DATA_DIR: process.env.DATA_DIR ?? join(root, '.data'),
    },
  });
} else if (command === 'test') {
  install();
  ensureChromium();
  ensureDeployTools();
  const pg = await portOpen('127.0.0.1', 5432);
  const redis = await portOpen('127.0.0.1', 6379);
  if (!pg || !redis) {
    console.error(
      `✖ the tests need PostgreSQL on 127.0.0.1:5432 (${pg ? 'up' : 'down'}) and Redis on 127.0.0.1:6379 (${redis ? 'up' : 'down'}).\n` +
        '  Start them (see CONTRIBUTING.md), or set TEST_DATABASE_URL / TEST_REDIS_URL.',
    );
    process.exit(1);
  }
  mkdirSync(join(root, 'artifacts'), { recursive: true });
  console.log('▸ building the web app for the browser tests');
  pnpm(['--filter', '@athlete/web', 'build']);
  console.log('▸ vitest: unit, contract and integration tests against real Postgres, Redis, PGlite and S3');
  const unit = run(pnpmBin, [...pnpmPre, 'exec', 'vitest', 'run']);
  console.log('▸ playwright: end-to-end tests in Chromium');
  const e2e = run(pnpmBin, [...pnpmPre, '--filter', '@athlete/web', 'test:e2e']);
  console.log('▸ deploy test: production images and docker-compose.prod.yml through the TLS edge');
  rmSync(join(root, 'artifacts/deploy.json'), { force: true });
  const deploy = run(pnpmBin, [...pnpmPre, 'test:deploy']);
  const s = summary();
  console.log(`\nSummary: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`);
  process.exit(unit || e2e || deploy ? 1 : 0);
} else {
  console.error('usage: node scripts/run.mjs demo|test');
  process.exit(2);
}
