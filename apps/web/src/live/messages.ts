import type { AthleteLiveState, SessionSummary } from '@athlete/contracts';
import type { Alert, LiveSample } from '../api/types.ts';

/**
 * What /ws/live sends (see `wsLiveServerMessageSchema` in @athlete/contracts), normalised for
 * the live store. Messages are checked field by field rather than with zod, which keeps zod out
 * of the bundle; anything unexpected is ignored, never thrown.
 */
export type LiveEvent =
  | { kind: 'samples'; samples: LiveSample[] }
  | { kind: 'alert'; alert: Alert }
  | {
      kind: 'session';
      athleteId: string;
      sessionId: string | null;
      state: 'started' | 'stopped';
      at: number;
      summary?: SessionSummary | null;
    }
  | { kind: 'snapshot'; athletes: AthleteLiveState[] }
  | { kind: 'error'; message: string }
  | { kind: 'ignored' };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const tsOf = (v: unknown): number | null => num(v) ?? (typeof v === 'string' ? Date.parse(v) || null : null);

export function toLiveSample(raw: unknown, athleteId?: string, sessionId?: string | null): LiveSample | null {
  if (!isObj(raw)) return null;
  const id = str(raw.athleteId) ?? athleteId;
  const ts = tsOf(raw.ts);
  if (!id || ts === null) return null;
  return {
    athleteId: id,
    ts,
    hr: num(raw.hr),
    speed: num(raw.speed),
    distance: num(raw.distance),
    lat: num(raw.lat),
    lon: num(raw.lon),
    alt: num(raw.alt),
    cadence: num(raw.cadence),
    power: num(raw.power),
    zone: num(raw.zone),
    sessionId: str(raw.sessionId) ?? sessionId ?? null,
  };
}

function toAlert(a: unknown): Alert | null {
  if (!isObj(a)) return null;
  const id = str(a.id);
  const athleteId = str(a.athleteId);
  const startedAt = str(a.startedAt);
  if (!id || !athleteId || !startedAt) return null;
  return {
    id,
    athleteId,
    sessionId: str(a.sessionId) ?? null,
    rule: (str(a.rule) ?? 'hr_high') as Alert['rule'],
    severity: a.severity === 'critical' ? 'critical' : a.severity === 'info' ? 'info' : 'warning',
    message: str(a.message) ?? '',
    value: num(a.value),
    threshold: num(a.threshold),
    startedAt,
    clearedAt: str(a.clearedAt) ?? null,
    acknowledgedAt: str(a.acknowledgedAt) ?? null,
    ...(isObj(a.acknowledgedBy) && str(a.acknowledgedBy.id) && typeof a.acknowledgedBy.name === 'string'
      ? { acknowledgedBy: { id: str(a.acknowledgedBy.id)!, name: a.acknowledgedBy.name } }
      : {}),
  };
}

export function parseLiveMessage(msg: unknown): LiveEvent {
  if (!isObj(msg)) return { kind: 'ignored' };
  switch (msg.type) {
    case 'samples': {
      const list = Array.isArray(msg.samples) ? msg.samples : [];
      const athleteId = str(msg.athleteId);
      const samples = list.map((s) => toLiveSample(s, athleteId)).filter((s): s is LiveSample => s !== null);
      return { kind: 'samples', samples };
    }
    case 'alert': {
      const alert = toAlert(msg.alert);
      return alert ? { kind: 'alert', alert } : { kind: 'ignored' };
    }
    case 'session': {
      const athleteId = str(msg.athleteId);
      if (!athleteId || (msg.event !== 'started' && msg.event !== 'stopped')) return { kind: 'ignored' };
      const session = isObj(msg.session) ? msg.session : {};
      const summary = isObj(msg.summary) ? (msg.summary as unknown as SessionSummary) : null;
      const at =
        msg.event === 'started'
          ? (tsOf(session.startedAt) ?? summary?.startTs ?? Date.now())
          : (tsOf(session.endedAt) ?? summary?.endTs ?? Date.now());
      return {
        kind: 'session',
        athleteId,
        sessionId: str(msg.sessionId) ?? null,
        state: msg.event,
        at,
        summary,
      };
    }
    case 'snapshot':
      return {
        kind: 'snapshot',
        athletes: (Array.isArray(msg.athletes) ? msg.athletes : []).filter(
          (a): a is AthleteLiveState => isObj(a) && typeof a.athleteId === 'string',
        ),
      };
    case 'error':
      return { kind: 'error', message: str(msg.message) ?? 'Live stream error' };
    default:
      return { kind: 'ignored' };
  }
}
