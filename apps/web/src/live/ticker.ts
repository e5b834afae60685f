import { useSyncExternalStore } from 'react';

/** One shared interval per period for all components that show "time since" or signal state. */
const tickers = new Map<
  number,
  { now: number; listeners: Set<() => void>; timer: ReturnType<typeof setInterval> | null }
>();

function ticker(ms: number) {
  let t = tickers.get(ms);
  if (!t) {
    t = { now: Date.now(), listeners: new Set(), timer: null };
    tickers.set(ms, t);
  }
  return t;
}

export function useSharedNow(ms = 1000): number {
  const t = ticker(ms);
  return useSyncExternalStore(
    (fn) => {
      t.listeners.add(fn);
      if (!t.timer) {
        t.timer = setInterval(() => {
          t.now = Date.now();
          for (const l of t.listeners) l();
        }, ms);
      }
      return () => {
        t.listeners.delete(fn);
        if (t.listeners.size === 0 && t.timer) {
          clearInterval(t.timer);
          t.timer = null;
        }
      };
    },
    () => t.now,
  );
}
