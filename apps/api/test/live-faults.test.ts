import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wsIngestAckSchema } from '@athlete/contracts';
import { openPostgres } from '@athlete/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers.ts';
import { createLiveWorld, framesSamples, type LiveWorld, listen, TestSocket } from './live-fixtures.ts';

/**
 * Faults are injected into throwaway servers this file starts (never the machine's shared
 * Postgres and Redis): its own redis-server and its own Postgres cluster, stopped and started
 * mid-stream.
 */

const PG_BIN = '/usr/lib/postgresql/15/bin';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

class OwnRedis {
  #proc: ChildProcess | null = null;
  constructor(readonly port: number) {}
  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    // Already running: a second server could not bind the port, and the first would be orphaned.
    if (this.#proc && this.#proc.exitCode === null && this.#proc.signalCode === null) return;
    this.#proc = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    for (let i = 0; i < 100; i++) {
      try {
        execFileSync('redis-cli', ['-p', String(this.port), 'ping'], { stdio: 'pipe' });
        return;
      } catch {
        await sleep(50);
      }
    }
    throw new Error('own redis-server did not start');
  }
  async stop(): Promise<void> {
    const p = this.#proc;
    this.#proc = null;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }
}

class OwnPostgres {
  readonly dir = mkdtempSync(join(tmpdir(), 'ap-pg-'));
  readonly #asRoot = process.getuid?.() === 0;
  constructor(readonly port: number) {}
  get url() {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }
  #run(bin: string, args: string[]): void {
    const cmd = join(PG_BIN, bin);
    if (this.#asRoot) execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' });
    else execFileSync(cmd, args, { stdio: 'pipe' });
  }
  init(): void {
    if (this.#asRoot) {
      const pgUid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      chownSync(this.dir, pgUid, pgUid);
    }
    chmodSync(this.dir, 0o700);
    this.#run('initdb', ['-D', join(this.dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync']);
  }
  start(): void {
    this.#run('pg_ctl', [
      '-D',
      join(this.dir, 'data'),
      '-l',
      join(this.dir, 'log'),
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      '-w',
      'start',
    ]);
  }
  stop(): void {
    this.#run('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  }
  destroy(): void {
    try {
      this.stop();
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Streams numbered samples for one athlete over /ws/ingest, resending what is not acked. */
class Streamer {
  /** Every seq acked, and the highest seq up to which all are (what is safe to forget). */
  readonly ackedSeqs = new Set<number>();
  acked = 0;
  sent = 0;
  backpressure = 0;
  /** A BACKPRESSURE came since the last resend: those samples are not stored and must be resent. */
  refused = false;
  constructor(
    readonly socket: TestSocket,
    readonly athleteId: string,
    readonly t0: number,
  ) {
    socket.ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as Record<string, unknown>;
      const ack = wsIngestAckSchema.safeParse(m);
      if (ack.success) {
        for (const [from, to] of ack.data.ranges) for (let q = from; q <= to; q++) this.ackedSeqs.add(q);
        while (this.ackedSeqs.has(this.acked + 1)) this.acked++;
      }
      if (m.type === 'error' && m.code === 'BACKPRESSURE') {
        this.backpressure++;
        this.refused = true;
        // Refused: everything after the last contiguous ack is sent again later.
        this.sent = this.acked;
      }
    });
  }
  sample(seq: number) {
    return { athleteId: this.athleteId, seq, ts: this.t0 + seq * 1000, hr: 100 + (seq % 50), speed: 3 };
  }
  /** Sends the next `n` samples (from the first not yet sent). */
  sendNext(n: number): void {
    const samples = Array.from({ length: n }, (_, i) => this.sample(this.sent + 1 + i));
    this.sent += n;
    this.socket.send({ type: 'samples', samples });
  }
  /** Resends everything after the last ack up to `upTo`. */
  resendUpTo(upTo: number): void {
    const from = this.acked + 1;
    for (let s = from; s <= upTo; s += 100) {
      const end = Math.min(upTo, s + 99);
      this.socket.send({
        type: 'samples',
        samples: Array.from({ length: end - s + 1 }, (_, i) => this.sample(s + i)),
      });
    }
    this.sent = Math.max(this.sent, upTo);
  }
  /** Waits until every seq up to `seq` is acked, resending (as a client must) what was refused. */
  async untilAcked(seq: number, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastResend = Date.now();
    while (this.acked < seq) {
      if (Date.now() > deadline) throw new Error(`acked ${this.acked}, waited for ${seq}`);
      if (this.refused && Date.now() - lastResend > 500) {
        this.refused = false;
        lastResend = Date.now();
        this.resendUpTo(seq);
      }
      await sleep(20);
    }
  }
}

async function storedSeqs(url: string, athleteId: string): Promise<number[]> {
  const db = await openPostgres(url, { poolSize: 1 });
  try {
    const rows = await db.query<{ seq: number }>(
      'SELECT seq FROM samples WHERE athlete_id = $1 ORDER BY ts',
      [athleteId],
    );
    return rows.map((r) => Number(r.seq));
  } finally {
    await db.close();
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('live pipeline under faults (own Postgres and Redis)', () => {
  describe('Postgres restarted mid-stream', () => {
    let db: OwnPostgres;
    let t: TestApp;
    let w: LiveWorld;
    let base: string;

    beforeAll(async () => {
      db = new OwnPostgres(await freePort());
      db.init();
      db.start();
      t = await buildTestApp({
        overrides: {
          DATABASE_URL: db.url,
          LIVE_BUFFER_MAX_SAMPLES: 200,
          LIVE_FLUSH_INTERVAL_MS: 50,
          DATABASE_POOL_SIZE: 4,
        },
      });
      w = await createLiveWorld(t.app.deps);
      base = await listen(t.app);
    });
    afterAll(async () => {
      try {
        db.start();
      } catch {
        // already running
      }
      await t?.close();
      db?.destroy();
    });

    it('buffers while the database is down, applies back-pressure when full, and stores everything once', async () => {
      const s = new Streamer(
        await TestSocket.open(`${base}/ws/ingest`, w.gatewayKey),
        w.a1.id,
        Date.now() - 3_600_000,
      );
      for (let i = 0; i < 5; i++) {
        s.sendNext(10);
        await sleep(20);
      }
      await s.untilAcked(50);

      db.stop();
      // Keep streaming: accepted into the buffer (no acks) until it is full, then refused.
      const deadline = Date.now() + 10_000;
      while (s.backpressure === 0 && Date.now() < deadline) {
        s.sendNext(20);
        await sleep(20);
      }
      expect(s.backpressure).toBeGreaterThan(0);
      expect(s.acked).toBe(50);
      expect(t.app.live.status().bufferedSamples).toBeGreaterThan(0);
      expect(t.app.live.status().bufferedSamples).toBeLessThanOrEqual(200);
      const http = await t.app.inject({
        method: 'POST',
        url: '/api/v1/ingest',
        headers: { authorization: `Bearer ${w.a2.token}` },
        payload: { samples: [{ ts: Date.now(), hr: 100 }] },
      });
      // Auth itself needs the database: either refused as unavailable or as back-pressure.
      expect(http.statusCode).toBeGreaterThanOrEqual(500);

      db.start();
      const total = 400;
      await sleep(200);
      s.resendUpTo(total);
      await s.untilAcked(total, 20_000);
      s.socket.close();
      expect(await storedSeqs(db.url, w.a1.id)).toEqual(range(total));
    });

    it('answers 503 with Retry-After over HTTP when the buffer is full', async () => {
      db.stop();
      const live = t.app.live;
      // Fill the buffer through the service (auth needs the database, which is down).
      const principal = {
        kind: 'user',
        userId: w.a1.id,
        role: 'athlete',
        sessionId: w.a1.sessionId,
        via: 'bearer',
      } as const;
      const t0 = Date.now() - 1_800_000;
      await live.ingest({
        principal,
        samples: Array.from({ length: 200 - live.status().bufferedSamples }, (_, i) => ({
          ts: t0 + i * 1000,
          hr: 90,
        })),
        transport: 'http',
        forbidden: 'throw',
      });
      await expect(
        live.ingest({
          principal,
          samples: [{ ts: Date.now(), hr: 90 }],
          transport: 'http',
          forbidden: 'throw',
        }),
      ).rejects.toMatchObject({
        code: 'BACKPRESSURE',
        status: 503,
        headers: { 'Retry-After': expect.any(String) },
      });
      db.start();
      const deadline = Date.now() + 15_000;
      while (live.status().bufferedSamples > 0 && Date.now() < deadline) await sleep(50);
      expect(live.status().bufferedSamples).toBe(0);
      expect((await storedSeqs(db.url, w.a1.id)).length).toBe(400 + 200);
    });
  });

  describe('Redis restarted mid-stream', () => {
    let redis: OwnRedis;
    let one: TestApp;
    let two: TestApp;
    let w: LiveWorld;
    let base1: string;
    let base2: string;

    beforeAll(async () => {
      redis = new OwnRedis(await freePort());
      await redis.start();
      one = await buildTestApp({ overrides: { REDIS_URL: redis.url, LIVE_FLUSH_INTERVAL_MS: 50 } });
      two = await buildTestApp({
        overrides: {
          REDIS_URL: redis.url,
          REDIS_PREFIX: one.config.REDIS_PREFIX,
          DATABASE_URL: one.config.DATABASE_URL,
          LIVE_FLUSH_INTERVAL_MS: 50,
        },
      });
      w = await createLiveWorld(one.app.deps);
      [base1, base2] = await Promise.all([listen(one.app), listen(two.app)]);
    });
    afterAll(async () => {
      await redis?.start().catch(() => {});
      await two?.close();
      await one?.close();
      await redis?.stop();
    });

    it('keeps storing and acking while Redis is down; fan-out to the other process recovers', async () => {
      const viewer = await TestSocket.open(`${base2}/ws/live?athleteId=${w.a1.id}`, w.coach.token);
      await viewer.waitFor((m) => m.type === 'snapshot');
      const s = new Streamer(
        await TestSocket.open(`${base1}/ws/ingest`, w.gatewayKey),
        w.a1.id,
        Date.now() - 3_600_000,
      );
      const crossed = () => framesSamples(viewer.messages).length;
      while (crossed() === 0) {
        s.sendNext(5);
        await sleep(50);
        if (s.sent > 500) throw new Error('no samples crossed processes before the fault');
      }
      await s.untilAcked(s.sent);

      await redis.stop();
      const before = s.sent;
      for (let i = 0; i < 20; i++) {
        s.sendNext(5);
        await sleep(25);
      }
      await s.untilAcked(s.sent, 10_000); // persistence does not depend on Redis

      await redis.start();
      const seen = crossed();
      const deadline = Date.now() + 15_000;
      while (crossed() === seen) {
        if (Date.now() > deadline) throw new Error('fan-out did not recover after Redis came back');
        s.sendNext(5);
        await sleep(100);
      }
      await s.untilAcked(s.sent);
      expect(s.sent).toBeGreaterThan(before);
      expect(await storedSeqs(one.config.DATABASE_URL!, w.a1.id)).toEqual(range(s.sent));
      s.socket.close();
      viewer.close();
    });
  });
});
