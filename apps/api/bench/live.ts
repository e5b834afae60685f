/**
 * `pnpm bench:live`: end-to-end live pipeline benchmark.
 *
 * For each scenario it seeds a fresh database (services: a new Postgres database on this
 * machine and a unique Redis prefix; embedded: a new PGlite data directory), starts the API as
 * a child process, starts live viewers (500 `/ws/live?teamId=` sockets) in a second process and
 * the simulator (gateways of 50 athletes over `/ws/ingest`) in a third, streams for a warm-up
 * then a measured window, waits until every sample is acknowledged, and reports throughput,
 * ingest-to-viewer latency, lost/duplicated samples, rows stored, API CPU and peak RSS, and the
 * physical baseline: the best bulk-insert rate of the same rows into the same table.
 *
 *   pnpm bench:live [--athletes 1000,10000] [--modes services,embedded] [--viewers 500]
 *                   [--warmup 45] [--measure 30] [--gateway-size 50] [--profile DIR] [--peer]
 *
 * --peer also runs the bare relay (bench/relay.ts: ingest, broadcast, COPY, ack; nothing else)
 * at each athlete count with the same simulator and viewers, and prints each p99 over the
 * relay's: the cost of what the product adds, on this machine, in this run.
 *
 * --profile DIR writes a .cpuprofile of each API process into DIR (summarise it with
 * `node apps/api/bench/profile-summary.mjs DIR/<file>.cpuprofile`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Database, openPglite, openPostgres, type SampleRow } from '@athlete/db';
import { createTestDatabase } from '@athlete/db/testing';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const { values } = parseArgs({
  options: {
    athletes: { type: 'string', default: '1000,10000' },
    modes: { type: 'string', default: 'services,embedded' },
    viewers: { type: 'string', default: '500' },
    // 10,000 athletes starting in the same second take ~15-20 s (Postgres) to ~25-40 s
    // (PGlite) to get their sessions opened and the backlog written; measure after that (the
    // table's notes say when every session was open).
    warmup: { type: 'string', default: '45' },
    measure: { type: 'string', default: '30' },
    'gateway-size': { type: 'string', default: '50' },
    rate: { type: 'string', default: '1' },
    /** Write a V8 CPU profile of the API process per scenario into this directory. */
    profile: { type: 'string' },
    /** The simulator's send groups per second (default: one per gateway, at most one per 5 ms). */
    slices: { type: 'string' },
    /** Extra Node flags for the API process only, space-separated: `--api-node-flags=--max-semi-space-size=32`. */
    'api-node-flags': { type: 'string', default: '' },
    /** Run the bare relay as well and print every p99 as a ratio of its p99. */
    peer: { type: 'boolean', default: false },
  },
});
const athleteCounts = values.athletes!.split(',').map(Number);
type Mode = 'services' | 'embedded' | 'relay';
const modes = values.modes!.split(',') as Mode[];
if (values.peer && !modes.includes('relay')) modes.push('relay');
const viewerCount = Number(values.viewers);
const warmupS = Number(values.warmup);
const measureS = Number(values.measure);
const gatewaySize = Number(values['gateway-size']);
const rate = Number(values.rate);
const CLK_TCK = 100;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (line: string) => process.stderr.write(`${line}\n`);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

interface Seeded {
  gateways: Array<{ credential: string; athleteIds: string[]; teamId: string }>;
  viewers: Array<{ token: string; teamId: string }>;
}

