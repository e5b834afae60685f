import type { Alert, LiveSample } from '../api/types.ts';

/** What the live hub can send, normalised: the SPA works from these, whatever the wire spelling. */
export type LiveEvent =
  | { kind: 'samples'; samples: LiveSample[] }
  | { kind: 'alert'; alert: Alert }
  | { kind: 'alert-update'; id: string; acknowledgedAt?: string | null; clearedAt?: string | null }
  | { kind: 'session'; athleteId: string; sessionId: string | null; state: 'started' | 'stopped'; at: number }
  | { kind: 'error'; message: string }
  | { kind: 'ignored' };

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const tsOf = (v: unknown): number | undefined =>
  num(v) ?? (typeof v === 'string' ? Date.parse(v) || undefined : undefined);
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function toSample(
  raw: unknown,
  athleteId: string | undefined,
  sessionId: string | undefined,
): LiveSample | null {
  if (!isObj(raw)) return null;
  const id = str(raw.athleteId) ?? athleteId;
  const ts = tsOf(raw.ts);
  if (!id || ts === undefined) return null;
  return {
    athleteId: id,
    ts,
    hr: num(raw.hr) ?? null,
    speed: num(raw.speed) ?? null,
    distance: num(raw.distance) ?? null,
    lat: num(raw.lat) ?? null,
    lon: num(raw.lon) ?? null,
    alt: num(raw.alt) ?? null,
    cadence: num(raw.cadence) ?? null,
    power: num(raw.power) ?? null,
    sessionId: str(raw.sessionId) ?? sessionId ?? null,
  };
}

/** Parses one /ws/live message (already JSON-decoded). Unknown messages are ignored, never thrown. */
export function parseLiveMessage(msg: unknown): LiveEvent {
  if (!isObj(msg)) return { kind: 'ignored' };
  const type = str(msg.type) ?? '';
  if (type === 'samples' || type === 'sample') {
    const athleteId = str(msg.athleteId);
    const sessionId = str(msg.sessionId);
    const list = Array.isArray(msg.samples) ? msg.samples : [msg.sample ?? msg];
    const samples = list.map((s) => toSample(s, athleteId, sessionId)).filter((s): s is LiveSample => !!s);
    return { kind: 'samples', samples };
  }
  if (type === 'alert' || type === 'alert.raised' || type === 'alert.fired') {
    const a = isObj(msg.alert) ? msg.alert : msg;
    const id = str(a.id);
    const athleteId = str(a.athleteId);
    if (!id || !athleteId) return { kind: 'ignored' };
    const startedAt = a.startedAt ?? a.ts ?? Date.now();
    return {
      kind: 'alert',
      alert: {
        id,
        athleteId,
        athleteName: str(a.athleteName),
        sessionId: str(a.sessionId) ?? null,
        rule: str(a.rule) ?? 'alert',
        severity: a.severity === 'critical' ? 'critical' : a.severity === 'info' ? 'info' : 'warning',
        message: str(a.message) ?? 'Alert',
        value: num(a.value) ?? null,
        threshold: num(a.threshold) ?? null,
        startedAt: new Date(tsOf(startedAt) ?? Date.now()).toISOString(),
        clearedAt: (str(a.clearedAt) as string | undefined) ?? null,
        acknowledgedAt: (str(a.acknowledgedAt) as string | undefined) ?? null,
      },
    };
  }
  if (
    type === 'alert.cleared' ||
    type === 'alert.acknowledged' ||
    type === 'alert_update' ||
    type === 'alert.update'
  ) {
    const a = isObj(msg.alert) ? msg.alert : msg;
    const id = str(a.id) ?? str(a.alertId);
    if (!id) return { kind: 'ignored' };
    return {
      kind: 'alert-update',
      id,
      acknowledgedAt:
        str(a.acknowledgedAt) ?? (type === 'alert.acknowledged' ? new Date().toISOString() : undefined),
      clearedAt: str(a.clearedAt) ?? (type === 'alert.cleared' ? new Date().toISOString() : undefined),
    };
  }
  const sessionType = /^session[._-]?(start|started|stop|stopped|end|ended|open|opened|close|closed)$/.exec(
    type,
  );
  if (sessionType || type === 'session') {
    const s = isObj(msg.session) ? msg.session : msg;
    const athleteId = str(s.athleteId) ?? str(msg.athleteId);
    if (!athleteId) return { kind: 'ignored' };
    const verb = sessionType?.[1] ?? str(msg.event) ?? str(s.status) ?? '';
    const started = /^(start|started|open|opened)$/.test(verb);
    const at = tsOf(started ? (s.startedAt ?? msg.ts) : (s.endedAt ?? msg.ts)) ?? Date.now();
    return {
      kind: 'session',
      athleteId,
      sessionId: str(s.sessionId) ?? str(s.id) ?? null,
      state: started ? 'started' : 'stopped',
      at,
    };
  }
  if (type === 'error') return { kind: 'error', message: str(msg.message) ?? 'Live stream error' };
  return { kind: 'ignored' };
}
