import type { LiveSample, RejectedSample, Sample } from '@athlete/contracts';
import { DEFAULT_SAMPLE_WINDOW, sampleValueFits, validateSamples } from '@athlete/contracts';
import { zoneOf } from '@athlete/core';
import type { SampleRow } from '@athlete/db';
import type { Principal } from '../access/index.ts';
import { AppError } from '../errors.ts';
import { historicalSessionFor, resummariseHistorical, splitAtGaps } from './late-samples.ts';
import type { LiveSource, OpenSession } from './live-sessions.ts';
import type { LiveParts } from './parts.ts';
import { BackpressureError, type FlushOutcome } from './write-behind.ts';

export interface IngestOptions {
  parts: LiveParts;
  principal: Principal;
  samples: readonly unknown[];
  source?: LiveSource;
  /** How the samples arrived (metrics label). */
  transport: 'http' | 'ws' | 'simulator';
  /**
   * What to do with samples for athletes the caller may not write for: 'throw' fails the
   * whole batch with 403 naming them (HTTP); 'reject' rejects just those samples (streams).
   */
  forbidden: 'throw' | 'reject';
  nowMs?: number;
}

export interface IngestOutcome {
  /** Samples taken into the pipeline (valid and allowed); see `durable` for new vs resent. */
  taken: number;
  rejected: RejectedSample[];
  /** Highest `seq` among the samples handled (taken or rejected), for acknowledgements. */
  maxSeq: number | null;
  /** Resolves once every taken sample is committed, with how many were new. */
  durable: Promise<FlushOutcome>;
}

interface Prepared {
  index: number;
  sample: Sample;
  athleteId: string;
}

/**
 * Accepts a batch of live samples: validates each on its own (good ones are kept, bad ones
 * named), resolves whose samples they are (`athleteId` defaults to the caller), checks the
 * caller may write for each athlete, attaches them to the athlete's live session, queues them
 * for storage, fans them out to live viewers and runs the alert engine. Throws 503
 * BACKPRESSURE (nothing taken) when the write buffer is full.
 */
