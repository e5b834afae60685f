import { useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { useDaily, useMe } from '../api/queries.ts';
import type { DailySummary } from '../api/types.ts';
import { cssVar } from '../charts/setup.ts';
import { TrendChart } from '../charts/trend-chart.tsx';
import { Card, Empty, PageLoading, QueryError } from '../components/ui.tsx';
import { formatSource, isoDay } from '../lib/format.ts';

const RANGES = [
  { id: '4w', label: '4 weeks', days: 28 },
  { id: '3m', label: '3 months', days: 91 },
  { id: '1y', label: 'Year', days: 365 },
] as const;

/**
 * One value per day: the merged row when present (it names the source of each metric), else the
 * first source that has the metric. Also returns which sources supplied the values shown.
 */
function perDay(rows: readonly DailySummary[], days: readonly string[], key: TrendKey, scale = 1) {
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
      return v * scale;
    }
    return null;
  });
  return { values, sources: [...sources].sort() };
}

type TrendKey = 'restingHr' | 'hrvRmssdMs' | 'sleepDurationS' | 'trainingLoad' | 'stressAvg' | 'weightKg';

export default function TrendsPage() {
  const me = useMe().data!;
  const { athleteId = me.id } = useParams();
  const [range, setRange] = useState<(typeof RANGES)[number]['id']>('4w');
  const n = RANGES.find((r) => r.id === range)!.days;
  const to = isoDay(Date.now());
  const from = isoDay(Date.now() - (n - 1) * 86_400_000);
  const daily = useDaily(athleteId, from, to);
  const days = useMemo(
    () => Array.from({ length: n }, (_, i) => isoDay(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000)),
    [from, n],
  );
  const rows = daily.data ?? [];
  const charts = [
    {
      key: 'restingHr',
      label: 'Resting HR',
      unit: 'bpm',
      color: cssVar('--accent', '#ff5a5f'),
      empty: 'From WHOOP, Garmin or recorded sessions.',
    },
    {
      key: 'hrvRmssdMs',
      label: 'HRV (RMSSD)',
      unit: 'ms',
      color: cssVar('--ok', '#2fbf71'),
      empty: 'From WHOOP or Garmin.',
    },
    {
      key: 'sleepDurationS',
      label: 'Sleep',
      unit: 'h',
      color: cssVar('--info', '#4e9cff'),
      scale: 1 / 3600,
      empty: 'From WHOOP or Garmin.',
    },
    {
      key: 'trainingLoad',
      label: 'Training load',
      unit: 'TRIMP',
      color: cssVar('--zone-4', '#f2994a'),
      kind: 'bar' as const,
      empty: 'TRIMP of the sessions you record or import.',
    },
    {
      key: 'stressAvg',
      label: 'Stress',
      unit: 'level',
      color: cssVar('--warn', '#f2c94c'),
      empty: 'Average stress level of the day, from Garmin.',
    },
    {
      key: 'weightKg',
      label: 'Weight',
      unit: 'kg',
      color: cssVar('--zone-0', '#6b7785'),
      empty: 'From Garmin body composition (smart scales).',
    },
  ] as const;
  return (
    <main className="page" id="main">
      <div className="page-header">
        <div>
          <h1>Trends</h1>
          <p className="subtitle">
            Daily values from every connected source, merged by your source precedence.
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
      {daily.error ? (
        <QueryError error={daily.error} what="Daily summaries" />
      ) : daily.isPending ? (
        <PageLoading />
      ) : rows.length === 0 ? (
        <Card>
          <Empty title="No daily data in this period">
            Connect WHOOP or Garmin, or record sessions, to build trends.
          </Empty>
        </Card>
      ) : (
        <div className="grid trends-grid">
          {charts.map((c) => {
            const series = perDay(rows, days, c.key, 'scale' in c ? c.scale : 1);
            return (
              <Card
                key={c.key}
                title={c.label}
                id={`trend-${c.key}`}
                actions={
                  <span className="source-tag" data-testid="trend-sources">
                    {series.sources.length
                      ? `from ${series.sources.map(formatSource).join(', ')}`
                      : 'no data'}
                  </span>
                }
              >
                {series.sources.length ? (
                  <TrendChart
                    days={days}
                    values={series.values}
                    label={c.label}
                    unit={c.unit}
                    color={c.color}
                    kind={'kind' in c ? c.kind : 'line'}
                  />
                ) : (
                  <Empty title="No data in this period">{c.empty}</Empty>
                )}
              </Card>
            );
          })}
        </div>
      )}
    </main>
  );
}
