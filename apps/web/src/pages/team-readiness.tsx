import type { TeamReadinessRow } from '@athlete/contracts';
import { Link, useParams } from 'react-router';
import { useConfirmReadinessThreshold, useTeamReadiness } from '../api/analytics-queries.ts';
import { errorMessage } from '../api/client.ts';
import { useTeams } from '../api/queries.ts';
import { RECOMMENDATION_LABELS } from '../components/readiness-overview.tsx';
import { Card, Empty, Notice, PageLoading, QueryError } from '../components/ui.tsx';
import { formatNumber } from '../lib/format.ts';
import { complianceClass, complianceText } from '../lib/plans.ts';
import '../styles/analytics.css';

const VERDICT_CLASS: Record<string, string> = { within: 'ok', below: 'warn', above: 'warn' };

function Verdict({ verdict }: { verdict: string | null | undefined }) {
  if (!verdict) return <span className="muted">no baseline</span>;
  return <span className={`badge ${VERDICT_CLASS[verdict] ?? ''}`}>{verdict} normal</span>;
}

/** Planned vs done this week, linking to the athlete's month; hidden without the sessions consent. */
function WeekPlans({ row, teamId }: { row: TeamReadinessRow; teamId: string }) {
  const w = row.plans;
  if (!w) return <span className="muted">hidden</span>;
  if (w.planned === 0) return <span className="muted">nothing planned</span>;
  return (
    <Link to={`/teams/${teamId}/calendar?athlete=${row.athleteId}`} data-testid="readiness-plans">
      {w.done}/{w.planned} done{' '}
      {w.compliance !== null ? (
        <span className={`badge ${complianceClass(w.compliance)}`}>{complianceText(w.compliance)}</span>
      ) : null}
      <span className="small muted">
        {' '}
        {Math.round(w.doneMin)}/{w.plannedMin} min
      </span>
    </Link>
  );
}

/**
 * Today's readiness-gated hr_high threshold: the suggestion with its reason and formula and a
 * one-tap confirm, or the logged override (who, when, old → new, why) once confirmed.
 */