export async function ingestSamples(opts: IngestOptions): Promise<IngestOutcome> {
  const { parts, principal } = opts;
  const nowMs = opts.nowMs ?? Date.now();
  // Full already: refuse before validating anything (under overload, refused batches come
  // back as resends; spending CPU on them first only deepens the overload).
  if (parts.writer.buffered >= parts.writer.capacity) refuse(parts, 1);
  const { accepted, rejected } = validateSamplesIndexed(opts.samples, nowMs);
  let maxSeq: number | null = null;
  for (const r of rejected) maxSeq = maxSeqOf(maxSeq, seqAt(opts.samples, r.index));

  const prepared: Prepared[] = [];
  for (const { index, sample } of accepted) {
    maxSeq = maxSeqOf(maxSeq, sample.seq);
    const athleteId = sample.athleteId ?? defaultAthlete(principal);
    if (!athleteId) {
      rejected.push({ index, field: 'athleteId', reason: 'is required for a gateway key (which athlete?)' });
      continue;
    }
    prepared.push({ index, sample, athleteId });
  }

  const athletes = new Set<string>();
  for (const p of prepared) athletes.add(p.athleteId);
  const verdict = parts.permits.forbiddenAthletes(principal, athletes);
  const forbidden = verdict instanceof Promise ? await verdict : verdict;
  if (forbidden.size > 0 && opts.forbidden === 'throw') {
    const ids = [...forbidden];
    throw new AppError(
      'FORBIDDEN',
      `Not allowed to write samples for athlete ${ids.join(', ')}`,
      ids.map((athleteId) => ({ field: 'athleteId', athleteId })),
    );
  }
  const allowed = forbidden.size > 0 ? prepared.filter((p) => !forbidden.has(p.athleteId)) : prepared;
  for (const p of prepared) {
    if (forbidden.has(p.athleteId)) {
      rejected.push({
        index: p.index,
        field: 'athleteId',
        reason: `not allowed to write for athlete ${p.athleteId}`,
      });
    }
  }
  if (rejected.length > 0) {
    parts.metrics.ingested.inc({ transport: opts.transport, outcome: 'rejected' }, rejected.length);
  }
  rejected.sort((a, b) => a.index - b.index);
  if (allowed.length === 0) {
    return { taken: 0, rejected, maxSeq, durable: Promise.resolve({ inserted: 0, duplicates: 0 }) };
  }

  refuse(parts, allowed.length);

  // Per athlete, in time order: session, rows, fan-out, alerts.
  const byAthlete = new Map<string, Sample[]>();
  for (const p of allowed) {
    const list = byAthlete.get(p.athleteId);
    if (list) list.push(p.sample);
    else byAthlete.set(p.athleteId, [p.sample]);
  }
  const source = opts.source ?? 'live';
  const gapMs = parts.deps.config.LIVE_SESSION_IDLE_SECONDS * 1000;
  const firstTs = new Map<string, number>();
  /** Per athlete, samples older than their live run: they go to sessions of their own time (#12.8). */
  const late = new Map<string, Sample[]>();
  for (const [athleteId, samples] of byAthlete) {
    samples.sort((a, b) => a.ts - b.ts);
    // Only the newest run can be live; whatever lies before a gap longer than the idle timeout is history.
    let k = samples.length - 1;
    while (k > 0 && samples[k]!.ts - samples[k - 1]!.ts <= gapMs) k--;
    if (k > 0) {
      late.set(athleteId, samples.slice(0, k));
      byAthlete.set(athleteId, samples.slice(k));
    }
    firstTs.set(athleteId, byAthlete.get(athleteId)![0]!.ts);
  }
  const ensured = parts.sessions.ensureMany(firstTs, source);
  const open = ensured instanceof Promise ? await ensured : ensured;
  for (const [athleteId, samples] of byAthlete) {
    // An open session that started later than a gap after these samples is not theirs either.
    const startedAt = open.get(athleteId)!.startedAt;
    const cut = samples.findIndex((x) => x.ts >= startedAt - gapMs);
    if (cut === 0) continue;
    const older = cut === -1 ? samples : samples.slice(0, cut);
    late.set(athleteId, [...(late.get(athleteId) ?? []), ...older]);
    byAthlete.set(athleteId, cut === -1 ? [] : samples.slice(cut));
  }
  const sessions = [...byAthlete]
    .filter(([, samples]) => samples.length > 0)
    .map(([athleteId, samples]) => [athleteId, samples, open.get(athleteId)!] as const);

  const rows: SampleRow[] = [];
  for (const [, samples, session] of sessions)
    for (const s of samples) rows.push(toRow(s, session.athleteId, session.id));
  const historical = new Map<string, string>(); // session id → athlete id
  for (const [athleteId, samples] of late) {
    for (const run of splitAtGaps(samples, gapMs)) {
      const sessionId = await historicalSessionFor(parts.deps, athleteId, source, run);
      historical.set(sessionId, athleteId);
      for (const s of run) rows.push(toRow(s, athleteId, sessionId));
    }
  }
  let durable: Promise<FlushOutcome>;
  try {
    durable = parts.writer.write(rows);
  } catch (err) {
    if (err instanceof BackpressureError) {
      parts.metrics.backpressure.inc();
      throw backpressure(err);
    }
    throw err;
  }
  durable.then(
    ({ inserted, duplicates }) => {
      parts.metrics.ingested.inc({ transport: opts.transport, outcome: 'accepted' }, inserted);
      if (duplicates > 0)
        parts.metrics.ingested.inc({ transport: opts.transport, outcome: 'duplicate' }, duplicates);
    },
    () => {}, // the caller handles the failure; only counting happens here
  );
  if (historical.size > 0) {
    durable.then(
      () =>
        Promise.all(
          [...historical].map(([sessionId, athleteId]) =>
            resummariseHistorical(parts.deps, athleteId, sessionId),
          ),
        ).catch((err: unknown) => parts.deps.log.warn({ err }, 'live: summarising late samples failed')),
      () => {},
    );
  }

  for (const [athleteId, samples, session] of sessions) {
    const fresh = samples.filter((s) => s.ts > session.liveTs);
    parts.sessions.touch(session, samples[samples.length - 1]!.ts, nowMs);
    if (fresh.length === 0) continue;
    session.liveTs = fresh[fresh.length - 1]!.ts;
    parts.hub.publishSamples(
      athleteId,
      fresh.map((s) => toLive(athleteId, s, session)),
    );
    parts.alerts.evaluate({ athleteId, sessionId: session.id, profile: session.profile }, fresh, nowMs);
  }
  return { taken: rows.length, rejected, maxSeq, durable };
}

