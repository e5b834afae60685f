import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Lock } from './ports.ts';

export function newLockToken(): string {
  return randomBytes(16).toString('hex');
}

/** Retries tryAcquire with jittered exponential backoff (20 ms → 250 ms) until waitMs elapses. */
export async function acquireWithRetry(
  tryAcquire: () => Promise<Lock | null>,
  waitMs: number,
): Promise<Lock | null> {
  const deadline = Date.now() + waitMs;
  let delay = 20;
  for (;;) {
    const lock = await tryAcquire();
    if (lock) return lock;
    const left = deadline - Date.now();
    if (left <= 0) return null;
    await sleep(Math.min(left, delay * (0.5 + Math.random())));
    delay = Math.min(250, delay * 1.5);
  }
}

/**
 * Runs fn holding the lock, extending it every ttl/3 and releasing it afterwards. When an
 * extension fails the lock is lost; fn keeps running (it cannot be interrupted) but no longer
 * extends.
 */
export async function runWithLock<T>(
  lock: Lock | null,
  ttlMs: number,
  fn: (lock: Lock) => Promise<T>,
): Promise<{ acquired: true; value: T } | { acquired: false }> {
  if (!lock) return { acquired: false };
  let extending = true;
  const timer = setInterval(
    () => {
      lock.extend(ttlMs).then(
        (held) => {
          if (!held) extending = false;
          if (!extending) clearInterval(timer);
        },
        () => {},
      );
    },
    Math.max(1, Math.floor(ttlMs / 3)),
  );
  timer.unref();
  try {
    return { acquired: true, value: await fn(lock) };
  } finally {
    extending = false;
    clearInterval(timer);
    await lock.release().catch(() => false);
  }
}
