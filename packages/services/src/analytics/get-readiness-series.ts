import type {
  AnomalyFlag,
  ReadinessDay,
  VitalMetric,
  VitalReading,
  WellnessMetric,
} from '@athlete/contracts';
import { anomalyOf, personalBaseline, robustBand } from '@athlete/core';
import type { Principal } from '../access/index.ts';
import { assertCanViewAthlete } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import { addDays, athleteToday, DAY_MS, dayMs, daysBetween } from './inputs.ts';

/** Days of history before `from` that baselines (60 d) and anomaly bands (60 d) rest on. */
export const BASELINE_DAYS = 60;

const METRIC_LABEL: Record<WellnessMetric, string> = {
  lnRmssd: 'HRV (lnRMSSD)',
  restingHr: 'Resting HR',
  sleepDurationS: 'Sleep duration',
  respiratoryRate: 'Respiratory rate',
  skinTempC: 'Skin temperature',
  skinTempDeviationC: 'Skin temperature deviation',
};

const VITALS: readonly VitalMetric[] = ['respiratoryRate', 'skinTempC', 'skinTempDeviationC'];

export interface ReadinessSeriesOptions {
  deps: Deps;
  athleteId: string;
  from?: string;
  to?: string;
  /** Checked for the `wellness` scope; leave out only from trusted internal callers. */
  principal?: Principal | null;
}

interface DayValue {
  value: number | null;
  source: string | null;
}

/**
 * One row per day: lnRMSSD and resting HR (an accepted readiness check of the day first, else
 * the merged nightly value from WHOOP/Garmin), sleep, each against its personal baseline
 * (core personalBaseline); respiratory rate and skin temperature with their band; the day's
 * anomaly flags for all of them (core robustBand over the 60 days before).
 */
export async function getReadinessSeries(options: ReadinessSeriesOptions): Promise<ReadinessDay[]> {
  const { deps, athleteId } = options;
  if (options.principal !== undefined)
    await assertCanViewAthlete({ deps, principal: options.principal, athleteId, scope: 'wellness' });
  const to = options.to ?? (await athleteToday(deps, athleteId));
  const from = options.from ?? addDays(to, -27);
  const first = addDays(from, -BASELINE_DAYS);
  const n = daysBetween(first, to) + 1;
  const empty = () => Array.from({ length: n }, (): DayValue => ({ value: null, source: null }));
  const series: Record<WellnessMetric, DayValue[]> = {
    lnRmssd: empty(),
    restingHr: empty(),
    sleepDurationS: empty(),
    respiratoryRate: empty(),
    skinTempC: empty(),
    skinTempDeviationC: empty(),
  };
  const index = (d: Date) => Math.round((d.getTime() - dayMs(first)) / DAY_MS);
  const range = { gte: new Date(dayMs(first)), lt: new Date(dayMs(to) + DAY_MS) };
  const [merged, checks] = await Promise.all([
    deps.db.prisma.dailySummary.findMany({
      where: { athleteId, source: 'merged', date: range },
      select: {
        date: true,
        restingHr: true,
        hrvRmssdMs: true,
        sleepDurationS: true,
        respiratoryRate: true,
        skinTempC: true,
        skinTempDeviationC: true,
        sources: true,
      },
    }),
    deps.db.prisma.readinessCheck.findMany({
      where: { athleteId, status: 'accepted', date: range },
      orderBy: { measuredAt: 'asc' },
      select: { date: true, lnRmssd: true, restingHr: true },
    }),
  ]);
  for (const row of merged) {
    const i = index(row.date);
    if (i < 0 || i >= n) continue;
    const sources = (row.sources ?? {}) as Record<string, string>;
    if (row.hrvRmssdMs !== null && row.hrvRmssdMs > 0)
      series.lnRmssd[i] = { value: Math.log(row.hrvRmssdMs), source: sources.hrvRmssdMs ?? null };
    if (row.restingHr !== null)
      series.restingHr[i] = { value: row.restingHr, source: sources.restingHr ?? null };
    if (row.sleepDurationS !== null)
      series.sleepDurationS[i] = { value: row.sleepDurationS, source: sources.sleepDurationS ?? null };
    for (const metric of VITALS) {
      const value = row[metric];
      if (value !== null) series[metric][i] = { value, source: sources[metric] ?? null };
    }
  }
  // The day's latest accepted check wins over the nightly value: it is what the athlete measured.
  for (const c of checks) {
    const i = index(c.date);
    if (i < 0 || i >= n) continue;
    if (c.lnRmssd !== null) series.lnRmssd[i] = { value: c.lnRmssd, source: 'readiness check' };
    if (c.restingHr !== null) series.restingHr[i] = { value: c.restingHr, source: 'readiness check' };
  }
  const values = Object.fromEntries(
    Object.entries(series).map(([k, v]) => [k, v.map((d) => d.value)]),
  ) as Record<WellnessMetric, (number | null)[]>;
  const out: ReadinessDay[] = [];
  for (let i = BASELINE_DAYS; i < n; i++) {
    const date = addDays(first, i);
    const flags: AnomalyFlag[] = [];
    const vitals = {} as Record<VitalMetric, VitalReading>;
    for (const metric of Object.keys(series) as WellnessMetric[]) {
      const band = robustBand(values[metric].slice(i - BASELINE_DAYS, i));
      if ((VITALS as readonly string[]).includes(metric)) {
        const { value, source } = series[metric][i]!;
        vitals[metric as VitalMetric] = {
          value,
          source,
          band: band && { median: band.median, lower: band.lower, upper: band.upper, days: band.days },
        };
      }
      const today = series[metric][i]!;
      const direction = anomalyOf(today.value, band);
      if (direction && band && today.value !== null)
        flags.push({
          metric,
          label: METRIC_LABEL[metric],
          date,
          value: today.value,
          direction,
          median: band.median,
          lower: band.lower,
          upper: band.upper,
          days: band.days,
          source: today.source,
        });
    }
    const window = (m: WellnessMetric) => values[m].slice(i + 1 - BASELINE_DAYS, i + 1);
    out.push({
      date,
      lnRmssd: series.lnRmssd[i]!.value,
      hrvSource: series.lnRmssd[i]!.source,
      restingHr: series.restingHr[i]!.value,
      restingHrSource: series.restingHr[i]!.source,
      sleepDurationS: series.sleepDurationS[i]!.value,
      sleepSource: series.sleepDurationS[i]!.source,
      hrvBaseline: personalBaseline(window('lnRmssd')),
      restingHrBaseline: personalBaseline(window('restingHr')),
      sleepBaseline: personalBaseline(window('sleepDurationS')),
      vitals,
      flags,
    });
  }
  return out;
}