function DayThreshold({ row, teamId }: { row: TeamReadinessRow; teamId: string }) {
  const confirm = useConfirmReadinessThreshold(teamId);
  const th = row.threshold;
  if (!th) return <span className="muted">hidden</span>;
  const o = th.override;
  if (o)
    return (
      <div data-testid="threshold-override">
        <span className="badge info">
          HR high {o.previousBpm} → {o.hrAboveBpm} bpm today
        </span>
        <p className="small muted">
          Confirmed by {o.confirmedBy?.name ?? 'a former user'} at{' '}
          {new Date(o.confirmedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}. {o.reason}
          . {o.formula}
        </p>
      </div>
    );
  const s = th.suggestion;
  if (!s) return <span className="muted">usual</span>;
  return (
    <div data-testid="threshold-suggestion">
      <p className="small">
        Suggest HR high {s.currentBpm} → <strong>{s.suggestedBpm} bpm</strong> for today. {s.reason}.
      </p>
      <p className="small muted" data-testid="threshold-formula">
        {s.formula}
      </p>
      <button
        type="button"
        className="btn sm"
        disabled={confirm.isPending}
        onClick={() =>
          confirm.mutate({ athleteId: row.athleteId, date: th.date, suggestedBpm: s.suggestedBpm })
        }
      >
        {confirm.isPending ? 'Confirming…' : `Use ${s.suggestedBpm} bpm today`}
      </button>
      {confirm.error ? <Notice kind="error">{errorMessage(confirm.error)}</Notice> : null}
    </div>
  );
}

function Row({ row, teamId }: { row: TeamReadinessRow; teamId: string }) {
  const r = row.readiness;
  const name = (
    <Link to={`/athletes/${row.athleteId}/today`} data-testid="readiness-athlete">
      {row.name}
    </Link>
  );
  if (!r)
    return (
      <tr data-testid="team-readiness-row">
        <td className="lead">{name}</td>
        <td colSpan={7} className="muted">
          Does not share wellness data with the team.
        </td>
        <td data-label="This week">
          <WeekPlans row={row} teamId={teamId} />
        </td>
      </tr>
    );
  const cautious = r.reasons.filter((x) => x.effect !== 'info' && x.effect !== 'push');
  return (
    <tr data-testid="team-readiness-row" data-recommendation={r.recommendation}>
      <td className="lead">{name}</td>
      <td data-label="Today" className="wide">
        <span className={`recommendation-chip ${r.recommendation}`}>
          {RECOMMENDATION_LABELS[r.recommendation]}
        </span>
        {cautious.length ? (
          <ul className="reasons compact">
            {cautious.map((x) => (
              <li key={x.rule}>{x.text}</li>
            ))}
          </ul>
        ) : null}
      </td>
      <td data-label="HRV">
        {formatNumber(r.today.lnRmssd, 2)} <Verdict verdict={r.today.hrvBaseline?.verdict} />
      </td>
      <td data-label="Resting HR">
        {formatNumber(r.today.restingHr, 0, 'bpm')} <Verdict verdict={r.today.restingHrBaseline?.verdict} />
      </td>
      <td data-label="Form (TSB)">{formatNumber(r.form.tsb, 1)}</td>
      <td data-label="ACWR">
        {formatNumber(r.form.acwr, 2)}
        {r.form.acwrBand && r.form.acwrBand !== 'optimal' ? (
          <span className={`badge ${r.form.acwrBand === 'low' ? 'info' : 'warn'}`}> {r.form.acwrBand}</span>
        ) : null}
      </td>
      <td data-label="Flags" data-testid="readiness-flags" className="wide">
        {r.today.flags.length ? (
          <span className="badge warn">{r.today.flags.map((f) => f.label).join(', ')}</span>
        ) : (
          <span className="muted">none</span>
        )}
      </td>
      <td data-label="HR high alert today" className="wide">
        <DayThreshold row={row} teamId={teamId} />
      </td>
      <td data-label="This week">
        <WeekPlans row={row} teamId={teamId} />
      </td>
    </tr>
  );
}

/** The coach's morning: who is ready, who needs attention and why, most cautious first. */
export default function TeamReadinessPage() {
  const { teamId } = useParams();
  const team = useTeams().data?.find((t) => t.id === teamId);
  const table = useTeamReadiness(teamId);
  const rows = table.data?.athletes ?? [];
  const attention = rows.filter(
    (a) =>
      a.readiness &&
      a.readiness.recommendation !== 'train_as_planned' &&
      a.readiness.recommendation !== 'push',
  );
  return (
    <main className="page" id="main">
      <div className="page-header">
        <div>
          <p className="eyebrow">
            <Link to="/coach">Teams</Link> / morning check
          </p>
          <h1>{team?.name ?? 'Team'}: readiness today</h1>
          <p className="subtitle">
            {table.data
              ? `${attention.length} of ${rows.length} athletes need attention on ${table.data.date}.`
              : 'Each athlete against their own normal.'}
          </p>
        </div>
        <div className="row">
          <Link className="btn" to={`/teams/${teamId}/calendar`}>
            Plans
          </Link>
          <Link className="btn" to={`/teams/${teamId}/live`}>
            Live view
          </Link>
          <Link className="btn" to={`/teams/${teamId}/alerts`}>
            Alert history
          </Link>
        </div>
      </div>
      {table.error ? (
        <QueryError error={table.error} what="Team readiness" />
      ) : table.isPending ? (
        <PageLoading label="Working out each athlete's readiness…" />
      ) : rows.length === 0 ? (
        <Card>
          <Empty title="No athletes yet">Invite athletes from the team's Manage page.</Empty>
        </Card>
      ) : (
        <Card id="team-readiness">
          <div className="table-wrap">
            <table className="table stackable">
              <thead>
                <tr>
                  <th>Athlete</th>
                  <th>Today</th>
                  <th>HRV (lnRMSSD)</th>
                  <th>Resting HR</th>
                  <th>Form (TSB)</th>
                  <th>ACWR</th>
                  <th>Flags</th>
                  <th>HR high alert today</th>
                  <th>This week (planned vs done)</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <Row key={row.athleteId} row={row} teamId={teamId!} />
                ))}
              </tbody>
            </table>
          </div>
          <p className="small muted" style={{ marginTop: 12 }}>
            HRV and resting HR are today's readings against each athlete's 60-day normal; the verdict is on
            the 7-day mean. Open an athlete for every reason and how it is worked out (docs/ANALYTICS.md). On
            a "keep it easy" day the live HR-high alert is suggested 3 % of HR max lower, on a "rest" day 5 %
            lower (never below 100 bpm); once confirmed it holds for that athlete until their midnight (their
            time zone, UTC if unset).
          </p>
        </Card>
      )}
    </main>
  );
}
