import { acquireWithRetry, newLockToken, runWithLock } from '../lock-helpers.ts';
import type { Lock, Locks } from '../ports.ts';

/** In-process locks: owner token and expiry per key; expiry is checked lazily (no timers). */
export function createMemoryLocks(): Locks {
  const held = new Map<string, { token: string; expiresAt: number }>();

  const current = (key: string) => {
    const entry = held.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      held.delete(key);
      return undefined;
    }
    return entry;
  };

  const tryAcquire = async (key: string, ttlMs: number): Promise<Lock | null> => {
    if (current(key)) return null;
    const token = newLockToken();
    held.set(key, { token, expiresAt: Date.now() + ttlMs });
    return {
      key,
      token,
      async extend(ms) {
        const entry = current(key);
        if (entry?.token !== token) return false;
        entry.expiresAt = Date.now() + ms;
        return true;
      },
      async release() {
        if (current(key)?.token !== token) return false;
        held.delete(key);
        return true;
      },
    };
  };

  return {
    tryAcquire,
    acquire: (key, ttlMs, waitMs) => acquireWithRetry(() => tryAcquire(key, ttlMs), waitMs),
    async withLock(key, ttlMs, fn) {
      return runWithLock(await tryAcquire(key, ttlMs), ttlMs, fn);
    },
    async close() {
      held.clear();
    },
  };
}
