/**
 * The day's conclusion for one athlete: the recommendation with every reason and its number,
 * readiness against personal baselines, form (CTL/ATL/TSB, ACWR, monotony) and anomaly flags.
 * Every number comes from `GET /athletes/:id/readiness`; each card says how it is worked out.
 */
import type { AnomalyFlag, AthleteReadiness, BaselineOut, RecommendationOut } from '@athlete/contracts';
import {
  ACWR_BANDS,
  DEFAULT_ANOMALY_K,
  READINESS_MAX_ARTEFACT_RATE,
  RECOMMENDATION_RULES,
} from '@athlete/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useReadiness } from '../api/analytics-queries.ts';
import { formatHoursMinutes, formatNumber, formatPercent, formatSource } from '../lib/format.ts';
import { VITAL_BY_METRIC, VITALS } from '../lib/vitals.ts';
import '../styles/analytics.css';
import { Card, Empty, PageLoading, QueryError, Stat } from './ui.tsx';

export const RECOMMENDATION_LABELS: Record<RecommendationOut, string> = {
  push: 'Push: a hard session is on',
  train_as_planned: 'Train as planned',
  keep_it_easy: 'Keep it easy',
  rest: 'Rest',
};

const EFFECT_LABELS: Record<string, string> = {
  push: 'push',
  train_as_planned: 'as planned',
  keep_it_easy: 'easy',
  rest: 'rest',
  info: 'noted',
};

function HowComputed({
  children,
  summary = 'How this is worked out',
}: {
  children: ReactNode;
  summary?: string;
}) {
  return (
    <details className="how">
      <summary>{summary}</summary>
      <div className="how-body">{children}</div>
    </details>
  );
}

function formLabel(tsb: number | null): string {
  if (tsb === null) return 'no load yet';
  if (tsb < RECOMMENDATION_RULES.tsbHighRisk) return 'deep fatigue';
  if (tsb > RECOMMENDATION_RULES.tsbFresh) return 'fresh';
  return 'in training';
}

function signed(v: number, digits: number): string {
  return `${v > 0 ? '+' : v < 0 ? '−' : ''}${Math.abs(v).toFixed(digits)}`;
}

function Recommendation({ r }: { r: AthleteReadiness }) {
  const R = RECOMMENDATION_RULES;
  return (
    <Card title={`Recommendation for ${r.date}`} id="recommendation" className="recommendation-card">
      <p className={`recommendation ${r.recommendation}`} data-testid="recommendation-value">
        {RECOMMENDATION_LABELS[r.recommendation]}
      </p>
      <ul className="reasons" aria-label="Reasons">
        {r.reasons.map((reason) => (
          <li key={reason.rule} data-rule={reason.rule}>
            <span className={`badge effect-${reason.effect}`}>{EFFECT_LABELS[reason.effect]}</span>
            <span>{reason.text}</span>
          </li>
        ))}
      </ul>
      <HowComputed summary="How the recommendation is decided">
        <p>
          Each rule looks at one number and says what it alone would recommend; the most cautious one decides
          (rest, then keep it easy, then train as planned). "Push" needs every signal favourable at once: form
          above +{R.tsbFresh}, ACWR below 1.3 and HRV within or above your normal, with nothing asking for
          caution. Rules marked "noted" were looked at and decided nothing.
        </p>
        <ul>
          <li>HRV 7-day mean below your normal: keep it easy; with resting HR above normal too: rest.</li>
          <li>Resting HR or sleep outside your normal in the bad direction: keep it easy.</li>
          <li>
            Form (TSB) below {R.tsbHighRisk}: keep it easy. ACWR 1.3–1.5: keep it easy; above 1.5: rest.
          </li>
          <li>Weekly monotony above {R.monotonyHigh}: keep it easy.</li>
          <li>
            One reading outside your usual range: keep it easy; {R.flagsRest} or more: rest. A poor wellness
            answer: keep it easy.
          </li>
        </ul>
      </HowComputed>
    </Card>
  );
}

function BaselineStat({
  label,
  id,
  today,
  source,
  baseline,
  format,
  delta,
}: {
  label: string;
  id: string;
  today: number | null;
  source: string | null;
  baseline: BaselineOut | null;
  format: (v: number | null) => string;
  delta: (v: number) => string;
}) {
  let verdict: ReactNode = <span className="badge">no baseline yet</span>;
  let hint: ReactNode = 'A baseline needs 14 days of readings.';
  if (baseline) {
    const cls = baseline.verdict === 'within' ? 'ok' : baseline.verdict ? 'warn' : '';
    verdict = (
      <span className={`badge ${cls}`}>
        {baseline.verdict ? `${baseline.verdict} your normal` : 'no reading this week'}
      </span>
    );
    hint = (
      <>
        7-day mean {format(baseline.recent)}
        {baseline.recent !== null ? ` (${delta(baseline.recent - baseline.mean)})` : ''}; normal{' '}
        {format(baseline.lower)}–{format(baseline.upper)} from {baseline.days} days
      </>
    );
  }
  return (
    <div className="baseline-stat" data-testid={id}>
      <Stat
        label={label}
        value={format(today)}
        hint={today !== null && source ? `from ${formatSource(source)}` : 'no reading today'}
      />
      <div className="baseline-line">
        {verdict}
        <span className="small muted">{hint}</span>
      </div>
    </div>
  );
}