/** Athletes in teams of `gatewaySize` (one coach and one gateway key each), all consenting. */
async function seed(db: Database, athletes: number): Promise<Seeded> {
  const teams = Math.ceil(athletes / gatewaySize);
  const athleteIds = Array.from({ length: athletes }, () => randomUUID());
  const coachIds = Array.from({ length: teams }, () => randomUUID());
  const teamIds = Array.from({ length: teams }, () => randomUUID());
  const chunk = 5_000;
  for (let i = 0; i < athleteIds.length; i += chunk) {
    const ids = athleteIds.slice(i, i + chunk);
    await db.query(
      `INSERT INTO users (id, email, password_hash, name, role)
       SELECT u, 'bench-' || u || '@bench.local', 'x', 'Bench athlete', 'athlete' FROM unnest($1::uuid[]) AS u`,
      [ids],
    );
    await db.query(
      'INSERT INTO athlete_profiles (user_id, hr_max, hr_rest) SELECT u, 190, 55 FROM unnest($1::uuid[]) AS u',
      [ids],
    );
  }
  await db.query(
    `INSERT INTO users (id, email, password_hash, name, role)
     SELECT u, 'bench-coach-' || u || '@bench.local', 'x', 'Bench coach', 'coach' FROM unnest($1::uuid[]) AS u`,
    [coachIds],
  );
  await db.query(
    `INSERT INTO teams (id, name, created_by_id)
     SELECT t, 'Bench team', c FROM unnest($1::uuid[], $2::uuid[]) AS x(t, c)`,
    [teamIds, coachIds],
  );
  await db.query(
    `INSERT INTO team_members (team_id, user_id, role) SELECT t, c, 'coach' FROM unnest($1::uuid[], $2::uuid[]) AS x(t, c)`,
    [teamIds, coachIds],
  );
  const memberTeams = athleteIds.map((_, i) => teamIds[Math.floor(i / gatewaySize)]!);
  for (let i = 0; i < athleteIds.length; i += chunk) {
    await db.query(
      `INSERT INTO team_members (team_id, user_id, role, consent_live, consent_sessions, consent_wellness)
       SELECT t, a, 'athlete', true, true, true FROM unnest($1::uuid[], $2::uuid[]) AS x(t, a)`,
      [memberTeams.slice(i, i + chunk), athleteIds.slice(i, i + chunk)],
    );
  }
  const keys = teamIds.map(() => `apk_${randomBytes(32).toString('base64url')}`);
  await db.query(
    `INSERT INTO devices (owner_id, name, kind, team_id, key_hash, key_prefix)
     SELECT c, 'Bench gateway', 'gateway', t, h, 'apk_bench' FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS x(c, t, h)`,
    [coachIds, teamIds, keys.map(sha256)],
  );
  const tokens = coachIds.map(() => `aps_${randomBytes(32).toString('base64url')}`);
  await db.query(
    `INSERT INTO auth_sessions (user_id, token_hash, expires_at)
     SELECT c, h, now() + interval '1 day' FROM unnest($1::uuid[], $2::text[]) AS x(c, h)`,
    [coachIds, tokens.map(sha256)],
  );
  return {
    gateways: teamIds.map((teamId, t) => ({
      credential: keys[t]!,
      teamId,
      athleteIds: athleteIds.slice(t * gatewaySize, (t + 1) * gatewaySize),
    })),
    // Viewers spread over the teams: each watches one team's live view as its coach.
    viewers: Array.from({ length: viewerCount }, (_, v) => ({
      token: tokens[v % teams]!,
      teamId: teamIds[v % teams]!,
    })),
  };
}

function spawnNode(args: string[], env: NodeJS.ProcessEnv, nodeFlags: string[] = []): ChildProcess {
  const merged: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(merged)) if (v === undefined || v === '') delete merged[k];
  // --require puts tsx among the preload modules, which is how @fastify/autoload detects TypeScript support.
  return spawn(process.execPath, [...nodeFlags, '--require', 'tsx/cjs', '--import', 'tsx', ...args], {
    cwd: root,
    env: merged,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function collect(child: ChildProcess): {
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
} {
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { out: () => out, err: () => err, exited };
}

/** Last CPU reading per process: a client that exits at the window's very end still counts. */
const lastTicks = new Map<number, number>();

function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
    lastTicks.set(pid, ticks);
    return ticks;
  } catch {
    const last = lastTicks.get(pid);
    if (last === undefined) throw new Error(`process ${pid} exited before its CPU time was read`);
    return last;
  }
}

function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : Number.NaN;
}

