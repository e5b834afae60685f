import { type LiveSample, type WsLiveEvent, wsLiveServerMessageSchema } from '@athlete/contracts';
import { createMemoryPubSub } from '@athlete/platform';
import { describe, expect, it } from 'vitest';
import { LiveHub, type LiveSocket } from '../src/live/hub.ts';
import { BackpressureError, WriteBehind } from '../src/live/write-behind.ts';

/** A socket whose unsent byte count the test controls (a viewer on a slow network). */
class FakeSocket implements LiveSocket {
  sent: string[] = [];
  bufferedAmount = 0;
  closed: { code?: number; reason?: string } | null = null;
  send(data: string) {
    this.sent.push(data);
  }
  close(code?: number, reason?: string) {
    this.closed = { code, reason };
  }
  /** What was sent, each frame read with the contract's schema (and unchanged by it). */
  frames() {
    return this.sent.map((s) => {
      const raw = JSON.parse(s);
      const frame = wsLiveServerMessageSchema.parse(raw);
      expect(frame).toEqual(raw);
      return frame as { type: string; samples?: LiveSample[]; coalesced?: boolean };
    });
  }
}

const log = { warn() {}, debug() {} };
const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const alertEvent = (athleteId: string, value: number): WsLiveEvent => ({
  type: 'alert',
  alert: {
    id: `00000000-0000-4000-8000-${String(value).padStart(12, '0')}`,
    athleteId,
    rule: 'hr_high',
    severity: 'warning',
    message: `HR ${value}`,
    value,
    threshold: 180,
    startedAt: new Date(value * 1000).toISOString(),
  },
});
const sample = (athleteId: string, ts: number, hr = 120): LiveSample => ({
  athleteId,
  sessionId: null,
  ts,
  hr,
  speed: null,
  distance: null,
  lat: null,
  lon: null,
  cadence: null,
  power: null,
  zone: 2,
});