/** Today's respiratory rate and skin temperature, each with its usual range, when a provider sent them. */
function Vitals({ day }: { day: AthleteReadiness['today'] }) {
  const present = VITALS.filter((v) => day.vitals[v.metric].value !== null);
  if (present.length === 0) return null;
  return (
    <ul className="small muted vitals" data-testid="readiness-vitals">
      {present.map((v) => {
        const { value, source, band } = day.vitals[v.metric];
        return (
          <li key={v.metric} data-metric={v.metric}>
            {v.title} {v.format(value!)}
            {band
              ? `, usual ${v.format(band.lower)}–${v.format(band.upper)} from ${band.days} days`
              : ', no usual range yet'}
            {source ? ` (${formatSource(source)})` : ''}
          </li>
        );
      })}
    </ul>
  );
}

function Readiness({ r, self }: { r: AthleteReadiness; self: boolean }) {
  const t = r.today;
  const check = r.latestCheck;
  return (
    <Card
      title="Readiness"
      id="readiness"
      actions={self ? <Link to="/record#readiness-check">Take a readiness check</Link> : null}
    >
      <div className="baseline-grid">
        <BaselineStat
          label="HRV (lnRMSSD)"
          id="readiness-hrv"
          today={t.lnRmssd}
          source={t.hrvSource}
          baseline={t.hrvBaseline}
          format={(v) => formatNumber(v, 2)}
          delta={(d) => signed(d, 2)}
        />
        <BaselineStat
          label="Resting HR"
          id="readiness-rhr"
          today={t.restingHr}
          source={t.restingHrSource}
          baseline={t.restingHrBaseline}
          format={(v) => formatNumber(v, 0, 'bpm')}
          delta={(d) => `${signed(d, 1)} bpm`}
        />
        <BaselineStat
          label="Sleep"
          id="readiness-sleep"
          today={t.sleepDurationS}
          source={t.sleepSource}
          baseline={t.sleepBaseline}
          format={(v) => formatHoursMinutes(v)}
          delta={(d) => `${signed(d / 3600, 1)} h`}
        />
      </div>
      <Vitals day={t} />
      {check ? (
        <p className="small muted" data-testid="latest-check">
          Latest readiness check {check.date} ({check.source}): {check.status}, quality {check.quality}
          {check.lnRmssd !== null
            ? `, lnRMSSD ${check.lnRmssd.toFixed(2)} (RMSSD ${formatNumber(check.rmssdMs, 0, 'ms')})`
            : ''}
          {check.restingHr !== null ? `, resting HR ${check.restingHr.toFixed(0)} bpm` : ''}, artefacts{' '}
          {formatPercent(check.artefactRate, 1)} of {check.beats} beats
          {check.reason ? `: ${check.reason}` : ''}.
        </p>
      ) : (
        <p className="small muted">
          No readiness check yet.{' '}
          {self ? 'Two to five minutes at rest with a heart-rate strap on the Record page gives one.' : ''}
        </p>
      )}
      <HowComputed>
        <p>
          HRV is lnRMSSD: the natural log of the root mean square of successive differences of the RR
          intervals, after the artefact filter drops beats that differ from their neighbours by more than 20
          %. A check with more than {formatPercent(READINESS_MAX_ARTEFACT_RATE)} artefacts is refused. A
          readiness check of the day wins over the nightly value from WHOOP or Garmin; the source is shown
          under each value.
        </p>
        <p>
          Your normal is the mean of the last 60 days ± the smallest worthwhile change (0.5 × their standard
          deviation). The 7-day mean is compared with it: below, within or above. No baseline is shown before
          14 days of readings.
        </p>
      </HowComputed>
    </Card>
  );
}

