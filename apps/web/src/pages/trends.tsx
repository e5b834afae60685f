import type { ReadinessDay, TrainingLoad, WellnessMetric } from '@athlete/contracts';
import { ACWR_BANDS, DEFAULT_ANOMALY_K } from '@athlete/core';
import { useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { useReadinessSeries, useSaveLoadSettings, useTrainingLoad } from '../api/analytics-queries.ts';
import { fieldError } from '../api/client.ts';
import { useSrpe } from '../api/coach-queries.ts';
import { useDaily, useMe } from '../api/queries.ts';
import type { DailySummary } from '../api/types.ts';
import { AnalyticsChart, type AnalyticsSeries } from '../charts/analytics-chart.tsx';
import { cssVar, type ValueBand } from '../charts/setup.ts';
import { TrendChart } from '../charts/trend-chart.tsx';
import { Card, Empty, Field, PageLoading, QueryError } from '../components/ui.tsx';
import { formatSource, isoDay, todayKey, unitLabels, weightValue } from '../lib/format.ts';
import { TRIMP_FORMULA } from '../lib/formulas.ts';
import { VITALS } from '../lib/vitals.ts';
import '../styles/analytics.css';

const RANGES = [
  { id: '4w', label: '4 weeks', days: 28 },
  { id: '3m', label: '3 months', days: 91 },
  { id: '1y', label: 'Year', days: 365 },
] as const;
/** Longer ranges show load per week: a year of daily bars is noise. */
const WEEKLY_AFTER_DAYS = 91;

type DailyKey = 'stressAvg' | 'weightKg';

/** One value per day from the daily summaries: the merged row first, else the first source. */
function perDay(rows: readonly DailySummary[], days: readonly string[], key: DailyKey) {
  const byDay = new Map<string, DailySummary[]>();
  for (const r of rows) byDay.set(r.date.slice(0, 10), [...(byDay.get(r.date.slice(0, 10)) ?? []), r]);
  const sources = new Set<string>();
  const values = days.map((d) => {
    const list = [...(byDay.get(d) ?? [])].sort(
      (a, b) => Number(b.source === 'merged') - Number(a.source === 'merged'),
    );
    for (const r of list) {
      const v = r[key];
      if (typeof v !== 'number') continue;
      sources.add(r.source === 'merged' ? (r.sources?.[key] ?? 'merged') : r.source);
      return v;
    }
    return null;
  });
  return { values, sources: [...sources].sort() };
}

function LoadChart({
  load,
  srpe,
  weekly,
}: {
  load: TrainingLoad;
  srpe: Map<string, number>;
  weekly: boolean;
}) {
  const color = cssVar('--zone-4', '#f2994a');
  const counted = load.sessions.filter((s) => s.counted).length;
  const duplicates = load.sessions.filter((s) => s.duplicateOf !== null);
  const noLoad = load.sessions.filter((s) => s.method === 'none' && s.duplicateOf === null);
  const labels = weekly ? load.weeks.map((w) => w.weekStart) : load.days.map((d) => d.date);
  const series: AnalyticsSeries[] = weekly
    ? [{ label: 'TRIMP per week', values: load.weeks.map((w) => w.weeklyLoad), color, kind: 'bar' }]
    : [
        { label: 'TRIMP per day', values: load.days.map((d) => d.load), color, kind: 'bar' },
        ...(srpe.size
          ? [
              {
                label: 'sRPE load (RPE × min, right axis)',
                values: load.days.map((d) => srpe.get(d.date) ?? null),
                color: cssVar('--info', '#4e9cff'),
                kind: 'points' as const,
                right: true,
              },
            ]
          : []),
      ];
  return (
    <Card
      title="Training load"
      id="trend-load"
      actions={<span className="source-tag">TRIMP, {weekly ? 'per week' : 'per day'}</span>}
    >
      {load.sessions.length === 0 && load.days.every((d) => d.load === 0) ? (
        <Empty title="No sessions in this period">
          Record a session, import a FIT, GPX or TCX file, or sync Garmin or WHOOP.
        </Empty>
      ) : (
        <AnalyticsChart
          labels={labels}
          series={series}
          unit="TRIMP"
          rightUnit={series.length > 1 ? 'sRPE (AU)' : undefined}
          beginAtZero
          description={`Training load in TRIMP ${weekly ? 'per week' : 'per day'}, ${labels.length} ${weekly ? 'weeks' : 'days'}`}
        />
      )}
      <p className="small muted" data-testid="load-sessions">
        {load.sessions.length} sessions in this period, {counted} counted
        {duplicates.length ? `, ${duplicates.length} skipped as the same activity from another source` : ''}
        {noLoad.length ? `, ${noLoad.length} without heart rate (no TRIMP)` : ''}.
      </p>
      <details className="how">
        <summary>How this is worked out</summary>
        <div className="how-body">
          <p>
            {TRIMP_FORMULA}, from the session's heart-rate samples, or from its average heart rate and
            duration when only a summary exists (files without samples, Garmin or WHOOP workouts). When two
            sources hold the same activity (more than half their time overlapping), only the one your source
            precedence prefers counts.
          </p>
          {weekly ? <p>Long periods show the sum per week, starting on Monday.</p> : null}
          {srpe.size ? (
            <p>
              sRPE load (Foster) = your rating of effort (0–10) × the session's minutes, on the right axis;
              only rated sessions have one.
            </p>
          ) : null}
          {duplicates.length ? (
            <ul>
              {duplicates.slice(0, 10).map((s) => (
                <li key={s.id}>
                  {s.date} {s.sport ?? 'session'} from {formatSource(s.source)}: not counted, the same
                  activity as a session already counted.
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      </details>
    </Card>
  );
}

/** The athlete's own fitness and fatigue time constants; empty restores the default. */
function TimeConstants({ athleteId, settings }: { athleteId: string; settings: TrainingLoad['settings'] }) {
  const save = useSaveLoadSettings(athleteId);
  const [ctl, setCtl] = useState(settings.ctlDaysCustom ? String(settings.ctlDays) : '');
  const [atl, setAtl] = useState(settings.atlDaysCustom ? String(settings.atlDays) : '');
  const days = (v: string) => (v.trim() === '' ? null : Number(v));
  return (
    <form
      className="row"
      style={{ alignItems: 'flex-end' }}
      data-testid="load-settings"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ ctlDays: days(ctl), atlDays: days(atl) });
      }}
    >
      <Field label="Fitness days (7–120)" htmlFor="ctl-days" error={fieldError(save.error, 'ctlDays')}>
        <input
          id="ctl-days"
          inputMode="numeric"
          placeholder="42"
          value={ctl}
          onChange={(e) => setCtl(e.target.value)}
          size={5}
        />
      </Field>
      <Field label="Fatigue days (2–21)" htmlFor="atl-days" error={fieldError(save.error, 'atlDays')}>
        <input
          id="atl-days"
          inputMode="numeric"
          placeholder="7"
          value={atl}
          onChange={(e) => setAtl(e.target.value)}
          size={5}
        />
      </Field>
      <button type="submit" className="btn sm" disabled={save.isPending}>
        Save
      </button>
      {save.isSuccess ? <span className="small muted">Saved: the charts use them now.</span> : null}
    </form>
  );
}

function FormChart({
  load,
  showProjection,
  athleteId,
  self,
}: {
  load: TrainingLoad;
  showProjection: boolean;
  athleteId: string;
  self: boolean;
}) {
  const proj = showProjection ? load.projection : [];
  const labels = [...load.days.map((d) => d.date), ...proj.map((p) => p.date)];
  const pad = <T,>(a: T[], n: number) => [...a, ...Array<null>(n).fill(null)];
  const lead = (n: number) => Array<null>(n).fill(null);
  const last = load.days.at(-1);
  const projected = (key: 'ctl' | 'atl' | 'tsb') =>
    last && proj.length ? [...lead(load.days.length - 1), last[key], ...proj.map((p) => p[key])] : [];
  const fitness = cssVar('--info', '#4e9cff');
  const fatigue = cssVar('--accent', '#ff5a5f');
  const form = cssVar('--warn', '#f2c94c');
  const series: AnalyticsSeries[] = [
    {
      label: 'Fitness (CTL)',
      values: pad(
        load.days.map((d) => d.ctl),
        proj.length,
      ),
      color: fitness,
    },
    {
      label: 'Fatigue (ATL)',
      values: pad(
        load.days.map((d) => d.atl),
        proj.length,
      ),
      color: fatigue,
    },
    {
      label: 'Form (TSB)',
      values: pad(
        load.days.map((d) => d.tsb),
        proj.length,
      ),
      color: form,
    },
  ];
  if (proj.length) {
    const basis = load.projectionBasis === 'planned' ? 'planned load' : 'rest';
    series.push(
      { label: `Dashed: next 14 days (${basis})`, values: projected('ctl'), color: fitness, dashed: true },
      { label: `_fatigue projection`, values: projected('atl'), color: fatigue, dashed: true },
      { label: `_form projection`, values: projected('tsb'), color: form, dashed: true },
    );
  }
  const s = load.settings;
  return (
    <Card title="Fitness, fatigue and form" id="trend-form">
      <AnalyticsChart
        labels={labels}
        series={series}
        unit="TRIMP per day"
        description={`Fitness, fatigue and form per day over ${load.days.length} days${proj.length ? ', with a 14-day projection' : ''}`}
      />
      <details className="how">
        <summary>How this is worked out</summary>
        <div className="how-body">
          <p>
            Fitness (CTL) and fatigue (ATL) are exponentially weighted averages of daily TRIMP with time
            constants of {s.ctlDays} and {s.atlDays} days
            {s.ctlDaysCustom || s.atlDaysCustom ? ' (set by the athlete)' : ' (the defaults)'}: X<sub>t</sub>{' '}
            = X<sub>t−1</sub> + (load<sub>t</sub> − X<sub>t−1</sub>) / τ. Form (TSB) = yesterday's fitness −
            yesterday's fatigue. Dashed lines project the next 14 days assuming{' '}
            {load.projectionBasis === 'planned' ? 'the planned sessions' : 'no training'}.
          </p>
          {self ? <TimeConstants athleteId={athleteId} settings={s} /> : null}
        </div>
      </details>
    </Card>
  );
}

const BAND_COLORS: Record<string, string> = {
  low: '#4e9cff',
  optimal: '#2fbf71',
  caution: '#f2c94c',
  high: '#eb5757',
};

function AcwrChart({ load }: { load: TrainingLoad }) {
  const bands: ValueBand[] = ACWR_BANDS.map((b) => ({
    from: b.from,
    to: Math.min(b.to, 3),
    color: BAND_COLORS[b.band] ?? '#6b7785',
    label: b.label,
  }));
  const has = load.days.some((d) => d.acwrEwma !== null);
  return (
    <Card title="Acute:chronic workload ratio" id="trend-acwr">
      {has ? (
        <AnalyticsChart
          labels={load.days.map((d) => d.date)}
          series={[
            {
              label: 'ACWR, EWMA 7:28',
              values: load.days.map((d) => d.acwrEwma),
              color: cssVar('--text', '#e6edf3'),
            },
            {
              label: 'ACWR, rolling 7 ÷ 28 days',
              values: load.days.map((d) => d.acwrRolling),
              color: cssVar('--text-muted', '#97a3b4'),
              dashed: true,
            },
          ]}
          unit="ratio"
          bands={bands}
          beginAtZero
          suggestedMax={1.8}
          description={`ACWR per day with the bands ${ACWR_BANDS.map((b) => b.label).join('; ')}`}
        />
      ) : (
        <Empty title="Not enough load yet">The ratio needs training load on at least one day.</Empty>
      )}
      <details className="how">
        <summary>How this is worked out</summary>
        <div className="how-body">
          <p>
            Acute (7-day) load ÷ chronic (28-day) load. The solid line uses exponentially weighted averages (λ
            = 2 / (N + 1), Williams et al. 2017), the dashed one plain 7- and 28-day sums (only after 28
            days). Bands: {ACWR_BANDS.map((b) => b.label).join('; ')}.
          </p>
        </div>
      </details>
    </Card>
  );
}

const WELLNESS: {
  metric: WellnessMetric;
  title: string;
  unit: string;
  color: string;
  scale: number;
  digits: number;
  value: (d: ReadinessDay) => number | null;
  baseline: (d: ReadinessDay) => ReadinessDay['hrvBaseline'];
  source: (d: ReadinessDay) => string | null;
  empty: string;
}[] = [
  {
    metric: 'lnRmssd',
    title: 'HRV (lnRMSSD)',
    unit: 'ln ms',
    color: '#2fbf71',
    scale: 1,
    digits: 2,
    value: (d) => d.lnRmssd,
    baseline: (d) => d.hrvBaseline,
    source: (d) => d.hrvSource,
    empty: 'From WHOOP or Garmin nightly HRV, or a readiness check on the Record page.',
  },
  {
    metric: 'restingHr',
    title: 'Resting HR',
    unit: 'bpm',
    color: '#ff5a5f',
    scale: 1,
    digits: 0,
    value: (d) => d.restingHr,
    baseline: (d) => d.restingHrBaseline,
    source: (d) => d.restingHrSource,
    empty: 'From WHOOP, Garmin or a readiness check.',
  },
  {
    metric: 'sleepDurationS',
    title: 'Sleep',
    unit: 'h',
    color: '#4e9cff',
    scale: 1 / 3600,
    digits: 1,
    value: (d) => d.sleepDurationS,
    baseline: (d) => d.sleepBaseline,
    source: (d) => d.sleepSource,
    empty: 'From WHOOP or Garmin.',
  },
];

function WellnessChart({ days, w }: { days: ReadinessDay[]; w: (typeof WELLNESS)[number] }) {
  const scaled = (v: number | null | undefined) => (v == null ? null : v * w.scale);
  const values = days.map((d) => scaled(w.value(d)));
  const flagged = days.map((d) => d.flags.some((f) => f.metric === w.metric));
  const sources = [...new Set(days.map(w.source).filter((s): s is string => !!s))].sort();
  const nFlags = flagged.filter(Boolean).length;
  return (
    <Card
      title={w.title}
      id={`trend-${w.metric}`}
      actions={
        <span className="source-tag" data-testid="trend-sources">
          {sources.length ? `from ${sources.map(formatSource).join(', ')}` : 'no data'}
        </span>
      }
    >
      {values.some((v) => v !== null) ? (
        <AnalyticsChart
          labels={days.map((d) => d.date)}
          series={[
            {
              label: '_normal upper',
              values: days.map((d) => scaled(w.baseline(d)?.upper)),
              color: `${w.color}66`,
              dashed: true,
            },
            {
              label: 'Your normal (60-day mean ± SWC)',
              values: days.map((d) => scaled(w.baseline(d)?.lower)),
              color: `${w.color}66`,
              dashed: true,
              fillTo: 0,
            },
            { label: '7-day mean', values: days.map((d) => scaled(w.baseline(d)?.recent)), color: w.color },
            {
              label: nFlags ? `Daily value (${nFlags} flagged in red)` : 'Daily value',
              values,
              color: w.color,
              kind: 'points',
              highlight: flagged,
            },
          ]}
          unit={w.unit}
          description={`${w.title} per day in ${w.unit}, ${values.filter((v) => v !== null).length} of ${days.length} days with data, ${nFlags} flagged`}
        />
      ) : (
        <Empty title="No data in this period">{w.empty}</Empty>
      )}
    </Card>
  );
}

/** Respiratory rate or skin temperature per day against its robust band; shown only with data. */
function VitalChart({ days, v }: { days: ReadinessDay[]; v: (typeof VITALS)[number] }) {
  const readings = days.map((d) => d.vitals[v.metric]);
  const flagged = days.map((d) => d.flags.some((f) => f.metric === v.metric));
  const sources = [...new Set(readings.map((r) => r.source).filter((s): s is string => !!s))].sort();
  const nFlags = flagged.filter(Boolean).length;
  const values = readings.map((r) => r.value);
  return (
    <Card
      title={v.title}
      id={`trend-${v.metric}`}
      actions={
        <span className="source-tag" data-testid="trend-sources">
          from {sources.map(formatSource).join(', ')}
        </span>
      }
    >
      <AnalyticsChart
        labels={days.map((d) => d.date)}
        series={[
          {
            label: '_usual upper',
            values: readings.map((r) => r.band?.upper ?? null),
            color: `${v.color}66`,
            dashed: true,
          },
          {
            label: `Your usual range (60-day median ± ${DEFAULT_ANOMALY_K} MAD)`,
            values: readings.map((r) => r.band?.lower ?? null),
            color: `${v.color}66`,
            dashed: true,
            fillTo: 0,
          },
          {
            label: nFlags ? `Nightly value (${nFlags} flagged in red)` : 'Nightly value',
            values,
            color: v.color,
            kind: 'points',
            highlight: flagged,
          },
        ]}
        unit={v.unit}
        description={`${v.title} per day in ${v.unit}, ${values.filter((x) => x !== null).length} of ${days.length} days with data, ${nFlags} flagged`}
      />
      <details className="how">
        <summary>How this is worked out</summary>
        <div className="how-body">
          <p>
            The shaded band is your usual range on each day: the median of the 60 days before it ±{' '}
            {DEFAULT_ANOMALY_K} × 1.4826 × the median absolute deviation, from at least 14 days of readings. A
            red point lies outside it and is flagged on Today. {v.empty}
          </p>
        </div>
      </details>
    </Card>
  );
}

export default function TrendsPage() {
  const me = useMe().data!;
  const { athleteId = me.id } = useParams();
  const [range, setRange] = useState<(typeof RANGES)[number]['id']>('4w');
  const n = RANGES.find((r) => r.id === range)!.days;
  const to = todayKey();
  const from = isoDay(Date.parse(`${to}T00:00:00Z`) - (n - 1) * 86_400_000);
  const load = useTrainingLoad(athleteId, from, to);
  const readiness = useReadinessSeries(athleteId, from, to);
  const srpe = useSrpe(athleteId, { from, to });
  const daily = useDaily(athleteId, from, to);
  const days = useMemo(
    () => Array.from({ length: n }, (_, i) => isoDay(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000)),
    [from, n],
  );
  const srpeByDay = useMemo(
    () => new Map((srpe.data?.days ?? []).filter((d) => d.ratedSessions > 0).map((d) => [d.date, d.load])),
    [srpe.data],
  );
  const rows = daily.data ?? [];
  const extra = [
    { key: 'stressAvg' as const, label: 'Stress', unit: 'level', color: cssVar('--warn', '#f2c94c') },
    {
      key: 'weightKg' as const,
      label: 'Weight',
      unit: unitLabels().weight,
      color: cssVar('--zone-0', '#6b7785'),
    },
  ]
    .map((c) => ({ ...c, series: perDay(rows, days, c.key) }))
    // Weight is stored in kg; the chart shows the person's unit (kg or lb).
    .map((c) =>
      c.key === 'weightKg'
        ? {
            ...c,
            series: { ...c.series, values: c.series.values.map((v) => (v === null ? null : weightValue(v))) },
          }
        : c,
    )
    .filter((c) => c.series.sources.length > 0);
  return (
    <main className="page" id="main">
      <div className="page-header">
        <div>
          <h1>Trends</h1>
          <p className="subtitle">
            Load, form and readiness from every connected source, each against your own normal.
          </p>
        </div>
        <fieldset className="segmented">
          <legend className="visually-hidden">Period</legend>
          {RANGES.map((r) => (
            <button key={r.id} type="button" aria-pressed={range === r.id} onClick={() => setRange(r.id)}>
              {r.label}
            </button>
          ))}
        </fieldset>
      </div>
      {load.error ? (
        <QueryError error={load.error} what="Training load" />
      ) : load.isPending ? (
        <PageLoading />
      ) : (
        <div className="grid trends-grid">
          <LoadChart load={load.data} srpe={srpeByDay} weekly={n > WEEKLY_AFTER_DAYS} />
          <FormChart
            load={load.data}
            showProjection={load.data.to === to}
            athleteId={athleteId}
            self={athleteId === me.id}
          />
          <AcwrChart load={load.data} />
          {readiness.error ? (
            <QueryError error={readiness.error} what="Readiness" />
          ) : readiness.data ? (
            <>
              {WELLNESS.map((w) => (
                <WellnessChart key={w.metric} days={readiness.data} w={w} />
              ))}
              {VITALS.filter((v) => readiness.data.some((d) => d.vitals[v.metric].value !== null)).map(
                (v) => (
                  <VitalChart key={v.metric} days={readiness.data} v={v} />
                ),
              )}
            </>
          ) : null}
          {extra.map((c) => (
            <Card
              key={c.key}
              title={c.label}
              id={`trend-${c.key}`}
              actions={
                <span className="source-tag" data-testid="trend-sources">
                  from {c.series.sources.map(formatSource).join(', ')}
                </span>
              }
            >
              <TrendChart
                days={days}
                values={c.series.values}
                label={c.label}
                unit={c.unit}
                color={c.color}
              />
            </Card>
          ))}
        </div>
      )}
    </main>
  );
}