/** Throws 503 BACKPRESSURE when `count` more rows do not fit in the write-behind buffer. */
function refuse(parts: LiveParts, count: number): void {
  try {
    parts.writer.assertRoom(count);
  } catch (err) {
    if (err instanceof BackpressureError) {
      parts.metrics.backpressure.inc();
      throw backpressure(err);
    }
    throw err;
  }
}

/**
 * `validateSamples` (contracts) with a fast path: a sample that is a plain object of known
 * fields holding finite numbers well inside every rule is taken as it is, without building a
 * zod parse for it. Anything else — an unknown field, a value at or beyond a bound, a string
 * timestamp, an athleteId not yet seen accepted by the schema — goes through
 * `validateSamples`, which stays the one source of every rule and every rejection reason. The
 * fast path only ever accepts what the schema accepts (test/live-validate.test.ts compares
 * both on generated input). Both paths answer athleteIds in lower case (UUIDs are
 * case-insensitive); the fast path lowercases an upper-case id in the sample itself, which is
 * the caller's freshly parsed input.
 */
export function validateIngestSamples(
  raw: readonly unknown[],
  nowMs: number,
): { accepted: { index: number; sample: Sample }[]; rejected: RejectedSample[] } {
  const accepted: { index: number; sample: Sample }[] = [];
  let slow: number[] | null = null;
  const minTs = nowMs - DEFAULT_SAMPLE_WINDOW.maxPastMs;
  const maxTs = nowMs + DEFAULT_SAMPLE_WINDOW.maxFutureMs;
  for (let i = 0; i < raw.length; i++) {
    const item = raw[i];
    if (fastValid(item, minTs, maxTs)) accepted.push({ index: i, sample: item as Sample });
    else if (slow) slow.push(i);
    else slow = [i];
  }
  if (!slow) return { accepted, rejected: [] };
  const { accepted: good, rejected } = validateSamples(
    slow.map((i) => raw[i]),
    nowMs,
  );
  const bad = new Set(rejected.map((r) => r.index));
  let k = 0;
  for (let j = 0; j < slow.length; j++) {
    if (bad.has(j)) continue;
    const sample = good[k++]!;
    if (sample.athleteId !== undefined) rememberAthleteId(sample.athleteId);
    accepted.push({ index: slow[j]!, sample });
  }
  accepted.sort((a, b) => a.index - b.index);
  return { accepted, rejected: rejected.map((r) => ({ ...r, index: slow[r.index]! })) };
}

/** athleteIds the schema accepted, in lower case (its UUID rule is applied once per id, not per sample). */
const knownAthleteIds = new Set<string>();
function rememberAthleteId(id: string): void {
  if (knownAthleteIds.size >= 200_000) knownAthleteIds.clear();
  knownAthleteIds.add(id);
}

const inside = (v: unknown, min: number, max: number) =>
  typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;

/**
 * True only for a sample the schema certainly accepts unchanged but for the athleteId's case,
 * which it lowercases in place; false means "ask the schema".
 */
