import { randomUUID } from 'node:crypto';
import type { LiveSample, WsLiveEvent } from '@athlete/contracts';
import type { PubSub, Unsubscribe } from '@athlete/platform';
import type { Logger } from 'pino';

/** What the hub needs from a WebSocket (the `ws` socket fits). */
export interface LiveSocket {
  send(data: string): void;
  readonly bufferedAmount: number;
  close(code?: number, reason?: string): void;
}

export type ViewTarget = { kind: 'athlete'; id: string } | { kind: 'team'; id: string };

export interface Viewer<P = unknown> {
  readonly id: string;
  readonly socket: LiveSocket;
  readonly principal: P;
  readonly target: ViewTarget;
  /** Athletes this viewer may see now (re-checked when access changes). */
  athleteIds: ReadonlySet<string>;
  /** Viewers with the same key see exactly the same frames, so frames are built once per key. */
  groupKey: string;
  /** Set while the socket is backed up: the latest sample per athlete, nothing older. */
  coalesced: Map<string, LiveSample> | null;
  /** Events (alerts, session changes) held while backed up, oldest dropped beyond a bound. */
  heldEvents: string[];
  closed: boolean;
}

export interface LiveHubOptions {
  pubsub: PubSub;
  log: Pick<Logger, 'warn' | 'debug'>;
  /**
   * Frames are batched per tick: one frame per viewer group per tick, and ticks at least this
   * far apart. A tick runs as soon as something is pending and the previous one is this old
   * (at once after a quiet spell), so a sample waits at most one tick and usually less.
   */
  tickMs?: number;
  /** Above this many unsent bytes on a socket its viewer gets coalesced frames only. */
  maxBufferedBytes?: number;
  /** Publish through pub/sub so viewers on other processes see this process's samples. */
  crossProcess: boolean;
  /** Called once per tick with the number of frames sent (metrics). */
  onTick?(stats: { frames: number; samples: number; coalescedViewers: number }): void;
  /** Per athlete and tick: ms from the oldest sample's arrival at ingest to its send to viewers. */
  onFanout?(latencyMs: number): void;
}

const MAX_HELD_EVENTS = 100;
/**
 * The one pub/sub channel live data crosses processes on: each process publishes one message
 * per tick holding every athlete's samples it accepted in that tick (and events as they
 * happen); every process keeps what its own viewers watch. At 10,000 athletes that is 10
 * messages per second per process instead of 10,000 (one per athlete), which is what Redis
 * and the publishing event loop can afford.
 */
export const LIVE_CHANNEL = 'live.samples';

/**
 * One pub/sub message (JSON after the `nodeId\n` prefix): either a tick's samples, as
 * `[athleteId, arrivalMs, samples][]` (arrival time at the publishing node of the oldest of
 * them, so fan-out latency includes the Redis hop), or one event for an athlete's viewers.
 */
interface WireMessage {
  s?: Array<[string, number, LiveSample[]]>;
  /** Events of the tick: [athleteId, the event message exactly as viewers get it][] */
  e?: Array<[string, string]>;
}

/**
 * Live fan-out. Samples accepted on this process are delivered to local viewers and published
 * once per tick (all athletes in one message) on {@link LIVE_CHANNEL}; every process delivers
 * what it receives for the athletes its own sockets watch. Local viewers get one frame per tick holding the tick's samples of every
 * athlete they watch. A viewer whose socket backs up is switched to the latest value per
 * athlete (only that viewer loses intermediate frames) until its buffer drains.
 */
export class LiveHub<P = unknown> {
  readonly nodeId = randomUUID();
  readonly #opts: Required<Omit<LiveHubOptions, 'onTick' | 'onFanout'>> &
    Pick<LiveHubOptions, 'onTick' | 'onFanout'>;
  readonly #nodePrefix: Buffer;
  readonly #byAthlete = new Map<string, Set<Viewer<P>>>();
  readonly #viewers = new Set<Viewer<P>>();
  /** The shared channel's subscription (made with the first viewer; retried while it fails). */
  #subscription: Promise<Unsubscribe | null> | null = null;
  /** This tick's samples for local viewers, by athlete. */
  #pending = new Map<string, LiveSample[]>();
  /** Arrival time (epoch ms) of the oldest sample in #pending, per athlete: fan-out latency. */
  #pendingSince = new Map<string, number>();
  /** This tick's locally accepted samples to publish to other processes, by athlete. */
  #outbound = new Map<string, LiveSample[]>();
  #outboundSince = new Map<string, number>();
  /** This tick's events for other processes' viewers: [athleteId, JSON][]. */
  #outboundEvents: Array<[string, string]> = [];
  readonly #latest = new Map<string, LiveSample>();
  #running = false;
  /** The next tick, when one is due (nothing pending: no timer at all). */
  #scheduled: { cancel(): void } | null = null;
  #lastTickAt = 0;

