/**
 * Benchmark load: live viewers in their own process (so they do not share the API's event
 * loop). Reads a JSON config file, opens every `/ws/live?teamId=…` socket, and records the
 * delay from each sample's timestamp (stamped by the simulator with the time its send was due) to its receipt,
 * for samples stamped inside the measurement window. Prints one JSON line and exits.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocket } from 'ws';

interface Config {
  url: string;
  viewers: Array<{ token: string; teamId: string }>;
  measureFrom: number;
  measureTo: number;
  exitAt: number;
}

const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Config;
const histogram = new Uint32Array(60_001);
/** One coarse histogram per 5 s of the window (10 ms buckets), to see whether latency drifts. */
const BUCKET_S = 5;
const timeline: Uint32Array[] = [];
let received = 0;
let measured = 0;
let duplicates = 0;
let coalescedFrames = 0;
let frames = 0;
let opened = 0;
let closedEarly = 0;

function openViewer(v: { token: string; teamId: string }): Promise<void> {
  return new Promise((resolve) => {
    // Newest ts received per athlete: the server sends each athlete's samples once, in time
    // order, so anything not newer is a duplicate (or out of order). A map per athlete rather
    // than a set of every key keeps this process's heap (and GC pauses, which would show up
    // as latency) small.
    const newest = new Map<string, number>();
    const ws = new WebSocket(`${config.url}/ws/live?teamId=${v.teamId}`, {
      headers: { authorization: `Bearer ${v.token}` },
    });
    ws.on('message', (data) => {
      const now = Date.now();
      const msg = JSON.parse(data.toString()) as {
        type: string;
        coalesced?: boolean;
        samples?: Array<{ athleteId: string; ts: number }>;
      };
      if (msg.type === 'snapshot') {
        opened++;
        resolve();
        return;
      }
      if (msg.type !== 'samples' || !msg.samples) return;
      frames++;
      if (msg.coalesced) coalescedFrames++;
      for (const s of msg.samples) {
        received++;
        if (s.ts < config.measureFrom || s.ts > config.measureTo) continue;
        const last = newest.get(s.athleteId);
        if (last !== undefined && s.ts <= last) {
          duplicates++;
          continue;
        }
        newest.set(s.athleteId, s.ts);
        measured++;
        const delay = Math.min(60_000, Math.max(0, now - s.ts));
        histogram[delay]!++;
        const slot = Math.floor((s.ts - config.measureFrom) / (BUCKET_S * 1000));
        timeline[slot] ??= new Uint32Array(6_001);
        timeline[slot]![Math.floor(delay / 10)]!++;
      }
    });
    ws.on('close', () => {
      if (Date.now() < config.exitAt - 1_000) closedEarly++;
      resolve();
    });
    ws.on('error', () => resolve());
  });
}

function bucketP99(h: Uint32Array): number | null {
  let n = 0;
  for (const c of h) n += c;
  if (n === 0) return null;
  let acc = 0;
  for (let i = 0; i < h.length; i++) {
    acc += h[i]!;
    if (acc >= Math.ceil(0.99 * n)) return i * 10;
  }
  return null;
}

function percentile(p: number): number | null {
  if (measured === 0) return null;
  const target = Math.ceil((p / 100) * measured);
  let acc = 0;
  for (let ms = 0; ms < histogram.length; ms++) {
    acc += histogram[ms]!;
    if (acc >= target) return ms;
  }
  return null;
}

/**
 * This process's own event-loop delay during the window: a receipt is timed when the loop gets
 * to it, so a stall here (GC, a burst of frames, the shared cores) counts as latency too.
 */
const loop = monitorEventLoopDelay({ resolution: 5 });
setTimeout(() => loop.enable(), Math.max(0, config.measureFrom - Date.now()));
setTimeout(() => loop.disable(), Math.max(0, config.measureTo - Date.now()));

// Open in small waves so the server is not hit by 500 handshakes at once.
for (let i = 0; i < config.viewers.length; i += 25) {
  await Promise.all(config.viewers.slice(i, i + 25).map(openViewer));
}
process.stderr.write(`viewers: ${opened}/${config.viewers.length} subscribed\n`);
setTimeout(
  () => {
    process.stdout.write(
      `${JSON.stringify({
        opened,
        closedEarly,
        frames,
        coalescedFrames,
        received,
        measured,
        duplicates,
        p50: percentile(50),
        p95: percentile(95),
        p99: percentile(99),
        max: percentile(100),
        loopP99Ms: Math.round(loop.percentile(99) / 1e6),
        loopMaxMs: Math.round(loop.max / 1e6),
        timeline: [...timeline.entries()].map(([i, h]) => ({
          s: i * BUCKET_S,
          n: h ? h.reduce((a, b) => a + b, 0) : 0,
          p99: h ? bucketP99(h) : null,
        })),
      })}\n`,
    );
    process.exit(0);
  },
  Math.max(0, config.exitAt - Date.now()),
);