/** Best rows/s of inserting the run's rows again (shifted a year ahead) into the samples table. */
async function bulkInsertBaseline(db: Database): Promise<{ rowsPerS: number; method: string }> {
  const rows = await db.query<{
    athlete_id: string;
    ts: Date;
    session_id: string | null;
    seq: number | null;
    hr: number | null;
    rr: number[];
    speed: number | null;
    cadence: number | null;
    power: number | null;
    distance: number | null;
    lat: number | null;
    lon: number | null;
    alt: number | null;
  }>('SELECT * FROM samples');
  const shifted = (years: number): SampleRow[] =>
    rows.map((r) => ({
      athleteId: r.athlete_id,
      ts: new Date(r.ts.getTime() + years * 366 * 86_400_000),
      sessionId: r.session_id,
      seq: r.seq,
      hr: r.hr,
      rr: r.rr,
      speed: r.speed,
      cadence: r.cadence,
      power: r.power,
      distance: r.distance,
      lat: r.lat,
      lon: r.lon,
      alt: r.alt,
    }));
  const results: Array<{ rowsPerS: number; method: string }> = [];
  const time = async (method: string, years: number, insert: (rows: SampleRow[]) => Promise<unknown>) => {
    const data = shifted(years);
    await db.ensureSamplePartitions(data[0]?.ts ?? new Date(), data.at(-1)?.ts ?? new Date());
    const started = performance.now();
    for (let i = 0; i < data.length; i += 5_000) await insert(data.slice(i, i + 5_000));
    results.push({ rowsPerS: Math.round(data.length / ((performance.now() - started) / 1000)), method });
  };
  if (rows.length === 0) return { rowsPerS: 0, method: '-' };
  await time('multi-row', 1, (r) => db.insertSamples(r));
  if (db.copySamples) await time('COPY', 2, (r) => db.copySamples!(r));
  return results.sort((a, b) => b.rowsPerS - a.rowsPerS)[0]!;
}

interface Result {
  scenario: string;
  mode: string;
  athletes: number;
  viewers: number;
  samplesPerS: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  lost: number;
  unacked: number;
  duplicated: number;
  rows: number;
  cpuPct: number;
  rssMb: number;
  baseline: string;
  notes: string;
}

/**
 * What a failed scenario must not leave behind (child processes, its database, its files): run
 * by the scenario loop when a scenario throws, in reverse order; a finished scenario clears it.
 */
const leftovers: Array<() => unknown> = [];
async function cleanUpAfterFailure(): Promise<void> {
  for (const undo of leftovers.splice(0).reverse()) {
    try {
      await undo();
    } catch {
      // best effort: the next one may still work
    }
  }
}

