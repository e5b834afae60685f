import type { AthletePlan, Plan, TeamPlan, UnplannedSession } from '@athlete/contracts';
import { type ReactNode, useState } from 'react';
import { Link, Navigate, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../api/client.ts';
import { useAthletePlans, useTeamPlans } from '../api/plan-queries.ts';
import { useMe, useTeamAthletes, useTeams } from '../api/queries.ts';
import { PlanForm } from '../components/plan-form.tsx';
import { Card, Empty, PageLoading, QueryError } from '../components/ui.tsx';
import { formatDate, formatSource, formatSport, todayKey } from '../lib/format.ts';
import { complianceClass, complianceText, monthGrid, planTarget, shiftMonth } from '../lib/plans.ts';
import '../styles/calendar.css';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

interface DayEntry {
  key: string;
  kind: 'done' | 'missed' | 'planned' | 'unplanned';
  /** The short text in the grid cell. */
  label: string;
  /** The full line in the day panel. */
  detail: ReactNode;
  plan?: Plan;
}

/** The month shown: `?month=YYYY-MM`, default this month (of today as the server counts it). */
function useMonth() {
  const [params, setParams] = useSearchParams();
  const month = /^\d{4}-\d{2}$/.test(params.get('month') ?? '')
    ? params.get('month')!
    : todayKey().slice(0, 7);
  const go = (n: number) =>
    setParams(
      (p) => {
        p.set('month', shiftMonth(month, n));
        return p;
      },
      { replace: true },
    );
  return { month, go, params, setParams };
}

function StatusBadge({ plan }: { plan: AthletePlan }) {
  if (plan.status === 'done' && plan.done)
    return (
      <span className={`badge ${complianceClass(plan.done.compliance)}`} data-testid="plan-compliance">
        done · {complianceText(plan.done.compliance)}
      </span>
    );
  return <span className={`badge ${plan.status === 'missed' ? 'danger' : 'info'}`}>{plan.status}</span>;
}

function athleteEntries(plans: AthletePlan[], unplanned: UnplannedSession[]): Map<string, DayEntry[]> {
  const byDay = new Map<string, DayEntry[]>();
  const add = (date: string, e: DayEntry) => byDay.set(date, [...(byDay.get(date) ?? []), e]);
  for (const p of plans) {
    add(p.date, {
      key: p.id,
      kind: p.status,
      plan: p,
      label: `${formatSport(p.sport)} ${p.durationMin}′`,
      detail: (
        <>
          <strong>{formatSport(p.sport)}</strong> {planTarget(p)} <StatusBadge plan={p} />
          <span className="small muted">
            {' '}
            {p.athleteId ? '' : `whole team ${p.teamName} · `}by {p.createdBy?.name ?? 'a coach'}
          </span>
          {p.description ? <span className="plan-description">{p.description}</span> : null}
          {p.done ? (
            <span className="small">
              Done: <Link to={`/sessions/${p.done.sessionId}`}>{Math.round(p.done.durationMin)} min</Link>
              {p.done.load !== null ? `, TRIMP ${Math.round(p.done.load)}` : ''} (
              {formatSource(p.done.source)}; compliance by {p.done.complianceBasis})
            </span>
          ) : null}
        </>
      ),
    });
  }
  for (const s of unplanned) {
    add(s.date, {
      key: s.sessionId,
      kind: 'unplanned',
      label: `${formatSport(s.sport)} ${Math.round(s.durationMin)}′`,
      detail: (
        <>
          <Link to={`/sessions/${s.sessionId}`}>
            {formatSport(s.sport)} {Math.round(s.durationMin)} min
          </Link>{' '}
          <span className="badge">unplanned</span>{' '}
          <span className="small muted">{formatSource(s.source)}</span>
        </>
      ),
    });
  }
  return byDay;
}

function teamEntries(plans: TeamPlan[], today: string): Map<string, DayEntry[]> {
  const byDay = new Map<string, DayEntry[]>();
  for (const p of plans) {
    const shared = p.athletes.filter((a) => a.shared);
    const done = shared.filter((a) => a.status === 'done');
    const hidden = p.athletes.length - shared.length;
    const entry: DayEntry = {
      key: p.id,
      // Done when everyone who shares did it; a past day short of that is missed (by someone).
      kind: done.length && done.length === shared.length ? 'done' : p.date < today ? 'missed' : 'planned',
      plan: p,
      label: `${formatSport(p.sport)} ${p.durationMin}′`,
      detail: (
        <>
          <strong>{formatSport(p.sport)}</strong> {planTarget(p)}{' '}
          <span className="small muted">for {p.athleteName ?? 'the whole team'}</span>{' '}
          <span className="badge" data-testid="team-plan-done">
            {done.length}/{shared.length} done
          </span>
          {hidden ? <span className="small muted"> · {hidden} not sharing sessions</span> : null}
          {p.description ? <span className="plan-description">{p.description}</span> : null}
          {done.length ? (
            <span className="small">
              {done.map((a) => `${a.name} ${complianceText(a.done?.compliance)}`).join(' · ')}
            </span>
          ) : null}
        </>
      ),
    };
    byDay.set(p.date, [...(byDay.get(p.date) ?? []), entry]);
  }
  return byDay;
}

/** The month grid with the selected day's entries in full below it (the whole story on a phone). */
function MonthView({
  month,
  go,
  entries,
  selected,
  onSelect,
  onEdit,
  actions,
}: {
  month: string;
  go: (n: number) => void;
  entries: Map<string, DayEntry[]>;
  selected: string;
  onSelect: (day: string) => void;
  onEdit?: (plan: Plan) => void;
  actions?: ReactNode;
}) {
  const { days } = monthGrid(month);
  const today = todayKey();
  const title = new Intl.DateTimeFormat(undefined, {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${month}-01T00:00:00Z`));
  const dayEntries = entries.get(selected) ?? [];
  return (
    <Card
      id="calendar"
      title={<span data-testid="calendar-month">{title}</span>}
      actions={
        <>
          <button type="button" className="btn sm" onClick={() => go(-1)} aria-label="Previous month">
            ‹
          </button>
          <button type="button" className="btn sm" onClick={() => go(1)} aria-label="Next month">
            ›
          </button>
        </>
      }
    >
      <div className="calendar-grid">
        {WEEKDAYS.map((d) => (
          <div key={d} className="calendar-weekday" aria-hidden="true">
            {d}
          </div>
        ))}
        {days.map((day) => {
          const list = entries.get(day) ?? [];
          const classes = [
            'calendar-day',
            day.slice(0, 7) !== month ? 'outside' : '',
            day === today ? 'today' : '',
            day === selected ? 'selected' : '',
          ].join(' ');
          return (
            <button
              key={day}
              type="button"
              className={classes}
              aria-pressed={day === selected}
              aria-label={`${formatDate(`${day}T12:00:00Z`)}: ${list.length ? list.map((e) => `${e.label} ${e.kind}`).join(', ') : 'nothing'}`}
              data-testid={`day-${day}`}
              onClick={() => onSelect(day)}
            >
              <span className="calendar-date">{Number(day.slice(8))}</span>
              {list.map((e) => (
                <span key={e.key} className={`calendar-entry ${e.kind}`}>
                  <span className="calendar-entry-text">{e.label}</span>
                </span>
              ))}
            </button>
          );
        })}
      </div>
      <div className="calendar-legend small muted">
        <span className="calendar-entry done">done</span>{' '}
        <span className="calendar-entry planned">planned</span>{' '}
        <span className="calendar-entry missed">missed</span>{' '}
        <span className="calendar-entry unplanned">unplanned session</span>
      </div>
      <section className="calendar-day-panel" aria-labelledby="day-panel-title" data-testid="day-panel">
        <div className="row between">
          <h3 id="day-panel-title">{formatDate(`${selected}T12:00:00Z`)}</h3>
          {actions}
        </div>
        {dayEntries.length ? (
          <ul className="calendar-day-list">
            {dayEntries.map((e) => (
              <li key={e.key} data-testid="day-entry" data-kind={e.kind}>
                <span className="calendar-day-detail">{e.detail}</span>
                {onEdit && e.plan ? (
                  <button type="button" className="btn sm ghost" onClick={() => onEdit(e.plan!)}>
                    Edit
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted small">Nothing planned or done this day.</p>
        )}
      </section>
    </Card>
  );
}

function useSelectedDay(month: string) {
  const today = todayKey();
  const [selected, setSelected] = useState(today);
  // A new month selects its first day unless today is in it.
  const inMonth = selected.slice(0, 7) === month;
  return [inMonth ? selected : today.slice(0, 7) === month ? today : `${month}-01`, setSelected] as const;
}

/** One athlete's month: their plans (own and whole-team) with what was done, and unplanned sessions. */
function AthleteCalendar({ athleteId, self }: { athleteId: string; self: boolean }) {
  const { month, go } = useMonth();
  const { from, to } = monthGrid(month);
  const plans = useAthletePlans(athleteId, from, to);
  const [selected, setSelected] = useSelectedDay(month);
  return (
    <main className="page" id="main">
      <div className="page-header">
        <div>
          <p className="eyebrow">{self ? 'Training' : 'Athlete'}</p>
          <h1>Calendar</h1>
          <p className="subtitle">Planned sessions and what was done, matched by day and sport.</p>
        </div>
        {self ? (
          <div className="row">
            <Link className="btn" to="/settings/calendar">
              Subscribe in your calendar app
            </Link>
          </div>
        ) : null}
      </div>
      {plans.error ? (
        <QueryError error={plans.error} what="Plans" />
      ) : plans.isPending ? (
        <PageLoading />
      ) : (
        <MonthView
          month={month}
          go={go}
          entries={athleteEntries(plans.data.plans, plans.data.unplanned)}
          selected={selected}
          onSelect={setSelected}
        />
      )}
    </main>
  );
}

/** A team's month for its coach: whole-team view or one athlete's, with the plan form. */
function TeamCalendar({ teamId }: { teamId: string }) {
  const { month, go, params, setParams } = useMonth();
  const { from, to } = monthGrid(month);
  const team = useTeams().data?.find((t) => t.id === teamId);
  const athletes = useTeamAthletes(teamId);
  const athleteId = params.get('athlete') ?? '';
  const teamPlans = useTeamPlans(athleteId ? undefined : teamId, from, to);
  const athletePlans = useAthletePlans(athleteId || undefined, from, to);
  const [selected, setSelected] = useSelectedDay(month);
  const [editing, setEditing] = useState<Plan | 'new' | null>(null);
  const me = useMe().data!;
  const canPlan = team?.myRole === 'coach' || me.role === 'admin';
  const query = athleteId ? athletePlans : teamPlans;
  const entries = athleteId
    ? athletePlans.data
      ? athleteEntries(
          athletePlans.data.plans.filter((p) => p.teamId === teamId),
          athletePlans.data.unplanned,
        )
      : new Map()
    : teamPlans.data
      ? teamEntries(teamPlans.data.plans, teamPlans.data.today)
      : new Map();
  const roster = (athletes.data ?? []).map((a) => ({ id: a.id, name: a.name }));
  const hiddenSessions = query.error instanceof ApiError && query.error.status === 403;
  return (
    <main className="page" id="main">
      <div className="page-header">
        <div>
          <p className="eyebrow">
            <Link to="/coach">Teams</Link> / calendar
          </p>
          <h1>{team?.name ?? 'Team'}: plans</h1>
          <p className="subtitle">Plan sessions; each is matched to what the athlete did that day.</p>
        </div>
        <div className="row">
          <label className="calendar-filter">
            <span className="visually-hidden">Show</span>
            <select
              aria-label="Show"
              value={athleteId}
              onChange={(e) =>
                setParams(
                  (p) => {
                    if (e.target.value) p.set('athlete', e.target.value);
                    else p.delete('athlete');
                    return p;
                  },
                  { replace: true },
                )
              }
            >
              <option value="">Whole team</option>
              {roster.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </label>
          <Link className="btn" to={`/teams/${teamId}/readiness`}>
            Readiness
          </Link>
        </div>
      </div>
      {editing && canPlan ? (
        <Card id="plan-editor" title={editing === 'new' ? 'Plan a session' : 'Edit plan'}>
          <PlanForm
            key={editing === 'new' ? `new-${selected}-${athleteId}` : editing.id}
            teamId={teamId}
            athletes={roster}
            date={selected}
            athleteId={athleteId || null}
            plan={editing === 'new' ? undefined : editing}
            onDone={() => setEditing(null)}
          />
        </Card>
      ) : null}
      {hiddenSessions ? (
        <Card>
          <Empty title="Not shared">
            This athlete does not share sessions with the team, so their plans and what they did are hidden.
          </Empty>
        </Card>
      ) : query.error ? (
        <QueryError error={query.error} what="Plans" />
      ) : query.isPending ? (
        <PageLoading />
      ) : (
        <MonthView
          month={month}
          go={go}
          entries={entries}
          selected={selected}
          onSelect={setSelected}
          onEdit={canPlan ? (plan) => setEditing(plan) : undefined}
          actions={
            canPlan ? (
              <button type="button" className="btn primary sm" onClick={() => setEditing('new')}>
                Plan a session
              </button>
            ) : null
          }
        />
      )}
    </main>
  );
}

/** A coach's Calendar menu entry: straight to the team when there is one, else a choice. */
function CoachCalendarIndex() {
  const teams = useTeams();
  const coached = (teams.data ?? []).filter((t) => t.myRole === 'coach' || t.myRole === null);
  if (teams.isPending) return <PageLoading />;
  if (coached.length === 1) return <Navigate to={`/teams/${coached[0]!.id}/calendar`} replace />;
  return (
    <main className="page" id="main">
      <div className="page-header">
        <div>
          <h1>Calendar</h1>
          <p className="subtitle">Choose a team to plan for.</p>
        </div>
      </div>
      {teams.error ? <QueryError error={teams.error} what="Teams" /> : null}
      <Card>
        {coached.length ? (
          <ul className="stack">
            {coached.map((t) => (
              <li key={t.id}>
                <Link to={`/teams/${t.id}/calendar`}>{t.name}</Link>
              </li>
            ))}
          </ul>
        ) : (
          <Empty title="No team yet">
            <Link to="/coach">Create a team</Link> to plan sessions for it.
          </Empty>
        )}
      </Card>
    </main>
  );
}

export default function CalendarPage() {
  const me = useMe().data!;
  const { athleteId, teamId } = useParams();
  if (teamId) return <TeamCalendar teamId={teamId} />;
  if (athleteId && athleteId !== me.id) return <AthleteCalendar athleteId={athleteId} self={false} />;
  if (me.role === 'athlete') return <AthleteCalendar athleteId={me.id} self />;
  return <CoachCalendarIndex />;
}