describe('LiveHub', () => {
  it('reports fan-out latency once per watched athlete and tick, from the oldest arrival', async () => {
    const latencies: number[] = [];
    const hub = new LiveHub({
      pubsub: createMemoryPubSub(),
      log,
      crossProcess: false,
      onFanout: (ms) => latencies.push(ms),
    });
    hub.addViewer({
      socket: new FakeSocket(),
      principal: 'c',
      target: { kind: 'team', id: 't' },
      athleteIds: [A],
    });
    hub.publishSamples(A, [sample(A, 1)]);
    await new Promise((r) => setTimeout(r, 30));
    hub.publishSamples(A, [sample(A, 2)]);
    hub.publishSamples('unwatched', [sample('unwatched', 1)]);
    hub.flushTick();
    expect(latencies).toHaveLength(1);
    expect(latencies[0]).toBeGreaterThanOrEqual(25);
    hub.flushTick();
    expect(latencies).toHaveLength(1);
  });

  it('sends one frame per viewer per tick holding every watched athlete, shared between identical views', () => {
    const hub = new LiveHub({ pubsub: createMemoryPubSub(), log, crossProcess: false });
    const coachA = new FakeSocket();
    const coachB = new FakeSocket();
    const athlete = new FakeSocket();
    hub.addViewer({
      socket: coachA,
      principal: 'c1',
      target: { kind: 'team', id: 't' },
      athleteIds: [A, B],
    });
    hub.addViewer({
      socket: coachB,
      principal: 'c2',
      target: { kind: 'team', id: 't' },
      athleteIds: [B, A],
    });
    hub.addViewer({
      socket: athlete,
      principal: A,
      target: { kind: 'athlete', id: A },
      athleteIds: [A],
    });
    hub.publishSamples(A, [sample(A, 1), sample(A, 2)]);
    hub.publishSamples(B, [sample(B, 1)]);
    hub.publishSamples('nobody-watches', [sample('x', 1)]);
    expect(coachA.sent).toEqual([]); // nothing before the tick
    hub.flushTick();
    expect(coachA.sent).toHaveLength(1);
    expect(coachA.sent[0]).toBe(coachB.sent[0]); // built once for both
    expect(coachA.frames()[0]!.samples!.map((s) => [s.athleteId, s.ts])).toEqual([
      [A, 1],
      [A, 2],
      [B, 1],
    ]);
    expect(athlete.frames()[0]!.samples!.map((s) => s.athleteId)).toEqual([A, A]);
    hub.flushTick();
    expect(coachA.sent).toHaveLength(1); // quiet tick, no empty frames
  });

  it('coalesces to the latest value per athlete for a backed-up viewer only, and catches it up when it drains', () => {
    const hub = new LiveHub({
      pubsub: createMemoryPubSub(),
      log,
      crossProcess: false,
      maxBufferedBytes: 1000,
    });
    const slow = new FakeSocket();
    const fast = new FakeSocket();
    hub.addViewer({
      socket: slow,
      principal: 's',
      target: { kind: 'team', id: 't' },
      athleteIds: [A, B],
    });
    hub.addViewer({
      socket: fast,
      principal: 'f',
      target: { kind: 'team', id: 't' },
      athleteIds: [A, B],
    });
    slow.bufferedAmount = 5000;
    for (let tick = 1; tick <= 50; tick++) {
      hub.publishSamples(A, [sample(A, tick, 100 + tick)]);
      if (tick % 2 === 0) hub.publishSamples(B, [sample(B, tick)]);
      hub.publishEvent(A, alertEvent(A, tick));
      hub.flushTick();
    }
    expect(fast.frames().filter((f) => f.type === 'samples')).toHaveLength(50);
    expect(slow.sent).toEqual([]); // nothing queued on the slow socket meanwhile
    slow.bufferedAmount = 0;
    hub.flushTick();
    const [catchUp, ...events] = slow.frames();
    expect(catchUp).toMatchObject({ type: 'samples', coalesced: true });
    expect(catchUp!.samples!.map((s) => [s.athleteId, s.ts])).toEqual([
      [A, 50],
      [B, 50],
    ]);
    expect(events).toHaveLength(50); // held events (bounded) follow in order
    hub.publishSamples(A, [sample(A, 51)]);
    hub.flushTick();
    expect(slow.frames().at(-1)).toMatchObject({ type: 'samples', samples: [{ athleteId: A, ts: 51 }] });
  });

  it('delivers samples published on another process, and not its own twice', async () => {
    const pubsub = createMemoryPubSub();
    const here = new LiveHub({ pubsub, log, crossProcess: true });
    const there = new LiveHub({ pubsub, log, crossProcess: true });
    const local = new FakeSocket();
    const remote = new FakeSocket();
    here.addViewer({
      socket: local,
      principal: 'x',
      target: { kind: 'athlete', id: A },
      athleteIds: [A],
    });
    there.addViewer({
      socket: remote,
      principal: 'y',
      target: { kind: 'athlete', id: A },
      athleteIds: [A],
    });
    await new Promise((r) => setTimeout(r, 10)); // subscriptions settle
    here.publishSamples(A, [sample(A, 7)]);
    here.flushTick(); // local frame + publish
    await new Promise((r) => setTimeout(r, 10));
    here.flushTick();
    there.flushTick();
    expect(local.frames().flatMap((f) => f.samples ?? [])).toHaveLength(1);
    expect(
      remote
        .frames()
        .flatMap((f) => f.samples ?? [])
        .map((s) => s.ts),
    ).toEqual([7]);
    expect(there.latest(A)?.ts).toBe(7);
    await here.stop();
    await there.stop();
  });
});

describe('LiveHub ticks (started)', () => {
  const turn = () => new Promise((r) => setImmediate(r));
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const started = (tickMs: number) => {
    const hub = new LiveHub({ pubsub: createMemoryPubSub(), log, crossProcess: false, tickMs });
    const socket = new FakeSocket();
    hub.addViewer({ socket, principal: 'c', target: { kind: 'team', id: 't' }, athleteIds: [A, B] });
    hub.start();
    return { hub, socket };
  };

  it('sends at once after a quiet spell, one frame for everything of the same event-loop turn', async () => {
    const { hub, socket } = started(10_000);
    hub.publishSamples(A, [sample(A, 1)]);
    hub.publishSamples(B, [sample(B, 1)]);
    expect(socket.sent).toHaveLength(0);
    await turn();
    await turn();
    expect(socket.frames()).toEqual([{ type: 'samples', samples: [sample(A, 1), sample(B, 1)] }]);
    await hub.stop();
  });

  it('keeps ticks at least tickMs apart: a sample right after a tick waits for the next one', async () => {
    const { hub, socket } = started(300);
    hub.publishSamples(A, [sample(A, 1)]);
    await turn();
    await turn();
    expect(socket.sent).toHaveLength(1);
    hub.publishSamples(A, [sample(A, 2)]);
    hub.publishSamples(A, [sample(A, 3)]);
    await sleep(50);
    expect(socket.sent).toHaveLength(1); // the 300 ms spacing holds it back
    await sleep(400);
    expect(socket.frames()[1]).toEqual({ type: 'samples', samples: [sample(A, 2), sample(A, 3)] });
    await hub.stop();
  });

  it('catches a backed-up viewer up once it drains, with no new samples arriving', async () => {
    const { hub, socket } = started(20);
    socket.bufferedAmount = 10 * 1024 * 1024;
    hub.publishSamples(A, [sample(A, 1), sample(A, 2)]);
    await sleep(60);
    expect(socket.sent).toHaveLength(0); // coalesced while backed up
    socket.bufferedAmount = 0;
    await sleep(100);
    expect(socket.frames()).toEqual([{ type: 'samples', coalesced: true, samples: [sample(A, 2)] }]);
    await hub.stop();
  });

  it('schedules nothing after stop', async () => {
    const { hub, socket } = started(10);
    await hub.stop();
    hub.publishSamples(A, [sample(A, 1)]);
    await sleep(40);
    expect(socket.sent).toHaveLength(0);
  });
});

