import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SimulatedRunner } from './athletes.ts';
import { type Gateway, setupDemo } from './setup.ts';
import { IngestStream } from './stream.ts';

const HELP = `Streams simulated athletes to the Athlete Platform ingest WebSocket.

  pnpm simulate --url http://localhost:3000 --setup --athletes 100
  pnpm simulate --url http://localhost:3000 --key apk_… --athlete-ids id1,id2
  pnpm simulate --url http://localhost:3000 --token aps_…   (one athlete: the token's user)

Options:
  --url URL            API base URL (http:// or https://)             [http://localhost:3000]
  --athletes N         athletes to simulate (with --setup)              [10]
  --gateway-size N     athletes per gateway connection                  [50]
  --per-athlete        one connection per athlete instead (with --setup)
  --rate HZ            samples per second per athlete (1 = DATA_FREQUENCY 1 s)   [1]
  --duration S         seconds to stream; 0 = until interrupted         [60]
  --setup              create a demo coach, teams, athletes (with HR profiles) and gateway
                       keys via the REST API
  --token TOKEN        a user's session token (streams for that user)
  --key KEY            a gateway ingest key (needs --athlete-ids)
  --athlete-ids LIST   comma-separated athlete ids for --key
  --plan FILE          JSON [{credential, athleteIds}] (benchmarks)
  --slices N           send groups per period: connections in the same group send in the
                       same millisecond; default one group per connection, at most one
                       every 5 ms (independent gateways); 10 = 10 synchronised bursts a second
  --rest S             rest between sessions, about S seconds each (±25 %), sensor off; the
                       server closes a session after LIVE_SESSION_IDLE_SECONDS (300) of
                       silence, so S > 300 gives sessions that end and restart; 0 = one
                       session after another without a break (benchmarks)
                                                           [600 with --setup, else 0]
  --no-faults          no simulated dropouts or HR spikes
  --json               print the totals as one JSON line at the end
  --quiet              no per-second progress`;

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://localhost:3000' },
    athletes: { type: 'string', default: '10' },
    'gateway-size': { type: 'string', default: '50' },
    'per-athlete': { type: 'boolean', default: false },
    rate: { type: 'string', default: '1' },
    duration: { type: 'string', default: '60' },
    setup: { type: 'boolean', default: false },
    token: { type: 'string' },
    key: { type: 'string' },
    'athlete-ids': { type: 'string' },
    plan: { type: 'string' },
    slices: { type: 'string' },
    rest: { type: 'string' },
    'no-faults': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  process.stderr.write(`simulate: ${message}\n\n${HELP}\n`);
  process.exit(2);
}

