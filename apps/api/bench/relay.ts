/**
 * The benchmark's peer (`pnpm bench:live --peer`): a bare live relay, the least any live server
 * must do, driven by the same simulator and viewers as the API. WebSocket in on `/ws/ingest`,
 * each message's samples broadcast at once to the team's `/ws/live` viewers, rows COPYed into
 * the same samples table every 250 ms, and an ack after the commit. No authentication beyond a
 * key lookup, no sessions, alerts, zones, consent or validation: the API's p99 over this one's
 * is the cost of everything the product adds.
 *
 *   tsx apps/api/bench/relay.ts CONFIG.json   (written by bench/live.ts)
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { type LiveSample, seqRanges, type WsIngestAck, type WsLiveServerMessage } from '@athlete/contracts';
import { openPostgres, type SampleRow } from '@athlete/db';
import { WebSocket, WebSocketServer } from 'ws';

interface Config {
  port: number;
  databaseUrl: string;
  gateways: Array<{ credential: string; teamId: string }>;
}

const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Config;
const db = await openPostgres(config.databaseUrl, { poolSize: 4 });
const day = 86_400_000;
await db.ensureSamplePartitions(new Date(Date.now() - day), new Date(Date.now() + day));

type WsLiveSamplesFrame = Extract<WsLiveServerMessage, { type: 'samples' }>;
type WsSnapshot = Extract<WsLiveServerMessage, { type: 'snapshot' }>;

const teamOfKey = new Map(config.gateways.map((g) => [g.credential, g.teamId]));
const viewersOf = new Map<string, Set<WebSocket>>();

interface Pending {
  socket: WebSocket;
  seqs: number[];
}
let rows: SampleRow[] = [];
/** Rows taken and rows new to the table (the rest repeated an athlete's timestamp). */
let received = 0;
let stored = 0;
let pending: Pending[] = [];

type InSample = {
  athleteId: string;
  ts: number;
  seq: number;
  hr?: number;
  rr?: number[];
  speed?: number;
  cadence?: number;
  power?: number;
  distance?: number;
  lat?: number;
  lon?: number;
  alt?: number;
};

const orNull = (v: number | undefined) => v ?? null;

function onIngest(socket: WebSocket, teamId: string, text: string) {
  const msg = JSON.parse(text) as { type: string; samples?: InSample[] };
  if (msg.type === 'ping') return socket.send('{"type":"pong"}');
  if (msg.type !== 'samples' || !msg.samples) return;
  const live: LiveSample[] = [];
  const seqs: number[] = [];
  for (const s of msg.samples) {
    seqs.push(s.seq);
    rows.push({
      athleteId: s.athleteId,
      ts: new Date(s.ts),
      sessionId: null,
      seq: s.seq,
      hr: orNull(s.hr),
      rr: s.rr ?? [],
      speed: orNull(s.speed),
      cadence: orNull(s.cadence),
      power: orNull(s.power),
      distance: orNull(s.distance),
      lat: orNull(s.lat),
      lon: orNull(s.lon),
      alt: orNull(s.alt),
    });
    live.push({
      athleteId: s.athleteId,
      sessionId: null,
      ts: s.ts,
      hr: orNull(s.hr),
      speed: orNull(s.speed),
      distance: orNull(s.distance),
      lat: orNull(s.lat),
      lon: orNull(s.lon),
      cadence: orNull(s.cadence),
      power: orNull(s.power),
      zone: null,
    });
  }
  pending.push({ socket, seqs });
  const frame = JSON.stringify({ type: 'samples', samples: live } satisfies WsLiveSamplesFrame);
  for (const viewer of viewersOf.get(teamId) ?? []) viewer.send(frame);
}

/** Every 250 ms: COPY what arrived, then ack each message's seqs (acknowledged = committed). */
async function flush() {
  const batch = rows;
  const acks = pending;
  rows = [];
  pending = [];
  if (batch.length > 0) {
    stored += await db.copySamples!(batch);
    received += batch.length;
  }
  const perSocket = new Map<WebSocket, number[]>();
  for (const p of acks) perSocket.set(p.socket, [...(perSocket.get(p.socket) ?? []), ...p.seqs]);
  for (const [socket, seqs] of perSocket) {
    if (socket.readyState !== WebSocket.OPEN || seqs.length === 0) continue;
    socket.send(JSON.stringify({ type: 'ack', ranges: seqRanges(seqs) } satisfies WsIngestAck));
  }
}
(async function loop() {
  for (;;) {
    const started = Date.now();
    try {
      await flush();
    } catch (err) {
      process.stderr.write(`relay: flush failed: ${(err as Error).message}\n`);
    }
    await new Promise((r) => setTimeout(r, Math.max(0, 250 - (Date.now() - started))));
  }
})();

const server = createServer((req, res) => {
  res.writeHead(req.url === '/healthz' ? 200 : 404).end();
});
const wss = new WebSocketServer({ noServer: true });
server.on('upgrade', (req, socket, head) => {
  const url = new URL(req.url ?? '/', 'http://relay');
  const bearer = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
  wss.handleUpgrade(req, socket, head, (ws) => {
    if (url.pathname === '/ws/ingest') {
      const teamId = teamOfKey.get(bearer);
      if (!teamId) return ws.close(4401, 'unknown key');
      ws.on('message', (data) => onIngest(ws, teamId, data.toString()));
    } else if (url.pathname === '/ws/live') {
      const teamId = url.searchParams.get('teamId') ?? '';
      const set = viewersOf.get(teamId) ?? new Set<WebSocket>();
      viewersOf.set(teamId, set);
      set.add(ws);
      ws.on('close', () => set.delete(ws));
      ws.send(JSON.stringify({ type: 'snapshot', athletes: [] } satisfies WsSnapshot));
    } else ws.close(4404, 'unknown path');
  });
});
server.listen(config.port, '127.0.0.1');
for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.once(signal, () => {
    server.close();
    void flush().finally(() => {
      process.stderr.write(
        `relay: received ${received} rows, ${stored} new, ${received - stored} repeated a timestamp\n`,
      );
      void db.close().finally(() => process.exit(0));
    });
  });