async function runScenario(mode: Mode, athletes: number): Promise<Result> {
  const scenario = `${mode} ${athletes / 1000}k`;
  log(`\n== ${scenario}: ${athletes} athletes at ${rate} Hz, ${viewerCount} viewers ==`);
  const work = mkdtempSync(join(tmpdir(), 'ap-bench-'));
  leftovers.push(() => rmSync(work, { recursive: true, force: true }));
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    SERVE_WEB: 'false',
    DATA_DIR: work,
    SIMULATION_MODE: 'false',
    DATABASE_URL: '',
    REDIS_URL: '',
  };
  let openDb: () => Promise<Database>;
  let dropDb = async () => {};
  if (mode === 'services' || mode === 'relay') {
    const testDb = await createTestDatabase();
    env.DATABASE_URL = testDb.url;
    env.REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';
    env.REDIS_PREFIX = `bench-${randomBytes(4).toString('hex')}`;
    openDb = () => openPostgres(testDb.url, { poolSize: 4 });
    dropDb = () => testDb.drop();
  } else {
    env.DATABASE_URL = undefined;
    env.REDIS_URL = undefined;
    openDb = () => openPglite(join(work, 'pglite'));
  }
  leftovers.push(() => dropDb());
  const seedDb = await openDb();
  const seeded = await seed(seedDb, athletes);
  await seedDb.close();
  log(`seeded ${athletes} athletes, ${seeded.gateways.length} gateways, ${seeded.viewers.length} viewers`);

  const profileFlags = values.profile ? ['--cpu-prof', '--cpu-prof-dir', values.profile] : [];
  const apiFlags = values['api-node-flags']!.split(' ').filter(Boolean);
  const relayConfig = join(work, 'relay.json');
  if (mode === 'relay')
    writeFileSync(
      relayConfig,
      JSON.stringify({ port: Number(env.PORT), databaseUrl: env.DATABASE_URL, gateways: seeded.gateways }),
    );
  const api =
    mode === 'relay'
      ? spawnNode(['apps/api/bench/relay.ts', relayConfig], {}, [...apiFlags, ...profileFlags])
      : spawnNode(['apps/api/src/server.ts'], env, [...apiFlags, ...profileFlags]);
  const apiOut = collect(api);
  leftovers.push(() => api.exitCode === null && api.kill('SIGKILL'));
  let stopping = false;
  // A crash mid-run must say why, not surface later as a missing /proc entry.
  api.once('exit', (code, signal) => {
    if (stopping) return;
    const tail = (apiOut.err() + apiOut.out()).split('\n').slice(-30).join('\n');
    log(`API exited unexpectedly (code ${code}, signal ${signal}); its last output:\n${tail}`);
    if (process.env.BENCH_API_LOG) writeFileSync(process.env.BENCH_API_LOG, apiOut.out() + apiOut.err());
  });
  const base = `http://127.0.0.1:${env.PORT}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 600) throw new Error(`API did not start:\n${apiOut.err()}${apiOut.out()}`);
    await sleep(100);
  }

  const t0 = Date.now() + 3_000; // viewers subscribe first
  const measureFrom = t0 + warmupS * 1000;
  const measureTo = measureFrom + measureS * 1000;
  log(`measured window ${new Date(measureFrom).toISOString()} – ${new Date(measureTo).toISOString()}`);
  const viewerConfig = join(work, 'viewers.json');
  writeFileSync(
    viewerConfig,
    JSON.stringify({
      url: base.replace('http', 'ws'),
      viewers: seeded.viewers,
      measureFrom,
      measureTo,
      exitAt: measureTo + 3_000,
    }),
  );
  const viewers = spawnNode(['apps/api/bench/viewers.ts', viewerConfig], {});
  const viewersOut = collect(viewers);
  leftovers.push(() => viewers.exitCode === null && viewers.kill('SIGKILL'));
  await sleep(Math.max(0, t0 - Date.now()));

  const plan = join(work, 'plan.json');
  writeFileSync(plan, JSON.stringify(seeded.gateways));
  const sim = spawnNode(
    [
      'apps/simulator/src/cli.ts',
      '--url',
      base,
      '--plan',
      plan,
      '--rate',
      String(rate),
      '--duration',
      String(warmupS + measureS),
      '--no-faults',
      '--json',
      ...(values.slices ? ['--slices', values.slices] : []),
    ],
    {},
  );
  const simOut = collect(sim);
  leftovers.push(() => sim.exitCode === null && sim.kill('SIGKILL'));
  for (const [name, child, out] of [
    ['simulator', sim, simOut],
    ['viewers', viewers, viewersOut],
  ] as const) {
    child.once('exit', (code, signal) => {
      const early = measureTo - Date.now();
      if (early > 0)
        log(
          `${name} exited ${(early / 1000).toFixed(1)} s before the window ended (code ${code}, signal ${signal}):\n` +
            out.err().split('\n').slice(-20).join('\n'),
        );
    });
  }
  // A progress line every 2 s from the API's own metrics: where a backlog builds up, if any.
  const gaugeOf = (text: string, name: string) => {
    const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text);
    return m ? Number(m[1]) : Number.NaN;
  };
  /** Seconds the API spent in garbage collection so far (every kind of collection summed). */
  const gcSecondsOf = (text: string) => {
    let sum = 0;
    for (const m of text.matchAll(/^nodejs_gc_duration_seconds_sum\{[^}]*\} ([0-9.e+-]+)$/gm))
      sum += Number(m[1]);
    return sum;
  };
  const scrape = async () => (await fetch(`${base}/metrics`)).text();
  let allOpenAfterS: number | null = null;
  /** Highest event-loop p99 the API reported during the measured window. */
  let loopP99InWindow = 0;
  /** Longest single event-loop delay the API reported in the window (one stall shows here, not in p99). */
  let loopMaxInWindow = 0;
  const progress = setInterval(async () => {
    for (const child of [viewers, sim]) if (child.exitCode === null) cpuTicks(child.pid!);
    try {
      const text = await scrape();
      const now = Date.now();
      const t = Math.round((now - t0) / 1000);
      if (allOpenAfterS === null && gaugeOf(text, 'ap_live_athletes') >= athletes) allOpenAfterS = t;
      const loopP99 = gaugeOf(text, 'nodejs_eventloop_lag_p99_seconds') * 1000;
      const loopMax = gaugeOf(text, 'nodejs_eventloop_lag_max_seconds') * 1000;
      if (now >= measureFrom && now <= measureTo) {
        if (loopP99 > loopP99InWindow) loopP99InWindow = loopP99;
        if (loopMax > loopMaxInWindow) loopMaxInWindow = loopMax;
      }
      log(
        `t=${t}s write-behind buffer=${gaugeOf(text, 'ap_writebehind_buffer_samples')} ` +
          `lag=${gaugeOf(text, 'ap_writebehind_lag_seconds').toFixed(2)}s ` +
          `event-loop p99=${loopP99.toFixed(0)}ms max=${loopMax.toFixed(0)}ms ` +
          `open sessions=${gaugeOf(text, 'ap_live_athletes')}`,
      );
    } catch {
      // the API is busy or stopping: skip this line
    }
  }, 2_000);
  await sleep(Math.max(0, measureFrom - Date.now()));
  const cpuStart = cpuTicks(api.pid!);
  const clientStart = cpuTicks(viewers.pid!) + cpuTicks(sim.pid!);
  const gcStart = await scrape().then(gcSecondsOf, () => Number.NaN);
  await sleep(Math.max(0, measureTo - Date.now()));
  const cpuEnd = cpuTicks(api.pid!);
  const clientEnd = cpuTicks(viewers.pid!) + cpuTicks(sim.pid!);
  const gcEnd = await scrape().then(gcSecondsOf, () => Number.NaN);
  // Everything on the machine competes for its cores (other test runs included): say how busy it was.
  const load = loadavg()[0]!.toFixed(1);
  const simExit = await simOut.exited;
  clearInterval(progress);
  await viewersOut.exited;
  const rss = peakRssMb(api.pid!);
  stopping = true;
  api.kill('SIGTERM');
  await apiOut.exited;
  // The API's whole output (e.g. with --api-node-flags=--trace-gc), for a closer look.
  if (process.env.BENCH_API_LOG) writeFileSync(process.env.BENCH_API_LOG, apiOut.out() + apiOut.err());

  const simTotals = JSON.parse(simOut.out().trim().split('\n').at(-1) || '{}') as {
    sent?: number;
    acked?: number;
    pending?: number;
    resent?: number;
    backpressure?: number;
  };
  const view = JSON.parse(viewersOut.out().trim().split('\n').at(-1) || '{}') as {
    timeline?: Array<{ s: number; n: number; p99: number | null }>;
    p50: number | null;
    p95: number | null;
    p99: number | null;
    duplicates: number;
    opened: number;
    coalescedFrames: number;
    closedEarly: number;
    loopP99Ms?: number;
    loopMaxMs?: number;
  };
  if (view.timeline?.length)
    log(`viewer p99 per 5 s of the window: ${view.timeline.map((b) => `${b.s}s:${b.p99}ms`).join(' ')}`);
  const db = await openDb();
  const [count] = await db.query<{ n: number; window: number }>(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE ts >= $1 AND ts < $2)::int AS window FROM samples`,
    [new Date(measureFrom).toISOString(), new Date(measureTo).toISOString()],
  );
  const rows = count?.n ?? 0;
  log('measuring bulk-insert baseline…');
  const baseline = await bulkInsertBaseline(db);
  await db.close();
  await dropDb();
  rmSync(work, { recursive: true, force: true });
  leftovers.length = 0;

  const sent = simTotals.sent ?? 0;
  if (sent > count!.n) log(`API log (tail):\n${apiOut.err().slice(-3000)}${apiOut.out().slice(-3000)}`);
  const notes = [
    `load ${load}/${cpus().length} cores`,
    values.slices ? `simulator in ${values.slices} bursts/s` : 'gateways spread over the second',
    `clients CPU ${Math.round(((clientEnd - clientStart) / CLK_TCK / measureS) * 100)} %`,
    Number.isFinite(gcEnd - gcStart)
      ? `API GC ${(((gcEnd - gcStart) / measureS) * 100).toFixed(1)} % of wall time`
      : '',
    loopP99InWindow > 0
      ? `API event-loop p99 ≤ ${Math.round(loopP99InWindow)} ms, max ${Math.round(loopMaxInWindow)} ms`
      : '',
    mode === 'relay'
      ? 'bare relay (no sessions)'
      : allOpenAfterS === null
        ? 'not every session open'
        : `all sessions open after ${allOpenAfterS} s`,
    simExit === 0 ? '' : `simulator did not get every ack (exit ${simExit})`,
    `viewers ${view.opened}/${viewerCount}`,
    view.loopP99Ms === undefined ? '' : `viewers' event-loop p99/max ${view.loopP99Ms}/${view.loopMaxMs} ms`,
    view.coalescedFrames ? `${view.coalescedFrames} coalesced frames` : '',
    simTotals.resent ? `${simTotals.resent} resent` : '',
    simTotals.backpressure ? `${simTotals.backpressure} back-pressure` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return {
    scenario,
    mode,
    athletes,
    viewers: viewerCount,
    samplesPerS: Math.round((count?.window ?? 0) / measureS),
    p50: view.p50,
    p95: view.p95,
    p99: view.p99,
    // Acknowledged means committed: any acknowledged sample missing from the table is lost.
    lost: Math.max(0, (simTotals.acked ?? 0) - rows),
    unacked: Math.max(0, sent - (simTotals.acked ?? 0)),
    duplicated: view.duplicates + Math.max(0, rows - sent),
    rows,
    cpuPct: Math.round(((cpuEnd - cpuStart) / CLK_TCK / measureS) * 100),
    rssMb: rss,
    baseline: `${baseline.rowsPerS.toLocaleString('en')} rows/s (${baseline.method})`,
    notes,
  };
}