function positive(name: string, value: string | undefined, allowZero = false): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0))
    fail(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number`);
  return n;
}

if (values.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}
const baseUrl = values.url!;
if (!/^https?:\/\//.test(baseUrl)) fail('--url must start with http:// or https://');
const athletesWanted = Math.floor(positive('athletes', values.athletes));
const gatewaySize = Math.floor(positive('gateway-size', values['gateway-size']));
const rate = positive('rate', values.rate);
const duration = positive('duration', values.duration, true);
// A demo team (--setup) rests between sessions, so sessions close and history grows; a plan or
// key (the benchmarks) streams without pauses, a steady load.
const restS = positive('rest', values.rest ?? (values.setup ? '600' : '0'), true);
const slicesWanted = values.slices ? Math.max(1, Math.floor(positive('slices', values.slices))) : null;
const log = (line: string) => {
  if (!values.json) process.stdout.write(`${line}\n`);
};

let gateways: Gateway[];
if (values.plan) {
  gateways = JSON.parse(readFileSync(values.plan, 'utf8')) as Gateway[];
} else if (values.setup) {
  const demo = await setupDemo({ baseUrl, athletes: athletesWanted, gatewaySize, log });
  gateways = values['per-athlete']
    ? demo.athletes.map((a) => ({ credential: a.token, athleteIds: [a.id] }))
    : demo.gateways;
} else if (values.key) {
  const ids = (values['athlete-ids'] ?? '').split(',').filter(Boolean);
  if (ids.length === 0) fail('--key needs --athlete-ids');
  gateways = [];
  for (let i = 0; i < ids.length; i += gatewaySize)
    gateways.push({ credential: values.key, athleteIds: ids.slice(i, i + gatewaySize) });
} else if (values.token) {
  gateways = [{ credential: values.token, athleteIds: [] }];
} else {
  fail('give --setup, --token, --key with --athlete-ids, or --plan');
}

const wsUrl = `${baseUrl.replace(/^http/, 'ws').replace(/\/$/, '')}/ws/ingest`;
let index = 0;
const connections = gateways.map((g) => {
  const stream = new IngestStream(wsUrl, g.credential, {
    source: 'simulator',
    onError: (m) => log(`! ${m}`),
  });
  // A user token with no ids streams for the token's own athlete (athleteId omitted).
  const runners = (g.athleteIds.length > 0 ? g.athleteIds : [undefined]).map(
    (id) => new SimulatedRunner(id, index++, { faults: !values['no-faults'], restS }),
  );
  stream.connect();
  return { stream, runners };
});
const athleteCount = connections.reduce((n, c) => n + c.runners.length, 0);
log(`streaming ${athleteCount} athletes over ${connections.length} connections at ${rate} Hz to ${wsUrl}`);

const periodMs = 1000 / rate;
const started = Date.now();
let ticks = 0;
let stopping = false;
let lastReport = { at: started, sent: 0 };

const totals = () => {
  const t = { sent: 0, acked: 0, resent: 0, rejected: 0, backpressure: 0, reconnects: 0, pending: 0 };
  for (const { stream } of connections) {
    t.sent += stream.stats.sent;
    t.acked += stream.stats.acked;
    t.resent += stream.stats.resent;
    t.rejected += stream.stats.rejected;
    t.backpressure += stream.stats.backpressure;
    t.reconnects += stream.stats.reconnects;
    t.pending += stream.pending;
  }
  return t;
};

// Spread the connections over the period as independent gateways would be (each sends its
// athletes' samples once per period, at its own phase), at most one send group every 5 ms;
// --slices sets the number of groups (e.g. 10 synchronised bursts a second, a harsher load).
const slices = slicesWanted ?? Math.max(1, Math.min(connections.length, Math.round(periodMs / 5)));
const sliceMs = periodMs / slices;
// Driven by the clock, not by counting timer callbacks: a late timer (a busy machine, or a
// 5 ms interval Node cannot keep) sends every group that has come due, so the rate holds.
const timer = setInterval(() => {
  if (stopping) return;
  const now = Date.now();
  const due = Math.floor((now - started) / sliceMs);
  for (; ticks <= due; ticks++) {
    const slice = ticks % slices;
    // Each sample carries the time its tick was due: catch-up ticks sent together must not share
    // a timestamp (the server would take the second as a duplicate of the first).
    const dueAt = Math.round(started + ticks * sliceMs);
    for (let ci = slice; ci < connections.length; ci += slices) {
      const c = connections[ci]!;
      const batch = [];
      for (const r of c.runners) {
        const s = r.next(1 / rate, dueAt);
        if (s) batch.push(s);
      }
      c.stream.push(batch);
    }
  }
}, sliceMs);

const progress = setInterval(() => {
  const t = totals();
  const now = Date.now();
  const perSecond = ((t.sent - lastReport.sent) * 1000) / (now - lastReport.at);
  lastReport = { at: now, sent: t.sent };
  if (!values.quiet) {
    log(
      `t=${Math.round((now - started) / 1000)}s sent=${t.sent} (${Math.round(perSecond)}/s) acked=${t.acked} ` +
        `unacked=${t.pending} resent=${t.resent} rejected=${t.rejected} backpressure=${t.backpressure} reconnects=${t.reconnects}`,
    );
  }
}, 1000);

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(timer);
  clearInterval(progress);
  const drained = await Promise.all(connections.map((c) => c.stream.drain(30_000)));
  for (const c of connections) c.stream.close();
  const t = totals();
  const seconds = (Date.now() - started) / 1000;
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ ...t, athletes: athleteCount, connections: connections.length, seconds })}\n`,
    );
  } else {
    log(
      `done: ${t.acked}/${t.sent} samples acknowledged in ${seconds.toFixed(1)} s ` +
        `(${t.resent} resent, ${t.rejected} rejected)${drained.every(Boolean) ? '' : '; some were never acknowledged'}`,
    );
  }
  process.exit(drained.every(Boolean) ? 0 : 1);
}

process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
if (duration > 0) setTimeout(() => void stop(), duration * 1000);
