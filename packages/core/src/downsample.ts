/**
 * Largest-Triangle-Three-Buckets downsampling (Steinarsson 2013) that keeps the visual shape of
 * a series. Nulls are gaps: they are never averaged into a bucket and survive as gap markers, so
 * a chart still shows the break.
 */

export interface XY {
  x: number;
  y: number | null;
}

/** LTTB over a dense run (no nulls): returns indices into `xs`/`ys`, first and last included. */
function lttbRun(
  xs: readonly number[],
  ys: readonly number[],
  start: number,
  end: number,
  budget: number,
): number[] {
  const n = end - start;
  if (budget >= n || n <= 2) return Array.from({ length: n }, (_, i) => start + i);
  if (budget <= 1) return [start];
  if (budget === 2) return [start, end - 1];
  const picked = [start];
  const bucketSize = (n - 2) / (budget - 2);
  let a = start;
  for (let b = 0; b < budget - 2; b++) {
    const bucketStart = start + 1 + Math.floor(b * bucketSize);
    const bucketEnd = start + 1 + Math.floor((b + 1) * bucketSize);
    // Average of the next bucket (or the last point for the final bucket).
    const nextStart = bucketEnd;
    const nextEnd = Math.min(start + 1 + Math.floor((b + 2) * bucketSize), end - 1);
    let avgX = 0;
    let avgY = 0;
    if (b === budget - 3 || nextEnd <= nextStart) {
      avgX = xs[end - 1]!;
      avgY = ys[end - 1]!;
    } else {
      for (let i = nextStart; i < nextEnd; i++) {
        avgX += xs[i]!;
        avgY += ys[i]!;
      }
      avgX /= nextEnd - nextStart;
      avgY /= nextEnd - nextStart;
    }
    const ax = xs[a]!;
    const ay = ys[a]!;
    let best = bucketStart;
    let bestArea = -1;
    for (let i = bucketStart; i < bucketEnd; i++) {
      const area = Math.abs((ax - avgX) * (ys[i]! - ay) - (ax - xs[i]!) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = i;
      }
    }
    picked.push(best);
    a = best;
  }
  picked.push(end - 1);
  return picked;
}

interface Run {
  start: number;
  end: number;
  isNull: boolean;
}

function runs(ys: readonly (number | null | undefined)[]): Run[] {
  const out: Run[] = [];
  for (let i = 0; i < ys.length; i++) {
    const isNull = ys[i] == null || !Number.isFinite(ys[i]);
    const last = out[out.length - 1];
    if (last && last.isNull === isNull) last.end = i + 1;
    else out.push({ start: i, end: i + 1, isNull });
  }
  return out;
}

export interface SelectOptions {
  /**
   * How runs of nulls in the key series are represented: 'marker' keeps one null per run (a gap
   * in a single series); 'uniform' spreads a share of the budget evenly over the run (other
   * series in the same rows may still carry values there).
   */
  nullRuns?: 'marker' | 'uniform';
}

/**
 * Indices (ascending) of at most `maxPoints` rows to keep, chosen by LTTB on `ys` against `xs`.
 * Each dense run gets a share of the budget proportional to its length.
 */
export function lttbIndices(
  xs: readonly number[],
  ys: readonly (number | null | undefined)[],
  maxPoints: number,
  options: SelectOptions = {},
): number[] {
  const n = Math.min(xs.length, ys.length);
  if (maxPoints >= n) return Array.from({ length: n }, (_, i) => i);
  if (maxPoints <= 0) return [];
  const mode = options.nullRuns ?? 'marker';
  const all = runs(ys.slice(0, n));
  const markers = mode === 'marker' ? all.filter((r) => r.isNull).length : 0;
  const spread = all.filter((r) => !r.isNull || mode === 'uniform');
  const spreadTotal = spread.reduce((s, r) => s + (r.end - r.start), 0);
  const budget = Math.max(0, maxPoints - markers);
  const dense = ys.map((v) => (v == null || !Number.isFinite(v) ? 0 : v));
  const picked: number[] = [];
  for (const r of all) {
    if (r.isNull && mode === 'marker') {
      picked.push(r.start);
      continue;
    }
    const len = r.end - r.start;
    const share = Math.max(1, Math.floor((budget * len) / Math.max(1, spreadTotal)));
    if (r.isNull) {
      const step = len / Math.min(share, len);
      for (let k = 0; k < Math.min(share, len); k++) picked.push(r.start + Math.floor(k * step));
    } else picked.push(...lttbRun(xs, dense, r.start, r.end, share));
  }
  // Rounding (at least one point per run) can overshoot when there are many tiny runs: thin evenly.
  if (picked.length <= maxPoints) return picked;
  const step = picked.length / maxPoints;
  return Array.from({ length: maxPoints }, (_, k) => picked[Math.floor(k * step)]!);
}

/** LTTB on points; nulls are kept as single gap markers. */
export function lttb<P extends XY>(points: readonly P[], maxPoints: number): P[] {
  const idx = lttbIndices(
    points.map((p) => p.x),
    points.map((p) => p.y),
    maxPoints,
  );
  return idx.map((i) => points[i]!);
}

/**
 * Downsamples aligned rows (e.g. samples with ts, hr, speed, …) by picking indices on one key
 * series (usually HR) and keeping whole rows. When the key series is entirely empty, rows are
 * thinned evenly instead.
 */
export function downsampleRows<R>(
  rows: readonly R[],
  maxPoints: number,
  x: (row: R) => number,
  key: (row: R) => number | null | undefined,
): R[] {
  if (rows.length <= maxPoints) return [...rows];
  const idx = lttbIndices(rows.map(x), rows.map(key), maxPoints, { nullRuns: 'uniform' });
  return idx.map((i) => rows[i]!);
}
