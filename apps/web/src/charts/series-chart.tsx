import type { ChartOptions } from 'chart.js';
import { useMemo } from 'react';
import { Line } from 'react-chartjs-2';
import { formatDuration } from '../lib/format.ts';
import type { ZoneSetup } from '../lib/zones.ts';
import { chartGapS } from './gap-rule.ts';
import { type LapMarker, registerCharts } from './setup.ts';

registerCharts();

export interface SeriesPoint {
  x: number;
  y: number | null;
}

/**
 * One recorded series against elapsed time. The server already downsampled it (maxPoints);
 * Chart.js decimation thins it further to the canvas width.
 */
export function SeriesChart({
  points,
  color,
  label,
  unit,
  zones,
  fill = false,
  height = 240,
  min,
  laps,
}: {
  points: SeriesPoint[];
  color: string;
  label: string;
  unit: string;
  zones?: ZoneSetup | null;
  fill?: boolean;
  height?: number;
  min?: number;
  /** Lap starts to mark with a dashed line (the session page passes the file's laps). */
  laps?: readonly LapMarker[];
}) {
  const data = useMemo(
    () => ({
      datasets: [
        {
          label: `${label} (${unit})`,
          data: points,
          borderColor: color,
          backgroundColor: `${color}26`,
          fill: fill ? 'origin' : false,
          borderWidth: 1.8,
          pointRadius: 0,
          tension: 0.15,
          spanGaps: chartGapS(points),
        },
      ],
    }),
    [points, color, label, unit, fill],
  );
  const options = useMemo<ChartOptions<'line'>>(
    () => ({
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      parsing: false,
      normalized: true,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      plugins: {
        legend: { display: false },
        decimation: { enabled: true, algorithm: 'lttb', samples: 600, threshold: 800 },
        tooltip: {
          callbacks: {
            title: (items) => (items[0] ? formatDuration(items[0].parsed.x) : ''),
            label: (item) => `${label}: ${item.parsed.y?.toFixed(unit === 'bpm' ? 0 : 1)} ${unit}`,
          },
        },
        zoneBands: { zones: zones?.zones ?? null },
        lapMarkers: { starts: laps ?? [] },
      },
      scales: {
        x: {
          type: 'linear',
          min: 0,
          max: points.length ? points[points.length - 1]!.x : undefined,
          ticks: { maxTicksLimit: 8, callback: (v) => formatDuration(Number(v)) },
          grid: { display: false },
        },
        y: {
          type: 'linear',
          title: { display: true, text: unit },
          min,
          suggestedMax: zones ? zones.hrMax : undefined,
        },
      },
    }),
    [points, label, unit, zones, min, laps],
  );
  return (
    <div
      className="chart-box"
      style={{ minHeight: height }}
      role="img"
      aria-label={`${label} over the session, in ${unit}${laps?.length ? `, with ${laps.length + 1} laps marked` : ''}`}
    >
      <Line data={data} options={options} />
    </div>
  );
}
