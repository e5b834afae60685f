import { useEffect, useState, useSyncExternalStore } from 'react';
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
      onMessage: (msg) => {
        const event = parseLiveMessage(msg);
        if (event.kind === 'error') setError(event.message);
        else store.apply(event);
      },
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

/** A clock that ticks every `ms`, for "time since" displays and signal state. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
