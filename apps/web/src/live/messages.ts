import {
  type AthleteLiveState,
  type LiveSample,
  type SessionSummary,
  wsLiveServerMessageSchema,
} from '@athlete/contracts';
import type { Alert } from '../api/types.ts';

/**
 * What /ws/live sends, read with the contract's `wsLiveServerMessageSchema` and normalised for
 * the live store. A message the schema refuses is ignored as a whole, never thrown.
 */
export type LiveEvent =
  | { kind: 'samples'; samples: LiveSample[] }
  | { kind: 'alert'; alert: Alert }
  | {
      kind: 'session';
      athleteId: string;
      sessionId: string;
      state: 'started' | 'stopped';
      at: number;
      summary?: SessionSummary | null;
    }
  | { kind: 'snapshot'; athletes: AthleteLiveState[] }
  | { kind: 'ignored' };

export function parseLiveMessage(raw: unknown): LiveEvent {
  const parsed = wsLiveServerMessageSchema.safeParse(raw);
  if (!parsed.success) {
    if (import.meta.env.DEV) console.warn('live: message outside the contract', parsed.error.issues);
    return { kind: 'ignored' };
  }
  const msg = parsed.data;
  switch (msg.type) {
    case 'samples':
      return { kind: 'samples', samples: msg.samples };
    case 'alert':
      return { kind: 'alert', alert: msg.alert };
    case 'session': {
      const at = Date.parse(msg.event === 'started' ? msg.session.startedAt : (msg.session.endedAt ?? ''));
      return {
        kind: 'session',
        athleteId: msg.athleteId,
        sessionId: msg.sessionId,
        state: msg.event,
        at: Number.isNaN(at) ? Date.now() : at,
        summary: msg.summary ?? null,
      };
    }
    case 'snapshot':
      return { kind: 'snapshot', athletes: msg.athletes };
    case 'pong':
      return { kind: 'ignored' };
  }
}
