import type { ChartOptions } from 'chart.js';
import { useMemo } from 'react';
import { Chart } from 'react-chartjs-2';
import { registerCharts, type ValueBand } from './setup.ts';

registerCharts();

export interface AnalyticsSeries {
  label: string;
  values: ReadonlyArray<number | null>;
  color: string;
  kind?: 'line' | 'bar' | 'points';
  /** Dashed line (projections, baselines). */
  dashed?: boolean;
  /** Second y axis (right). */
  right?: boolean;
  /** Fill down to the dataset at this index (a band between two lines). */
  fillTo?: number;
  /** Per-point emphasis (e.g. flagged days), drawn larger in this colour. */
  highlight?: ReadonlyArray<boolean>;
  highlightColor?: string;
  hidden?: boolean;
}

const dayLabel = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });

/**
 * Several daily (or weekly) series on one time axis, with an HTML legend so each series is
 * named in text, not only by colour, and optional value bands behind the data.
 */
export function AnalyticsChart({
  labels,
  series,
  unit,
  rightUnit,
  bands,
  description,
  beginAtZero = false,
  suggestedMax,
}: {
  /** ISO days, one per point. */
  labels: readonly string[];
  series: readonly AnalyticsSeries[];
  unit: string;
  rightUnit?: string;
  bands?: readonly ValueBand[];
  description: string;
  beginAtZero?: boolean;
  suggestedMax?: number;
}) {
  const data = useMemo(
    () => ({
      labels: labels.map((d) => dayLabel.format(new Date(`${d}T00:00:00Z`))),
      datasets: series
        .filter((s) => !s.hidden)
        .map((s, i) => {
          const kind = s.kind ?? 'line';
          const dense = labels.length > 60;
          return {
            type: kind === 'bar' ? ('bar' as const) : ('line' as const),
            label: s.label,
            data: s.values as (number | null)[],
            yAxisID: s.right ? 'y2' : 'y',
            borderColor: s.color,
            backgroundColor: kind === 'bar' ? `${s.color}b3` : `${s.color}26`,
            borderWidth: kind === 'bar' ? 0 : kind === 'points' ? 0 : 2,
            borderRadius: 3,
            borderDash: s.dashed ? [5, 4] : [],
            showLine: kind !== 'points',
            pointRadius: s.highlight
              ? s.highlight.map((h) => (h ? 5 : kind === 'points' ? 2 : 0))
              : kind === 'points'
                ? 2
                : dense
                  ? 0
                  : 1.5,
            pointBackgroundColor: s.highlight
              ? s.highlight.map((h) => (h ? (s.highlightColor ?? '#eb5757') : s.color))
              : s.color,
            tension: 0.25,
            fill: s.fillTo !== undefined ? s.fillTo - i : false,
            spanGaps: true,
            order: kind === 'bar' ? 2 : 1,
          };
        }),
    }),
    [labels, series],
  );
  const options = useMemo<ChartOptions>(
    () => ({
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'index', intersect: false },
      plugins: { legend: { display: false }, valueBands: { bands: bands ?? [] } },
      scales: {
        x: {
          ticks: { maxTicksLimit: 8, autoSkip: true, autoSkipPadding: 16, maxRotation: 0 },
          grid: { display: false },
        },
        y: { title: { display: true, text: unit }, beginAtZero, suggestedMax },
        ...(rightUnit
          ? {
              y2: {
                position: 'right' as const,
                title: { display: true, text: rightUnit },
                beginAtZero: true,
                grid: { display: false },
              },
            }
          : {}),
      },
    }),
    [unit, rightUnit, bands, beginAtZero, suggestedMax],
  );
  return (
    <div>
      <div className="chart-legend" aria-hidden="true">
        {series
          .filter((s) => !s.hidden && !s.label.startsWith('_'))
          .map((s) => (
            <span key={s.label}>
              <span className="swatch" style={{ background: s.color, opacity: s.dashed ? 0.6 : 1 }} />
              {s.label}
            </span>
          ))}
      </div>
      <div className="chart-box" role="img" aria-label={description}>
        <Chart type="line" data={data as never} options={options as never} />
      </div>
    </div>
  );
}
