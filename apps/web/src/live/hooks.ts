import { useEffect, useState, useSyncExternalStore } from 'react';
import { call } from '../api/client.ts';
import { ReconnectingSocket, type SocketState } from '../lib/socket.ts';
import { parseLiveMessage } from './messages.ts';
import { type AthleteLive, LiveStore } from './store.ts';

export interface LiveStream {
  store: LiveStore;
  state: SocketState;
  error: string | null;
}

/** Subscribes to /ws/live for a team or one athlete for as long as the component is mounted. */
export function useLiveStream(scope: { teamId?: string; athleteId?: string }): LiveStream {
  const [store] = useState(() => new LiveStore());
  const [state, setState] = useState<SocketState>('connecting');
  const [error, setError] = useState<string | null>(null);
  const query = scope.teamId
    ? `teamId=${encodeURIComponent(scope.teamId)}`
    : scope.athleteId
      ? `athleteId=${encodeURIComponent(scope.athleteId)}`
      : '';
  useEffect(() => {
    if (!query) return;
    const socket = new ReconnectingSocket({
      path: `/ws/live?${query}`,
      onMessage: (msg) => store.apply(parseLiveMessage(msg)),
      onState: (s, detail) => {
        setState(s);
        if (detail) setError(detail);
        if (s === 'open') setError(null);
      },
    });
    return () => socket.close();
  }, [query, store]);
  return { store, state, error };
}

/** Re-renders when this athlete's live state changes (at most once per frame). */
export function useAthleteLive(store: LiveStore, athleteId: string): AthleteLive | undefined {
  const version = useSyncExternalStore(
    (fn) => store.subscribe(athleteId, fn),
    () => store.get(athleteId)?.version ?? -1,
  );
  void version;
  return store.get(athleteId);
}

/** Re-renders on any change in the store (alert feed, sorting). */
export function useStoreVersion(store: LiveStore): number {
  return useSyncExternalStore(
    (fn) => store.subscribeAll(fn),
    () => store.version,
  );
}

/** Who the live view shows (null until the first snapshot); re-renders only when that changes. */
export function useWatched(store: LiveStore): ReadonlySet<string> | null {
  const version = useSyncExternalStore(
    (fn) => store.subscribeAll(fn),
    () => store.watchedVersion,
  );
  void version;
  return store.watchedIds();
}

/** A clock that ticks every `ms`, for "time since" displays and signal state. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

const sessionStarts = new Map<string, Promise<number | null>>();

/** Fills in the real start of an athlete's open session (once per session, shared by all tiles). */
export function useSessionStart(
  store: LiveStore,
  athleteId: string,
  sessionId: string | null | undefined,
  known: boolean,
): void {
  useEffect(() => {
    if (!sessionId || known) return;
    let p = sessionStarts.get(sessionId);
    if (!p) {
      p = call('GET /api/v1/sessions/:id', { params: { id: sessionId } })
        .then((r) => Date.parse(r.session.startedAt))
        .catch(() => null);
      sessionStarts.set(sessionId, p);
    }
    void p.then((ts) => {
      if (ts !== null) store.setSessionStart(athleteId, sessionId, ts);
    });
  }, [store, athleteId, sessionId, known]);
}

/** Loads the stored part of the open session (chart and track) behind the live stream. */
export function useSessionBackfill(
  store: LiveStore,
  athleteId: string,
  sessionId: string | null | undefined,
): void {
  useEffect(() => {
    if (!sessionId) return;
    let cancelled = false;
    void call('GET /api/v1/sessions/:id/samples', { params: { id: sessionId }, query: { maxPoints: 900 } })
      .then((r) => {
        if (!cancelled) store.backfill(athleteId, sessionId, r.samples);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [store, athleteId, sessionId]);
}
