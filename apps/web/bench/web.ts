/**
 * Web benchmark (prints figures; never asserts):
 *  1. gzipped size of the JavaScript the first page load needs (entry + modulepreloads);
 *  2. main-thread busy share of the coach live view with 50 athletes streaming at 1 Hz, from
 *     Chromium's Performance.getMetrics (TaskDuration over a measured window), against the real
 *     API in services mode with a fresh Postgres database and a unique Redis prefix.
 *
 * Run: pnpm --filter @athlete/web bench   (or pnpm bench:web at the root)
 * Options: BENCH_ATHLETES (50), BENCH_SECONDS (20), BENCH_WIDTH x BENCH_HEIGHT (1280x800, tablet).
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createSimulatedAthlete } from '@athlete/core';
import { openPostgres } from '@athlete/db';
import { createTestDatabase } from '@athlete/db/testing';
import { chromium } from '@playwright/test';

const webDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(webDir, 'dist');
const ATHLETES = Number(process.env.BENCH_ATHLETES ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WIDTH = Number(process.env.BENCH_WIDTH ?? 1280);
const HEIGHT = Number(process.env.BENCH_HEIGHT ?? 800);

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

// ---------------------------------------------------------------------------------------------
// 1. Initial JavaScript

if (!existsSync(join(dist, 'index.html'))) {
  const r = spawnSync('pnpm', ['--filter', '@athlete/web', 'build'], { stdio: 'inherit', cwd: webDir });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = [
  ...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g),
  ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g),
].map((m) => m[1]!);
let raw = 0;
let gz = 0;
console.log('Initial JavaScript (entry + modulepreload):');
for (const src of [...new Set(initial)]) {
  const buf = readFileSync(join(dist, src.replace(/^\//, '')));
  const g = gzipSync(buf, { level: 9 }).length;
  raw += buf.length;
  gz += g;
  console.log(`  ${src.padEnd(42)} ${kb(buf.length).padStart(10)}  gzip ${kb(g).padStart(9)}`);
}
console.log(
  `  total                                      ${kb(raw).padStart(10)}  gzip ${kb(gz).padStart(9)}\n`,
);

// ---------------------------------------------------------------------------------------------
// 2. Coach view, 50 athletes at 1 Hz

const port = execFileSync(
  process.execPath,
  [
    '-e',
    "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})",
  ],
  { encoding: 'utf8' },
).trim();
const base = `http://127.0.0.1:${port}`;
const testDb = await createTestDatabase();
const server: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'e2e/serve.ts'], {
  cwd: webDir,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, E2E_PORT: port, E2E_DATABASE_URL: testDb.url, E2E_LOG_LEVEL: 'error' },
});
let streaming: ReturnType<typeof setInterval> | null = null;

async function cleanup() {
  if (streaming) clearInterval(streaming);
  if (server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  await testDb.drop();
}

async function json<T>(path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
  });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} → ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

try {
  for (let i = 0; ; i++) {
    if (
      await fetch(`${base}/readyz`)
        .then((r) => r.ok)
        .catch(() => false)
    )
      break;
    if (i > 240) throw new Error('the API did not become ready');
    await new Promise((r) => setTimeout(r, 500));
  }
  const password = 'bench-password-123';
  const coach = await json<{ user: { id: string }; token: string }>('/api/v1/auth/register', {
    method: 'POST',
    body: JSON.stringify({ email: 'coach@bench.test', password, name: 'Bench Coach', role: 'coach' }),
  });
  const { team } = await json<{ team: { id: string } }>('/api/v1/teams', {
    method: 'POST',
    token: coach.token,
    body: JSON.stringify({ name: 'Bench squad' }),
  });
  // Athletes are seeded straight into the database: sign-ups are rate limited per address.
  const db = await openPostgres(testDb.url, { poolSize: 2 });
  const athleteIds: string[] = [];
  for (let i = 0; i < ATHLETES; i++) {
    const [row] = await db.query<{ id: string }>(
      `INSERT INTO users (email, password_hash, name, role) VALUES ($1, 'x', $2, 'athlete') RETURNING id`,
      [`athlete${i}@bench.test`, `Athlete ${String(i + 1).padStart(2, '0')}`],
    );
    athleteIds.push(row!.id);
    await db.query(
      `INSERT INTO team_members (team_id, user_id, role, consent_live, consent_sessions, consent_wellness)
       VALUES ($1, $2, 'athlete', true, true, true)`,
      [team.id, row!.id],
    );
    await db.query(`INSERT INTO athlete_profiles (user_id, hr_max, hr_rest) VALUES ($1, $2, 50)`, [
      row!.id,
      185 + (i % 15),
    ]);
  }
  await db.close();
  const { key } = await json<{ key: string }>('/api/v1/devices', {
    method: 'POST',
    token: coach.token,
    body: JSON.stringify({ name: 'Bench gateway', kind: 'gateway', teamId: team.id }),
  });

  const sims = athleteIds.map((id, i) => ({
    id,
    sim: createSimulatedAthlete({ seed: i + 1, hrMax: 185 + (i % 15), hrRest: 50, startOffsetM: i * 8 }),
  }));
  const tick = async () => {
    const ts = Date.now();
    const samples = sims.flatMap(({ id, sim }) => {
      const s = sim.step(1);
      if (!s) return [];
      return [
        {
          athleteId: id,
          ts,
          hr: Math.round(s.hr),
          speed: Math.min(30, s.speed),
          distance: s.distance,
          lat: s.lat,
          lon: s.lon,
          alt: s.alt,
        },
      ];
    });
    await json('/api/v1/ingest', { method: 'POST', token: key, body: JSON.stringify({ samples }) }).catch(
      (err) => console.error(String(err)),
    );
  };
  await tick();
  streaming = setInterval(() => void tick(), 1000);

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const ctx = await browser.newContext({ baseURL: base, viewport: { width: WIDTH, height: HEIGHT } });
  const login = await ctx.request.post('/api/v1/auth/login', {
    data: { email: 'coach@bench.test', password },
  });
  if (!login.ok()) throw new Error(`login → ${login.status()}`);
  const page = await ctx.newPage();
  await page.goto(`/teams/${team.id}/live`);
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid="athlete-tile"][data-hr]:not([data-hr=""])').length >= n,
    ATHLETES,
    { timeout: 30_000 },
  );
  await page.waitForTimeout(3000); // settle: fonts, first sorts, backfill requests

  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
  const metrics = async () =>
    Object.fromEntries(
      (
        (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> }
      ).metrics.map((m) => [m.name, m.value]),
    ) as Record<string, number>;
  const hrBefore = await page.locator('[data-testid="tile-hr"]').first().textContent();
  const m0 = await metrics();
  await page.waitForTimeout(SECONDS * 1000);
  const m1 = await metrics();
  const hrAfter = await page.locator('[data-testid="tile-hr"]').first().textContent();
  const wall = (m1.Timestamp ?? 0) - (m0.Timestamp ?? 0);
  const d = (k: string) => (m1[k] ?? 0) - (m0[k] ?? 0);
  const pct = (v: number) => `${((v / wall) * 100).toFixed(1)} %`;
  console.log(
    `Coach live view: ${ATHLETES} athletes at 1 Hz, ${WIDTH}x${HEIGHT}, ${wall.toFixed(1)} s measured`,
  );
  console.log(`  main-thread busy (TaskDuration)     ${pct(d('TaskDuration'))}`);
  console.log(`    script (ScriptDuration)           ${pct(d('ScriptDuration'))}`);
  console.log(`    style recalc (RecalcStyleDuration) ${pct(d('RecalcStyleDuration'))}`);
  console.log(`    layout (LayoutDuration)           ${pct(d('LayoutDuration'))}`);
  console.log(
    `  layouts/s ${(d('LayoutCount') / wall).toFixed(1)}, style recalcs/s ${(d('RecalcStyleCount') / wall).toFixed(1)}`,
  );
  console.log(`  JS heap used ${kb(m1.JSHeapUsedSize ?? 0)}, DOM nodes ${m1.Nodes ?? '?'}`);
  console.log(`  first tile HR ${hrBefore} → ${hrAfter} (updating: ${hrBefore !== hrAfter ? 'yes' : 'no'})`);
  await browser.close();
} finally {
  await cleanup();
}
