import type { HrZone } from '@athlete/core';
import {
  BarController,
  BarElement,
  CategoryScale,
  type Chart,
  Chart as ChartJS,
  type ChartType,
  Decimation,
  Filler,
  LinearScale,
  LineController,
  LineElement,
  type Plugin,
  PointElement,
  Tooltip,
} from 'chart.js';
import { ZONE_COLORS } from '../lib/zones.ts';

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    zoneBands?: { zones: readonly HrZone[] | null; axis?: string } & Partial<Record<'_chartType', TType>>;
    valueBands?: { bands: readonly ValueBand[]; axis?: string };
    lapMarkers?: { starts: readonly LapMarker[] };
  }
}

/**
 * Draws the HR zones as coloured horizontal bands behind the data, each labelled with its
 * name, so zones read by colour and by text.
 */
const zoneBands: Plugin = {
  id: 'zoneBands',
  beforeDatasetsDraw(chart: Chart) {
    const opts = (chart.options.plugins as { zoneBands?: { zones: readonly HrZone[] | null; axis?: string } })
      .zoneBands;
    const zones = opts?.zones;
    if (!zones?.length) return;
    const y = chart.scales[opts?.axis ?? 'y'];
    const area = chart.chartArea;
    if (!y || !area) return;
    const ctx = chart.ctx;
    ctx.save();
    ctx.font = '600 10px system-ui, sans-serif';
    ctx.textAlign = 'right';
    ctx.textBaseline = 'top';
    zones.forEach((z, i) => {
      const top = Math.max(
        area.top,
        y.getPixelForValue(i === zones.length - 1 ? Math.max(z.max, y.max) : z.max),
      );
      const bottom = Math.min(area.bottom, y.getPixelForValue(z.min));
      if (bottom <= area.top || top >= area.bottom || bottom - top < 1) return;
      const color = ZONE_COLORS[z.zone] ?? ZONE_COLORS[0];
      ctx.fillStyle = `${color}1f`;
      ctx.fillRect(area.left, top, area.right - area.left, bottom - top);
      if (bottom - top >= 12) {
        ctx.fillStyle = `${color}cc`;
        ctx.fillText(`Z${z.zone} ${z.name}`, area.right - 4, top + 2);
      }
    });
    ctx.restore();
  },
};

/** A named range of values drawn as a tinted horizontal band (e.g. the ACWR bands). */
export interface ValueBand {
  from: number;
  to: number;
  color: string;
  label: string;
}

const valueBands: Plugin = {
  id: 'valueBands',
  beforeDatasetsDraw(chart: Chart) {
    const opts = (chart.options.plugins as { valueBands?: { bands: readonly ValueBand[]; axis?: string } })
      .valueBands;
    const y = chart.scales[opts?.axis ?? 'y'];
    const area = chart.chartArea;
    if (!opts?.bands?.length || !y || !area) return;
    const ctx = chart.ctx;
    ctx.save();
    ctx.font = '600 10px system-ui, sans-serif';
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    for (const b of opts.bands) {
      const top = Math.max(area.top, y.getPixelForValue(Math.min(b.to, y.max)));
      const bottom = Math.min(area.bottom, y.getPixelForValue(Math.max(b.from, y.min)));
      if (bottom - top < 1) continue;
      ctx.fillStyle = `${b.color}1f`;
      ctx.fillRect(area.left, top, area.right - area.left, bottom - top);
      if (bottom - top >= 12) {
        ctx.fillStyle = `${b.color}dd`;
        ctx.fillText(b.label, area.left + 4, top + 2);
      }
    }
    ctx.restore();
  },
};

/** Where a lap begins on a chart's x axis (seconds into the session) and what it is called. */
export interface LapMarker {
  x: number;
  label: string;
}

/** Draws a dashed vertical line, labelled at the top, where each lap after the first begins. */
const lapMarkers: Plugin = {
  id: 'lapMarkers',
  afterDatasetsDraw(chart: Chart) {
    const opts = (chart.options.plugins as { lapMarkers?: { starts: readonly LapMarker[] } }).lapMarkers;
    const x = chart.scales.x;
    const area = chart.chartArea;
    if (!opts?.starts?.length || !x || !area) return;
    const ctx = chart.ctx;
    ctx.save();
    ctx.font = '600 10px system-ui, sans-serif';
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.setLineDash([3, 3]);
    ctx.lineWidth = 1;
    const color = cssVar('--text-muted', '#97a3b4');
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    for (const m of opts.starts) {
      const px = x.getPixelForValue(m.x);
      if (px <= area.left || px >= area.right) continue;
      ctx.beginPath();
      ctx.moveTo(px, area.top);
      ctx.lineTo(px, area.bottom);
      ctx.stroke();
      ctx.fillText(m.label, px + 2, area.top + 2);
    }
    ctx.restore();
  },
};

let registered = false;
export function registerCharts(): void {
  if (registered) return;
  registered = true;
  ChartJS.register(
    LineController,
    LineElement,
    PointElement,
    LinearScale,
    CategoryScale,
    BarController,
    BarElement,
    Filler,
    Tooltip,
    Decimation,
    zoneBands,
    valueBands,
    lapMarkers,
  );
  const css = getComputedStyle(document.documentElement);
  ChartJS.defaults.color = css.getPropertyValue('--text-muted').trim() || '#97a3b4';
  ChartJS.defaults.borderColor = css.getPropertyValue('--border').trim() || '#243041';
  ChartJS.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", sans-serif';
  // Charts drawn before a theme switch would keep the other theme's grid (near-black on light).
  new MutationObserver(applyChartTheme).observe(document.documentElement, {
    attributes: true,
    attributeFilter: ['data-theme'],
  });
}

/** Re-reads theme colours after a theme switch and redraws every chart on the page. */
function applyChartTheme(): void {
  const css = getComputedStyle(document.documentElement);
  ChartJS.defaults.color = css.getPropertyValue('--text-muted').trim() || '#97a3b4';
  ChartJS.defaults.borderColor = css.getPropertyValue('--border').trim() || '#243041';
  for (const chart of Object.values(ChartJS.instances)) chart.update('none');
}

export function cssVar(name: string, fallback: string): string {
  if (typeof document === 'undefined') return fallback;
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}