function fastValid(item: unknown, minTs: number, maxTs: number): boolean {
  if (typeof item !== 'object' || item === null || Object.getPrototypeOf(item) !== Object.prototype)
    return false;
  const s = item as Record<string, unknown>;
  let measurement = false;
  let hasLat = false;
  let hasLon = false;
  let hasTs = false;
  for (const key in s) {
    const v = s[key];
    switch (key) {
      case 'athleteId': {
        if (typeof v !== 'string') return false;
        // Known ids are lower case: most senders hit at once; only a miss pays for lowercasing.
        if (knownAthleteIds.has(v)) break;
        const id = v.toLowerCase();
        if (id === v || !knownAthleteIds.has(id)) return false;
        s.athleteId = id;
        break;
      }
      case 'ts':
        if (!inside(v, 0, Number.MAX_VALUE) || (v as number) < minTs || (v as number) > maxTs) return false;
        hasTs = true;
        break;
      case 'seq':
        if (!Number.isSafeInteger(v) || (v as number) < 0) return false;
        break;
      case 'hr':
        if (!sampleValueFits('hr', v)) return false;
        measurement = true;
        break;
      case 'rr': {
        if (!Array.isArray(v) || v.length > 20) return false;
        for (const x of v) if (!sampleValueFits('rr', x)) return false;
        if (v.length > 0) measurement = true;
        break;
      }
      case 'speed':
        if (!sampleValueFits('speed', v)) return false;
        measurement = true;
        break;
      case 'cadence':
        if (!sampleValueFits('cadence', v)) return false;
        measurement = true;
        break;
      case 'power':
        if (!sampleValueFits('power', v)) return false;
        measurement = true;
        break;
      case 'distance':
        if (!sampleValueFits('distance', v)) return false;
        measurement = true;
        break;
      case 'lat':
        if (!sampleValueFits('lat', v)) return false;
        hasLat = true;
        measurement = true;
        break;
      case 'lon':
        if (!sampleValueFits('lon', v)) return false;
        hasLon = true;
        break;
      case 'alt':
        if (!sampleValueFits('alt', v)) return false;
        measurement = true;
        break;
      default:
        return false; // unknown field: the schema decides (it strips it)
    }
  }
  return hasTs && measurement && hasLat === hasLon;
}

function validateSamplesIndexed(raw: readonly unknown[], nowMs: number) {
  return validateIngestSamples(raw, nowMs);
}

function defaultAthlete(principal: Principal): string | null {
  if (principal.kind === 'user') return principal.userId;
  return principal.deviceKind === 'personal' ? principal.athleteId : null;
}

/** The client's seq of item `index` of a raw batch, when it is a safe non-negative integer. */
export function seqAt(raw: readonly unknown[], index: number): number | undefined {
  const item = raw[index] as { seq?: unknown } | null | undefined;
  const seq = typeof item === 'object' && item !== null ? item.seq : undefined;
  return typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0 ? seq : undefined;
}

function maxSeqOf(current: number | null, seq: number | undefined): number | null {
  if (seq === undefined) return current;
  return current === null || seq > current ? seq : current;
}

function backpressure(err: BackpressureError): AppError {
  const seconds = Math.max(1, Math.ceil(err.retryAfterMs / 1000));
  return new AppError(
    'BACKPRESSURE',
    'The server is buffering samples it cannot store yet; retry later',
    { buffered: err.buffered, capacity: err.capacity },
    { 'Retry-After': String(seconds) },
  );
}

const orNull = (v: number | undefined) => (v === undefined ? null : v);

function toRow(s: Sample, athleteId: string, sessionId: string): SampleRow {
  return {
    athleteId,
    ts: new Date(s.ts),
    sessionId,
    seq: orNull(s.seq),
    hr: orNull(s.hr),
    rr: s.rr ?? null,
    speed: orNull(s.speed),
    cadence: orNull(s.cadence),
    power: orNull(s.power),
    distance: orNull(s.distance),
    lat: orNull(s.lat),
    lon: orNull(s.lon),
    alt: orNull(s.alt),
  };
}

function toLive(athleteId: string, s: Sample, session: OpenSession): LiveSample {
  return {
    athleteId,
    sessionId: session.id,
    ts: s.ts,
    hr: orNull(s.hr),
    speed: orNull(s.speed),
    distance: orNull(s.distance),
    lat: orNull(s.lat),
    lon: orNull(s.lon),
    cadence: orNull(s.cadence),
    power: orNull(s.power),
    zone: s.hr === undefined ? null : zoneOf(s.hr, session.profile.zones),
  };
}
