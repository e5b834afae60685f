/** Merging daily metrics reported by several sources (WHOOP, Garmin, live, files). */

export type DailyMetrics = Record<string, number | null | undefined>;

export interface MergedDaily<S extends string> {
  metrics: Record<string, number>;
  /** Which source supplied each metric. */
  sources: Record<string, S>;
}

/**
 * For every metric, takes the value from the first source in `precedence` that has a finite
 * value. Sources missing from `precedence` rank after it, in alphabetical order, so the result
 * is deterministic.
 */
export function mergeDaily<S extends string>(
  rowsBySource: Partial<Record<S, DailyMetrics | null | undefined>>,
  precedence: readonly NoInfer<S>[],
): MergedDaily<S> {
  const present = Object.keys(rowsBySource) as S[];
  const rest = present.filter((s) => !precedence.includes(s)).sort();
  const order = [...precedence.filter((s) => present.includes(s)), ...rest];
  const metrics: Record<string, number> = {};
  const sources: Record<string, S> = {};
  for (const source of order) {
    const row = rowsBySource[source];
    if (!row) continue;
    for (const [metric, value] of Object.entries(row)) {
      if (metric in metrics || typeof value !== 'number' || !Number.isFinite(value)) continue;
      metrics[metric] = value;
      sources[metric] = source;
    }
  }
  return { metrics, sources };
}
