/** Reconnect delay: exponential from `baseMs`, capped, with ±20 % jitter so clients do not stampede. */
export function backoffDelay(attempt: number, baseMs = 500, maxMs = 10_000, random = Math.random): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(raw * (0.8 + 0.4 * random()));
}