describe('WriteBehind', () => {
  const row = (i: number) => ({
    athleteId: 'a',
    ts: new Date(i * 1000),
    sessionId: null,
    seq: i,
    hr: 100,
    rr: null,
    speed: null,
    cadence: null,
    power: null,
    distance: null,
    lat: null,
    lon: null,
    alt: null,
  });

  it('resolves writes once committed, retries failures in order, and refuses beyond capacity', async () => {
    const stored = new Map<number, number>();
    let down = true;
    let attempts = 0;
    const writer = new WriteBehind({
      flushIntervalMs: 10,
      capacity: 5,
      maxBackoffMs: 20,
      async quarantine() {
        throw new Error('no row is refused in this test');
      },
      async insert(rows) {
        attempts++;
        if (down) throw new Error('database down');
        const fresh = rows.filter((r) => !stored.has(r.ts.getTime()));
        for (const r of fresh) stored.set(r.ts.getTime(), Number(r.seq));
        return fresh.map((r) => ({ athleteId: r.athleteId, ts: r.ts }));
      },
    });
    let done = false;
    const first = writer.write([row(1), row(2), row(3)]).then((o) => {
      done = true;
      return o;
    });
    const second = writer.write([row(3), row(4)]);
    expect(() => writer.write([row(5)])).toThrow(BackpressureError);
    await new Promise((r) => setTimeout(r, 100));
    expect(attempts).toBeGreaterThan(1);
    expect(done).toBe(false);
    expect(writer.degraded).toBe(true);
    down = false;
    expect(await first).toEqual({ inserted: 3, duplicates: 0 });
    expect(await second).toEqual({ inserted: 1, duplicates: 1 });
    expect([...stored.values()]).toEqual([1, 2, 3, 4]);
    expect(writer.buffered).toBe(0);
    await writer.close();
  });

  it('splits a refused batch, and after a fault part-way retries only what is not stored yet', async () => {
    const stored = new Map<number, number>();
    const quarantined: number[] = [];
    const refusal = Object.assign(new Error('value out of range for type real'), { code: '22003' });
    let faultOnce = true;
    const writer = new WriteBehind({
      flushIntervalMs: 10,
      capacity: 100,
      maxBackoffMs: 20,
      async insert(rows) {
        if (rows.some((r) => r.hr === 666)) throw refusal;
        // Row 5 on its own (deep in the split) loses its connection once.
        if (faultOnce && rows.length === 1 && rows[0]!.ts.getTime() === 5000) {
          faultOnce = false;
          throw Object.assign(new Error('connection lost'), { code: '08006' });
        }
        const fresh = rows.filter((r) => !stored.has(r.ts.getTime()));
        for (const r of fresh) stored.set(r.ts.getTime(), Number(r.seq));
        return fresh.map((r) => ({ athleteId: r.athleteId, ts: r.ts }));
      },
      async quarantine(refused) {
        for (const q of refused) quarantined.push(Number(q.row.seq));
        expect(refused[0]).toMatchObject({ reason: 'value out of range for type real', code: '22003' });
      },
    });
    const rows = [1, 2, 3, 4, 5, 6].map(row);
    rows[2] = { ...rows[2]!, hr: 666 };
    rows[5] = { ...rows[5]!, hr: 666 };
    const first = writer.write(rows.slice(0, 3));
    const second = writer.write(rows.slice(3));
    expect(await first).toEqual({ inserted: 2, duplicates: 0, quarantined: 1 });
    // Row 4 was stored before the fault: it counts once, as inserted (not as a duplicate), and
    // the retry writes only rows 5 and 6.
    expect(await second).toEqual({ inserted: 2, duplicates: 0, quarantined: 1 });
    expect(faultOnce).toBe(false);
    expect(writer.degraded).toBe(false);
    expect([...stored.values()].sort()).toEqual([1, 2, 4, 5]);
    expect(quarantined).toEqual([3, 6]);
    expect(writer.buffered).toBe(0);
    await writer.close();
  });
});