function Form({ r, athleteId, self }: { r: AthleteReadiness; athleteId: string; self: boolean }) {
  const f = r.form;
  const band = ACWR_BANDS.find((b) => b.band === f.acwrBand);
  const trends = self ? '/trends' : `/athletes/${athleteId}/trends`;
  return (
    <Card title="Form" id="form" actions={<Link to={trends}>Fitness and form over time</Link>}>
      <div className="stat-grid">
        <Stat
          id="form-ctl"
          label="Fitness (CTL)"
          value={formatNumber(f.ctl, 1)}
          hint={`${f.settings.ctlDays}-day average load`}
        />
        <Stat
          id="form-atl"
          label="Fatigue (ATL)"
          value={formatNumber(f.atl, 1)}
          hint={`${f.settings.atlDays}-day average load`}
        />
        <Stat
          id="form-tsb"
          label="Form (TSB)"
          value={f.tsb === null ? '—' : signed(f.tsb, 1)}
          hint={formLabel(f.tsb)}
        />
        <Stat
          id="form-ramp"
          label="Ramp rate"
          value={f.rampRate === null ? '—' : signed(f.rampRate, 1)}
          hint="fitness change over 7 days"
        />
        <Stat
          id="form-acwr"
          label="ACWR"
          value={formatNumber(f.acwr, 2)}
          hint={band ? band.label : 'needs 4 weeks of load'}
        />
        <Stat
          id="form-monotony"
          label="Monotony"
          value={formatNumber(f.monotony, 2)}
          hint={
            f.monotony === null
              ? 'needs a week of load'
              : f.monotony > RECOMMENDATION_RULES.monotonyHigh
                ? `above ${RECOMMENDATION_RULES.monotonyHigh}: vary hard and easy days`
                : 'last 7 days'
          }
        />
      </div>
      <HowComputed>
        <p>
          Load is TRIMP (Banister): minutes weighted by heart-rate reserve, from every session you record,
          import or sync, counting an activity once when it arrives from two sources.
        </p>
        <ul>
          <li>
            Fitness CTL<sub>t</sub> = CTL<sub>t−1</sub> + (load<sub>t</sub> − CTL<sub>t−1</sub>) /{' '}
            {f.settings.ctlDays}; fatigue ATL the same over {f.settings.atlDays} days
            {f.settings.ctlDaysCustom || f.settings.atlDaysCustom
              ? ' (your own time constants)'
              : ' (defaults 42 and 7)'}
            .
          </li>
          <li>
            Form TSB = yesterday's CTL − yesterday's ATL: positive is fresh, below{' '}
            {RECOMMENDATION_RULES.tsbHighRisk} is deep fatigue.
          </li>
          <li>Ramp rate = CTL today − CTL 7 days ago.</li>
          <li>
            ACWR = 7-day ÷ 28-day exponentially weighted load (λ = 2 / (N + 1)). Bands:{' '}
            {ACWR_BANDS.map((b) => b.label).join('; ')}.
          </li>
          <li>
            Monotony (Foster) = mean ÷ standard deviation of the last 7 days' load; strain = weekly load ×
            monotony.
          </li>
        </ul>
      </HowComputed>
    </Card>
  );
}

function flagText(f: AnomalyFlag): string {
  const vital = VITAL_BY_METRIC.get(f.metric);
  const fmt = (v: number) =>
    vital
      ? vital.format(v)
      : f.metric === 'sleepDurationS'
        ? formatHoursMinutes(v)
        : f.metric === 'restingHr'
          ? `${v.toFixed(0)} bpm`
          : v.toFixed(2);
  return `${f.label} ${fmt(f.value)} is ${f.direction}: your usual ${fmt(f.lower)}–${fmt(f.upper)} (median ${fmt(f.median)} over ${f.days} days)${f.source ? `, from ${formatSource(f.source)}` : ''}`;
}

function Flags({ r }: { r: AthleteReadiness }) {
  const flags = r.today.flags;
  return (
    <Card title="Flags" id="flags">
      {flags.length === 0 ? (
        <p className="muted">Nothing outside your usual range today.</p>
      ) : (
        <ul className="flags">
          {flags.map((f) => (
            <li key={f.metric} data-metric={f.metric}>
              <span className="badge warn">flag</span> {flagText(f)}
            </li>
          ))}
        </ul>
      )}
      <HowComputed>
        <p>
          Your usual range for resting HR, HRV, sleep, and the respiratory rate and skin temperature WHOOP or
          Garmin send, is the median of the last 60 days ± {DEFAULT_ANOMALY_K} × the median absolute deviation
          (scaled by 1.4826 to match a standard deviation), which one odd day cannot move. It needs 14 days of
          readings. A day outside it is flagged here and on your coach's team view when you share wellness
          with the team. Garmin gives skin temperature only as a deviation from its own baseline, so it has a
          band of its own.
        </p>
      </HowComputed>
    </Card>
  );
}

/** Today's readiness, recommendation, form and flags of one athlete (self or a coach's view). */
export function ReadinessOverview({ athleteId, self }: { athleteId: string; self: boolean }) {
  const readiness = useReadiness(athleteId);
  if (readiness.error) return <QueryError error={readiness.error} what="Readiness" />;
  if (readiness.isPending) return <PageLoading label="Working out today's readiness…" />;
  const r = readiness.data;
  const nothing = r.form.ctl === null && r.today.lnRmssd === null && r.today.restingHr === null;
  return (
    <div className="readiness-overview">
      {nothing ? (
        <Card>
          <Empty title="Not enough data for a recommendation yet">
            Record, import or sync sessions and connect WHOOP or Garmin (or take readiness checks): load, form
            and your baselines appear as the data arrives.
          </Empty>
        </Card>
      ) : null}
      <Recommendation r={r} />
      <div className="grid cols-2">
        <Readiness r={r} self={self} />
        <Flags r={r} />
      </div>
      <Form r={r} athleteId={athleteId} self={self} />
    </div>
  );
}