const results: Result[] = [];
for (const mode of modes) {
  for (const athletes of athleteCounts) {
    try {
      results.push(await runScenario(mode, athletes));
    } catch (err) {
      log(`scenario ${mode} ${athletes} failed: ${(err as Error).stack}`);
      await cleanUpAfterFailure();
    }
  }
}

const header = [
  'scenario',
  'athletes',
  'rate',
  'viewers',
  'samples/s',
  'p50 ms',
  'p95 ms',
  'p99 ms',
  'lost',
  'unacked at end',
  'dup',
  'rows in DB',
  'API CPU %',
  'peak RSS MB',
  'bulk-insert baseline',
  ...(values.peer ? ['p99 ÷ relay p99'] : []),
  'notes',
];
/** The relay's p99 at each athlete count, for the ratio column. */
const relayP99 = new Map(results.filter((r) => r.mode === 'relay').map((r) => [r.athletes, r.p99]));
const ratio = (r: Result) => {
  const peer = relayP99.get(r.athletes);
  return r.p99 === null || !peer ? '-' : `${(r.p99 / peer).toFixed(2)}×`;
};
const lines = results.map((r) => [
  r.scenario,
  String(r.athletes),
  `${rate} Hz`,
  String(r.viewers),
  String(r.samplesPerS),
  String(r.p50 ?? '-'),
  String(r.p95 ?? '-'),
  String(r.p99 ?? '-'),
  String(r.lost),
  String(r.unacked),
  String(r.duplicated),
  String(r.rows),
  String(r.cpuPct),
  String(r.rssMb),
  r.baseline,
  ...(values.peer ? [ratio(r)] : []),
  r.notes,
]);
process.stdout.write(
  `\nLive pipeline benchmark (warm-up ${warmupS} s, measured ${measureS} s, gateways of ${gatewaySize}; API CPU: 100 % = one core)\n\n`,
);
process.stdout.write(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|\n`);
for (const l of lines) process.stdout.write(`| ${l.join(' | ')} |\n`);
process.exit(results.length === modes.length * athleteCounts.length ? 0 : 1);
