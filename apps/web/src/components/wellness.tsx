import type { DailySummary } from '../api/types.ts';
import { formatHoursMinutes, formatNumber, formatSource, formatWeight } from '../lib/format.ts';

type MetricKey =
  | 'restingHr'
  | 'hrvRmssdMs'
  | 'sleepDurationS'
  | 'recoveryScore'
  | 'strain'
  | 'trainingLoad'
  | 'stressAvg'
  | 'weightKg'
  | 'bodyFatPct';

export const WELLNESS_METRICS: Array<{
  key: MetricKey;
  label: string;
  format: (v: number | null) => string;
}> = [
  { key: 'restingHr', label: 'Resting HR', format: (v) => formatNumber(v, 0, 'bpm') },
  { key: 'hrvRmssdMs', label: 'HRV (RMSSD)', format: (v) => formatNumber(v, 0, 'ms') },
  { key: 'sleepDurationS', label: 'Sleep', format: (v) => formatHoursMinutes(v) },
  { key: 'recoveryScore', label: 'Recovery', format: (v) => formatNumber(v, 0, '%') },
  { key: 'strain', label: 'Strain', format: (v) => formatNumber(v, 1) },
  { key: 'trainingLoad', label: 'Training load', format: (v) => formatNumber(v, 0) },
  { key: 'stressAvg', label: 'Stress', format: (v) => formatNumber(v, 0) },
  { key: 'weightKg', label: 'Weight', format: (v) => formatWeight(v) },
  { key: 'bodyFatPct', label: 'Body fat', format: (v) => formatNumber(v, 1, '%') },
];

export interface MetricReading {
  value: number | null;
  source: string | null;
  date: string | null;
}

/**
 * The latest value of each metric across the given days: the merged row when the server has
 * one (it names the source of each metric), else the first source that reported it.
 */
export function latestReadings(days: readonly DailySummary[]): Record<MetricKey, MetricReading> {
  const sorted = [...days].sort((a, b) =>
    a.date < b.date ? 1 : a.date > b.date ? -1 : a.source === 'merged' ? -1 : 1,
  );
  const out = {} as Record<MetricKey, MetricReading>;
  for (const { key } of WELLNESS_METRICS) {
    out[key] = { value: null, source: null, date: null };
    for (const d of sorted) {
      const v = d[key];
      if (v == null) continue;
      const source = d.source === 'merged' ? (d.sources?.[key] ?? 'merged') : d.source;
      out[key] = { value: v, source, date: d.date };
      break;
    }
  }
  return out;
}

export function WellnessGrid({ days }: { days: readonly DailySummary[] }) {
  const readings = latestReadings(days);
  return (
    <div className="grid metric-grid">
      {WELLNESS_METRICS.map((m) => {
        const r = readings[m.key];
        return (
          <div className="metric-card" key={m.key} data-testid={`wellness-${m.key}`}>
            <span className="eyebrow">{m.label}</span>
            <span className="value">{m.format(r.value)}</span>
            <span className="source-tag">
              {r.source ? `from ${formatSource(r.source)}${r.date ? ` · ${r.date}` : ''}` : 'no data'}
            </span>
          </div>
        );
      })}
    </div>
  );
}
