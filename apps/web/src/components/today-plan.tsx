import { Link } from 'react-router';
import { useAthletePlans } from '../api/plan-queries.ts';
import { formatSport, todayKey } from '../lib/format.ts';
import { complianceClass, complianceText, planTarget } from '../lib/plans.ts';
import { Card, QueryError } from './ui.tsx';
import '../styles/calendar.css';

/** Today's planned sessions on the Today page, each with whether it is done and how closely. */
export function TodayPlan({ athleteId, self }: { athleteId: string; self: boolean }) {
  const today = todayKey();
  const plans = useAthletePlans(athleteId, today, today);
  const calendar = self ? '/calendar' : `/athletes/${athleteId}/calendar`;
  if (plans.error) return <QueryError error={plans.error} what="Today's plan" />;
  const list = plans.data?.plans ?? [];
  return (
    <Card id="today-plan" title="Today's plan" actions={<Link to={calendar}>Calendar</Link>}>
      {plans.isPending ? (
        <p className="muted small">Loading…</p>
      ) : list.length === 0 ? (
        <p className="muted small" data-testid="today-plan-empty">
          Nothing planned for today.
        </p>
      ) : (
        <ul className="today-plan-list">
          {list.map((p) => (
            <li key={p.id} data-testid="today-plan-item" data-status={p.status}>
              <strong>{formatSport(p.sport)}</strong> {planTarget(p)}{' '}
              {p.done ? (
                <span className={`badge ${complianceClass(p.done.compliance)}`} data-testid="plan-compliance">
                  done · {complianceText(p.done.compliance)}
                </span>
              ) : (
                <span className="badge info">to do</span>
              )}
              {p.description ? <span className="small muted"> · {p.description}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
