import type { ChartOptions } from 'chart.js';
import { useMemo } from 'react';
import { Bar, Line } from 'react-chartjs-2';
import { registerCharts } from './setup.ts';

registerCharts();

// Day keys are calendar dates (YYYY-MM-DD): read them as UTC so no zone shifts them a day.
const dayLabel = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** A daily metric over a period: one label per day, gaps where a day has no value. */
export function TrendChart({
  days,
  values,
  label,
  unit,
  color,
  kind = 'line',
}: {
  days: readonly string[];
  values: ReadonlyArray<number | null>;
  label: string;
  unit: string;
  color: string;
  kind?: 'line' | 'bar';
}) {
  const data = useMemo(
    () => ({
      labels: days.map((d) => dayLabel.format(new Date(`${d}T00:00:00Z`))),
      datasets: [
        {
          label: `${label} (${unit})`,
          data: values as (number | null)[],
          borderColor: color,
          backgroundColor: kind === 'bar' ? `${color}b3` : `${color}22`,
          borderWidth: kind === 'bar' ? 0 : 2,
          borderRadius: 3,
          pointRadius: days.length > 60 ? 0 : 2,
          tension: 0.3,
          fill: kind === 'line',
          spanGaps: true,
        },
      ],
    }),
    [days, values, label, unit, color, kind],
  );
  const options = useMemo<ChartOptions<'line' | 'bar'>>(
    () => ({
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: false } },
      scales: {
        x: { ticks: { maxTicksLimit: 8, autoSkip: true }, grid: { display: false } },
        y: { title: { display: true, text: unit }, beginAtZero: kind === 'bar' },
      },
    }),
    [unit, kind],
  );
  const present = values.filter((v) => v != null).length;
  return (
    <div
      className="chart-box"
      role="img"
      aria-label={`${label} per day in ${unit}, ${present} of ${days.length} days with data`}
    >
      {kind === 'bar' ? (
        <Bar data={data as never} options={options as ChartOptions<'bar'>} />
      ) : (
        <Line data={data as never} options={options as ChartOptions<'line'>} />
      )}
    </div>
  );
}
