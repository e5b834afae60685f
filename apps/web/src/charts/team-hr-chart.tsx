import type { ChartOptions } from 'chart.js';
import { useMemo } from 'react';
import { Line } from 'react-chartjs-2';
import { formatDuration } from '../lib/format.ts';
import { chartGapS } from './gap-rule.ts';
import { registerCharts } from './setup.ts';

registerCharts();

export interface TeamHrLine {
  athleteId: string;
  name: string;
  color: string;
  /** Seconds since the team session started (negative: already running when it started). */
  points: Array<{ x: number; y: number }>;
}

/**
 * Every athlete's heart rate of a team session on one time axis (the team session's start is 0),
 * one line each; the legend is HTML beside it (names readable without telling colours apart).
 * `highlight` draws one athlete bold and the others faint.
 */
export function TeamHrChart({
  lines,
  highlight,
  height = 320,
}: {
  lines: TeamHrLine[];
  highlight?: string | null;
  height?: number;
}) {
  const data = useMemo(
    () => ({
      datasets: lines.map((l) => {
        const faint = highlight != null && highlight !== l.athleteId;
        return {
          label: l.name,
          data: l.points,
          borderColor: faint ? `${l.color}40` : l.color,
          backgroundColor: 'transparent',
          borderWidth: highlight === l.athleteId ? 3 : 1.6,
          pointRadius: 0,
          tension: 0.15,
          spanGaps: chartGapS(l.points),
          order: highlight === l.athleteId ? 0 : 1,
        };
      }),
    }),
    [lines, highlight],
  );
  const xMin = Math.min(0, ...lines.map((l) => l.points[0]?.x ?? 0));
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
        tooltip: {
          callbacks: {
            title: (items) => (items[0] ? formatDuration(Math.max(0, items[0].parsed.x ?? 0)) : ''),
            label: (item) => `${item.dataset.label}: ${item.parsed.y?.toFixed(0)} bpm`,
          },
        },
      },
      scales: {
        x: {
          type: 'linear',
          min: xMin,
          ticks: {
            maxTicksLimit: 8,
            callback: (v) => (Number(v) < 0 ? `−${formatDuration(-Number(v))}` : formatDuration(Number(v))),
          },
          grid: { display: false },
        },
        y: { type: 'linear', title: { display: true, text: 'bpm' } },
      },
    }),
    [xMin],
  );
  return (
    <div
      className="chart-box"
      style={{ minHeight: height }}
      role="img"
      aria-label={`Heart rate of ${lines.length} athletes over the team session, in bpm`}
    >
      <Line data={data} options={options} />
    </div>
  );
}
