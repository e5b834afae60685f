import type { ChartData, ChartOptions, Chart as ChartType } from 'chart.js';
import { useEffect, useMemo, useRef } from 'react';
import { Line } from 'react-chartjs-2';
import { formatTime, speedValue, unitLabels } from '../lib/format.ts';
import type { ZoneSetup } from '../lib/zones.ts';
import type { LiveStore, SeriesPoint } from '../live/store.ts';
import { cssVar, registerCharts } from './setup.ts';

registerCharts();

type XY = { x: number; y: number | null };

/** Wall-clock time in the viewer's chosen zone. */
const clock = (ms: number) => formatTime(ms);

/**
 * Streaming HR (and optionally speed) of the last `windowSeconds`. The chart is created once;
 * each new sample refills the datasets in place from the ring buffer and calls
 * `update('none')`, so nothing is rebuilt or animated at 1 Hz.
 */
export function LiveHrChart({
  store,
  athleteId,
  zones,
  windowSeconds = 300,
  showSpeed = true,
  label,
}: {
  store: LiveStore;
  athleteId: string;
  zones: ZoneSetup | null;
  windowSeconds?: number;
  showSpeed?: boolean;
  label: string;
}) {
  const chartRef = useRef<ChartType<'line', XY[]> | null>(null);
  const hrData = useRef<XY[]>([]);
  const speedData = useRef<XY[]>([]);

  const data = useMemo<ChartData<'line', XY[]>>(
    () => ({
      datasets: [
        {
          label: 'Heart rate (bpm)',
          data: hrData.current,
          borderColor: cssVar('--accent', '#ff5a5f'),
          backgroundColor: 'transparent',
          borderWidth: 2.5,
          pointRadius: 0,
          tension: 0.25,
          yAxisID: 'y',
          spanGaps: 5000,
        },
        ...(showSpeed
          ? [
              {
                label: `Speed (${unitLabels().speed})`,
                data: speedData.current,
                borderColor: cssVar('--info', '#4e9cff'),
                backgroundColor: 'transparent',
                borderWidth: 1.5,
                borderDash: [4, 3],
                pointRadius: 0,
                tension: 0.25,
                yAxisID: 'speed',
                spanGaps: 5000,
              },
            ]
          : []),
      ],
    }),
    [showSpeed],
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
        tooltip: {
          callbacks: { title: (items) => (items[0] ? clock(items[0].parsed.x ?? 0) : '') },
        },
        zoneBands: { zones: zones?.zones ?? null },
      },
      scales: {
        x: {
          type: 'linear',
          ticks: { maxTicksLimit: 6, callback: (v) => clock(Number(v)) },
          grid: { display: false },
        },
        y: {
          type: 'linear',
          suggestedMin: zones ? Math.round(zones.zones[0]!.min - 10) : 60,
          suggestedMax: zones ? zones.hrMax + 5 : 190,
          title: { display: true, text: 'bpm' },
        },
        ...(showSpeed
          ? {
              speed: {
                type: 'linear' as const,
                position: 'right' as const,
                min: 0,
                suggestedMax: 30,
                grid: { display: false },
                title: { display: true, text: unitLabels().speed },
              },
            }
          : {}),
      },
    }),
    [zones, showSpeed],
  );

  useEffect(() => {
    const refill = () => {
      const chart = chartRef.current;
      const a = store.get(athleteId);
      if (!chart || !a) return;
      a.series.toArray(hrData.current, (p: SeriesPoint) => ({ x: p.t, y: p.hr }));
      if (showSpeed)
        a.series.toArray(speedData.current, (p: SeriesPoint) => ({
          x: p.t,
          y: p.speed == null ? null : speedValue(p.speed),
        }));
      const last = a.series.last();
      const x = chart.options.scales?.x;
      if (last && x) {
        x.min = last.t - windowSeconds * 1000;
        x.max = last.t;
      }
      chart.update('none');
    };
    refill();
    return store.subscribe(athleteId, refill);
  }, [store, athleteId, windowSeconds, showSpeed]);

  return (
    <div className="chart-box" role="img" aria-label={label}>
      <Line ref={chartRef} data={data} options={options} />
    </div>
  );
}