  constructor(opts: LiveHubOptions) {
    this.#opts = { tickMs: 100, maxBufferedBytes: 256 * 1024, ...opts };
    this.#nodePrefix = Buffer.from(`${this.nodeId}\n`);
  }

  start(): void {
    this.#running = true;
    this.#schedule();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#cancelScheduled();
    const sub = this.#subscription;
    this.#subscription = null;
    if (sub) await sub.then((unsubscribe) => unsubscribe?.()).catch(() => {});
  }

  get viewerCount(): number {
    return this.#viewers.size;
  }

  allViewers(): Viewer<P>[] {
    return [...this.#viewers];
  }

  latest(athleteId: string): LiveSample | undefined {
    return this.#latest.get(athleteId);
  }

  forgetLatest(athleteId: string): void {
    this.#latest.delete(athleteId);
  }

  addViewer(opts: {
    socket: LiveSocket;
    principal: P;
    target: ViewTarget;
    athleteIds: Iterable<string>;
  }): Viewer<P> {
    const viewer: Viewer<P> = {
      id: randomUUID(),
      socket: opts.socket,
      principal: opts.principal,
      target: opts.target,
      athleteIds: new Set(),
      groupKey: '',
      coalesced: null,
      heldEvents: [],
      closed: false,
    };
    this.#viewers.add(viewer);
    this.setViewerAthletes(viewer, opts.athleteIds);
    return viewer;
  }

  /** Changes what a viewer may see (e.g. after consent changed). */
  setViewerAthletes(viewer: Viewer<P>, athleteIds: Iterable<string>): void {
    const next = new Set(athleteIds);
    for (const id of viewer.athleteIds) if (!next.has(id)) this.#unlink(viewer, id);
    for (const id of next) if (!viewer.athleteIds.has(id)) this.#link(viewer, id);
    viewer.athleteIds = next;
    viewer.groupKey = `${viewer.target.kind}:${viewer.target.id}:${[...next].sort().join(',')}`;
    if (viewer.coalesced)
      for (const id of viewer.coalesced.keys()) if (!next.has(id)) viewer.coalesced.delete(id);
  }

  removeViewer(viewer: Viewer<P>): void {
    if (!this.#viewers.delete(viewer)) return;
    viewer.closed = true;
    for (const id of viewer.athleteIds) this.#unlink(viewer, id);
  }

  /** Closes a viewer's socket (e.g. 4403 when access was withdrawn) and forgets it. */
  closeViewer(viewer: Viewer<P>, code: number, reason: string): void {
    this.removeViewer(viewer);
    try {
      viewer.socket.close(code, reason);
    } catch {
      // already closed
    }
  }

  /** Samples accepted on this process (already validated and in time order per athlete). */
  publishSamples(athleteId: string, samples: LiveSample[]): void {
    if (samples.length === 0) return;
    this.#latest.set(athleteId, samples[samples.length - 1]!);
    const now = Date.now();
    if (this.#byAthlete.has(athleteId)) {
      append(this.#pending, athleteId, samples);
      if (!this.#pendingSince.has(athleteId)) this.#pendingSince.set(athleteId, now);
    }
    if (this.#opts.crossProcess) {
      append(this.#outbound, athleteId, samples);
      if (!this.#outboundSince.has(athleteId)) this.#outboundSince.set(athleteId, now);
    }
    this.#schedule();
  }

  /** An event for an athlete's viewers everywhere (alerts, session start/stop). Sent at once. */
  publishEvent(athleteId: string, message: WsLiveEvent): void {
    const json = JSON.stringify(message);
    this.#deliverEvent(athleteId, json);
    if (!this.#opts.crossProcess) return;
    // Ride along with the tick's samples (10,000 sessions starting at once are 10,000 events);
    // without ticks (not started), publish at once.
    if (this.#running) {
      this.#outboundEvents.push([athleteId, json]);
      this.#schedule();
    } else this.#publish(`{"e":${JSON.stringify([[athleteId, json]])}}`);
  }

  /**
   * Asks for a tick: at once (end of this event-loop turn, so everything read in the same turn
   * shares it) when the last one is at least tickMs old, otherwise when it will be.
   */
  #schedule(): void {
    if (!this.#running || this.#scheduled) return;
    const run = () => {
      this.#scheduled = null;
      this.flushTick();
    };
    const wait = this.#lastTickAt + this.#opts.tickMs - Date.now();
    if (wait <= 0) {
      const immediate = setImmediate(run);
      this.#scheduled = { cancel: () => clearImmediate(immediate) };
    } else {
      const timer = setTimeout(run, wait);
      timer.unref?.();
      this.#scheduled = { cancel: () => clearTimeout(timer) };
    }
  }

  #cancelScheduled(): void {
    this.#scheduled?.cancel();
    this.#scheduled = null;
  }

  /** Sends this tick's frames and publishes this tick's samples (scheduled by #schedule). */
  flushTick(): void {
    this.#lastTickAt = Date.now();
    // Each athlete's samples of this tick are serialised once, for the pub/sub message and
    // for every local frame that carries them.
    const fragments = new Map<string, string>();
    const fragmentOf = (athleteId: string, samples: LiveSample[]) => {
      let f = fragments.get(athleteId);
      if (f === undefined) {
        f =
          samples.length === 1 ? JSON.stringify(samples[0]) : samples.map((x) => JSON.stringify(x)).join(',');
        fragments.set(athleteId, f);
      }
      return f;
    };
    if (this.#opts.crossProcess && this.#viewers.size > 0) this.#ensureSubscribed();
    if (this.#outbound.size > 0 || this.#outboundEvents.length > 0) {
      const outbound = this.#outbound;
      const since = this.#outboundSince;
      const events = this.#outboundEvents;
      this.#outbound = new Map();
      this.#outboundSince = new Map();
      this.#outboundEvents = [];
      const parts: string[] = [];
      for (const [athleteId, samples] of outbound) {
        parts.push(
          `[${JSON.stringify(athleteId)},${since.get(athleteId) ?? Date.now()},[${fragmentOf(athleteId, samples)}]]`,
        );
      }
      this.#publish(`{"s":[${parts.join(',')}],"e":${JSON.stringify(events)}}`);
    }
    const pending = this.#pending;
    const pendingSince = this.#pendingSince;
    this.#pending = new Map();
    this.#pendingSince = new Map();
    const sentAt = Date.now();
    let frames = 0;
    let sampleCount = 0;
    const perViewer = new Map<Viewer<P>, string[]>();
    for (const [athleteId, samples] of pending) {
      const viewers = this.#byAthlete.get(athleteId);
      if (!viewers) continue;
      sampleCount += samples.length;
      const since = pendingSince.get(athleteId);
      if (since !== undefined) this.#opts.onFanout?.(sentAt - since);
      let fragment: string | null = null;
      for (const v of viewers) {
        if (v.coalesced || v.socket.bufferedAmount > this.#opts.maxBufferedBytes) {
          v.coalesced ??= new Map();
          v.coalesced.set(athleteId, samples[samples.length - 1]!);
          continue;
        }
        fragment ??= fragmentOf(athleteId, samples);
        const parts = perViewer.get(v);
        if (parts) parts.push(fragment);
        else perViewer.set(v, [fragment]);
      }
    }
    const built = new Map<string, string>();
    for (const [v, parts] of perViewer) {
      let frame = built.get(v.groupKey);
      if (frame === undefined) {
        frame = `{"type":"samples","samples":[${parts.join(',')}]}`;
        built.set(v.groupKey, frame);
      }
      this.#send(v, frame);
      frames++;
    }
    let coalescedViewers = 0;
    for (const v of this.#viewers) {
      if (!v.coalesced) continue;
      if (v.socket.bufferedAmount > this.#opts.maxBufferedBytes / 2) {
        coalescedViewers++;
        continue;
      }
      // Drained: the latest value per athlete, then what was held, then normal frames again.
      const latest = [...v.coalesced.values()];
      v.coalesced = null;
      if (latest.length > 0) {
        this.#send(v, JSON.stringify({ type: 'samples', coalesced: true, samples: latest }));
        frames++;
      }
      for (const e of v.heldEvents.splice(0)) this.#send(v, e);
    }
    this.#opts.onTick?.({ frames, samples: sampleCount, coalescedViewers });
    // Ticks also serve what is waiting on the outside: a backed-up viewer to drain, or a
    // subscription to retry. Check again one tick later while either is the case.
    const unsubscribed = this.#opts.crossProcess && this.#byAthlete.size > 0 && !this.#subscription;
    if (coalescedViewers > 0 || unsubscribed) this.#schedule();
  }

  #send(v: Viewer<P>, data: string): void {
    if (v.closed) return;
    try {
      v.socket.send(data);
    } catch (err) {
      this.#opts.log.debug({ err }, 'live: send to viewer failed');
    }
  }

  #deliverEvent(athleteId: string, json: string): void {
    const viewers = this.#byAthlete.get(athleteId);
    if (!viewers) return;
    for (const v of viewers) {
      if (v.coalesced || v.socket.bufferedAmount > this.#opts.maxBufferedBytes) {
        v.coalesced ??= new Map();
        v.heldEvents.push(json);
        if (v.heldEvents.length > MAX_HELD_EVENTS) v.heldEvents.shift();
        this.#schedule(); // a tick sends what was held once the socket drains
        continue;
      }
      this.#send(v, json);
    }
  }

  #publish(json: string): void {
    const payload = Buffer.concat([this.#nodePrefix, Buffer.from(json)]);
    // Fire and forget: with Redis down, fan-out to other processes degrades, nothing else does.
    this.#opts.pubsub.publish(LIVE_CHANNEL, payload).catch((err) => {
      this.#opts.log.debug({ err }, 'live: publish failed (pub/sub unavailable)');
    });
  }

  /** Subscribes to the shared channel once; a failed attempt is retried a tick later. */
  #ensureSubscribed(): void {
    if (this.#subscription) return;
    const sub = this.#opts.pubsub
      .subscribe(LIVE_CHANNEL, (message) => this.#onRemote(message))
      .catch((err) => {
        this.#opts.log.warn({ err }, 'live: could not subscribe to pub/sub; will retry');
        if (this.#subscription === sub) this.#subscription = null;
        this.#schedule();
        return null;
      });
    this.#subscription = sub;
  }

  #onRemote(raw: Buffer): void {
    if (
      raw.length >= this.#nodePrefix.length &&
      raw.subarray(0, this.#nodePrefix.length).equals(this.#nodePrefix)
    ) {
      return; // our own message: delivered locally already
    }
    // Nobody here watches anything: nothing to deliver, not worth parsing.
    if (this.#byAthlete.size === 0) return;
    const nl = raw.indexOf(10);
    let msg: WireMessage;
    try {
      msg = JSON.parse(raw.subarray(nl + 1).toString()) as WireMessage;
    } catch {
      return;
    }
    if (Array.isArray(msg.e)) {
      for (const entry of msg.e) {
        if (!Array.isArray(entry)) continue;
        const [athleteId, json] = entry;
        if (typeof athleteId === 'string' && typeof json === 'string') this.#deliverEvent(athleteId, json);
      }
    }
    if (!Array.isArray(msg.s)) return;
    for (const entry of msg.s) {
      if (!Array.isArray(entry)) continue;
      const [athleteId, arrival, samples] = entry;
      if (typeof athleteId !== 'string' || !Array.isArray(samples) || samples.length === 0) continue;
      // Only athletes watched here (the others are other processes' business).
      if (!this.#byAthlete.has(athleteId)) continue;
      this.#latest.set(athleteId, samples[samples.length - 1]!);
      append(this.#pending, athleteId, samples);
      // The publisher's arrival time, so the latency includes the Redis hop.
      const since = typeof arrival === 'number' ? arrival : Date.now();
      const known = this.#pendingSince.get(athleteId);
      if (known === undefined || since < known) this.#pendingSince.set(athleteId, since);
    }
    if (this.#pending.size > 0) this.#schedule();
  }

  #link(viewer: Viewer<P>, athleteId: string): void {
    let set = this.#byAthlete.get(athleteId);
    if (!set) {
      set = new Set();
      this.#byAthlete.set(athleteId, set);
      if (this.#opts.crossProcess) this.#ensureSubscribed();
    }
    set.add(viewer);
  }

  #unlink(viewer: Viewer<P>, athleteId: string): void {
    const set = this.#byAthlete.get(athleteId);
    if (!set) return;
    set.delete(viewer);
    if (set.size > 0) return;
    this.#byAthlete.delete(athleteId);
  }
}

function append<K, V>(map: Map<K, V[]>, key: K, values: V[]): void {
  const list = map.get(key);
  if (list) list.push(...values);
  else map.set(key, [...values]);
}
