/** Time-domain HRV from RR intervals (ms). */

export interface RrFilterOptions {
  minMs?: number;
  maxMs?: number;
  /** Largest accepted change from the previous accepted interval, as a fraction (0.2 = 20 %). */
  maxSuccessiveChange?: number;
}

export interface RrFilterResult {
  /** Accepted intervals in order. */
  clean: number[];
  /** Per input interval: whether it was accepted. */
  kept: boolean[];
  dropped: number;
}

/**
 * Artefact filter: drops intervals outside [300, 2000] ms and intervals that differ from the
 * previous accepted one by more than 20 % (ectopic beats, missed or doubled detections).
 */
export function filterRr(rr: readonly number[], options: RrFilterOptions = {}): RrFilterResult {
  const minMs = options.minMs ?? 300;
  const maxMs = options.maxMs ?? 2000;
  const maxChange = options.maxSuccessiveChange ?? 0.2;
  const clean: number[] = [];
  const kept: boolean[] = [];
  let prev: number | null = null;
  for (const v of rr) {
    let ok = Number.isFinite(v) && v >= minMs && v <= maxMs;
    if (ok && prev !== null && Math.abs(v - prev) > maxChange * prev) ok = false;
    kept.push(ok);
    if (ok) {
      clean.push(v);
      prev = v;
    }
  }
  return { clean, kept, dropped: rr.length - clean.length };
}

/**
 * RMSSD in ms. Only pairs of intervals that were adjacent in the input and both accepted are
 * differenced, so a removed artefact never creates a false successive difference.
 * Null when fewer than 2 such pairs exist.
 */
export function rmssd(
  rr: readonly number[],
  options: RrFilterOptions & { filter?: boolean } = {},
): number | null {
  const kept = options.filter === false ? rr.map(() => true) : filterRr(rr, options).kept;
  let sumSq = 0;
  let n = 0;
  for (let i = 1; i < rr.length; i++) {
    if (kept[i] && kept[i - 1]) {
      sumSq += (rr[i]! - rr[i - 1]!) ** 2;
      n++;
    }
  }
  return n >= 2 ? Math.sqrt(sumSq / n) : null;
}

/** SDNN in ms (sample standard deviation of accepted intervals); null with fewer than 2. */
export function sdnn(
  rr: readonly number[],
  options: RrFilterOptions & { filter?: boolean } = {},
): number | null {
  const values = options.filter === false ? [...rr] : filterRr(rr, options).clean;
  if (values.length < 2) return null;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
}

/** Mean RR interval in ms for a heart rate in bpm. */
export function rrFromHr(hr: number): number {
  if (!(hr > 0)) throw new RangeError('hr must be positive');
  return 60_000 / hr;
}

/** Heart rate in bpm for an RR interval in ms. */
export function hrFromRr(rrMs: number): number {
  if (!(rrMs > 0)) throw new RangeError('rr must be positive');
  return 60_000 / rrMs;
}
