import type { VitalMetric } from '@athlete/contracts';

/** How each respiratory and skin-temperature metric is named and written, on Today and Trends. */
export const VITALS: readonly {
  metric: VitalMetric;
  title: string;
  unit: string;
  color: string;
  format: (v: number) => string;
  /** Where the value comes from, for an empty chart. */
  empty: string;
}[] = [
  {
    metric: 'respiratoryRate',
    title: 'Respiratory rate',
    unit: 'breaths/min',
    color: '#56ccf2',
    format: (v) => `${v.toFixed(1)} /min`,
    empty: 'From WHOOP (during sleep) or Garmin (all-day readings).',
  },
  {
    metric: 'skinTempC',
    title: 'Skin temperature',
    unit: '°C',
    color: '#f2994a',
    format: (v) => `${v.toFixed(1)} °C`,
    empty: 'From WHOOP.',
  },
  {
    metric: 'skinTempDeviationC',
    title: 'Skin temperature deviation',
    unit: '°C from the watch’s baseline',
    color: '#bb6bd9',
    format: (v) => `${v > 0 ? '+' : v < 0 ? '−' : ''}${Math.abs(v).toFixed(1)} °C`,
    empty: 'From Garmin.',
  },
];

export const VITAL_BY_METRIC = new Map(VITALS.map((v) => [v.metric as string, v]));
