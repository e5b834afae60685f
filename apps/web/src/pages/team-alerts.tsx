import { ALERT_RULES } from '@athlete/core';
import { useMemo, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { call, errorMessage } from '../api/client.ts';
import { type AlertHistoryFilters, useAlertPages, useTeamAthletes, useTeams } from '../api/queries.ts';
import type { Alert } from '../api/types.ts';
import { RULE_TEXT } from '../components/alert-feed.tsx';
import { Card, Empty, Notice, PageLoading, QueryError } from '../components/ui.tsx';
import { formatDate, formatTime } from '../lib/format.ts';
import { useLiveStream, useStoreVersion } from '../live/hooks.ts';

const STATES: Array<[string, string]> = [
  ['', 'Any state'],
  ['active', 'Not cleared'],
  ['cleared', 'Cleared'],
  ['unacknowledged', 'Not acknowledged'],
  ['acknowledged', 'Acknowledged'],
];
const FILTER_KEYS = ['athleteId', 'sessionId', 'rule', 'state', 'from', 'to'] as const;

/** Alerts last seconds: the time with seconds, the day short. */
const when = (iso: string) => `${formatDate(iso)} ${formatTime(iso)}`;

/** Dropout values are seconds of silence; every other rule is about heart rate. */
const withUnit = (a: Alert, v: number | null) =>
  v === null ? '—' : `${Math.round(v)} ${a.rule === 'dropout' ? 's' : 'bpm'}`;

/** Whether an alert pushed live belongs in the list as filtered (the server's rules, client-side). */
function matches(a: Alert, f: AlertHistoryFilters): boolean {
  if (f.athleteId && a.athleteId !== f.athleteId) return false;
  if (f.sessionId && a.sessionId !== f.sessionId) return false;
  if (f.rule && a.rule !== f.rule) return false;
  if (f.state === 'active' && a.clearedAt) return false;
  if (f.state === 'cleared' && !a.clearedAt) return false;
  if (f.state === 'acknowledged' && !a.acknowledgedAt) return false;
  if (f.state === 'unacknowledged' && a.acknowledgedAt) return false;
  const day = a.startedAt.slice(0, 10);
  if (f.from && day < f.from) return false;
  if (f.to && day > f.to) return false;
  return true;
}

/**
 * Every alert of the team, filterable and paged. The team's live socket feeds the same store
 * the live view uses, so a clear or another coach's acknowledgement shows here as it happens.
 */
export default function TeamAlertsPage() {
  const { teamId } = useParams();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => {
    const f: AlertHistoryFilters = {};
    for (const k of FILTER_KEYS) {
      const v = params.get(k);
      if (v) f[k] = v;
    }
    return f;
  }, [params]);
  const setFilter = (key: (typeof FILTER_KEYS)[number], value: string) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const team = useTeams().data?.find((t) => t.id === teamId);
  const athletes = useTeamAthletes(teamId);
  const names = useMemo(() => new Map((athletes.data ?? []).map((a) => [a.id, a.name])), [athletes.data]);
  const pages = useAlertPages(teamId, filters);
  const live = useLiveStream({ teamId });
  useStoreVersion(live.store);
  const [ackError, setAckError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const loaded = useMemo(() => pages.data?.pages.flatMap((p) => p.alerts) ?? [], [pages.data]);
  // The store only ever moves cleared/acknowledged forward, so it merges REST and socket copies.
  const known = new Map(live.store.alertList().map((a) => [a.id, a]));
  const seen = new Set(loaded.map((a) => a.id));
  const newest = loaded[0]?.startedAt ?? '';
  const fresh = [...known.values()].filter(
    (a) => !seen.has(a.id) && a.startedAt >= newest && matches(a, filters),
  );
  const rows = [...fresh, ...loaded.map((a) => mergeKnown(a, known.get(a.id)))];
  // Sessions seen on this page so far, so the Session filter still offers the others once one
  // is picked (the list then only holds that session's alerts). Labelled by athlete and the
  // session's earliest alert seen: an alert row carries no session start.
  const sessionsSeen = useRef(new Map<string, { athleteId: string; first: string }>()).current;
  for (const a of rows) {
    if (!a.sessionId) continue;
    const s = sessionsSeen.get(a.sessionId);
    if (!s || a.startedAt < s.first)
      sessionsSeen.set(a.sessionId, { athleteId: a.athleteId, first: a.startedAt });
  }
  const sessionLabel = (id: string) => {
    const s = sessionsSeen.get(id);
    return s ? `${names.get(s.athleteId) ?? 'Athlete'} · from ${when(s.first)}` : 'This session';
  };
  const sessionOptions = [...sessionsSeen.entries()]
    .filter(([, s]) => !filters.athleteId || s.athleteId === filters.athleteId)
    .sort((x, y) => (x[1].first < y[1].first ? 1 : -1))
    .map(([id]): [string, string] => [id, sessionLabel(id)]);
  if (filters.sessionId && !sessionsSeen.has(filters.sessionId))
    sessionOptions.unshift([filters.sessionId, 'This session']);

  const ack = async (id: string) => {
    setBusy(id);
    setAckError(null);
    try {
      const res = await call('POST /api/v1/alerts/:id/ack', { params: { id } });
      live.store.setAlerts([res.alert]);
    } catch (err) {
      setAckError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <main className="page wide" id="main">
      <div className="page-header">
        <div>
          <p className="eyebrow">
            <Link to="/coach">Teams</Link> / alert history
          </p>
          <h1>{team?.name ?? 'Team'}: alert history</h1>
          <p className="subtitle" aria-live="polite">
            Every alert stays here, cleared or acknowledged ·{' '}
            {live.state === 'open' ? 'live' : live.state === 'closed' ? 'not live' : 'connecting…'}
          </p>
        </div>
        <div className="row">
          <Link className="btn" to={`/teams/${teamId}/live`}>
            Live view
          </Link>
          <Link className="btn" to={`/teams/${teamId}/readiness`}>
            Readiness
          </Link>
        </div>
      </div>
      <Card>
        <form className="row alert-filters" aria-label="Filter alerts" onSubmit={(e) => e.preventDefault()}>
          <FilterSelect
            label="Athlete"
            testId="filter-athlete"
            value={filters.athleteId}
            onChange={(v) => setFilter('athleteId', v)}
            options={[
              ['', 'All athletes'],
              ...(athletes.data ?? []).map((a): [string, string] => [a.id, a.name]),
            ]}
          />
          <FilterSelect
            label="Session"
            testId="filter-session"
            value={filters.sessionId}
            onChange={(v) => setFilter('sessionId', v)}
            options={[['', 'Every session'], ...sessionOptions]}
          />
          <FilterSelect
            label="Alert"
            testId="filter-rule"
            value={filters.rule}
            onChange={(v) => setFilter('rule', v)}
            options={[
              ['', 'Every alert'],
              ...ALERT_RULES.map((r): [string, string] => [r, RULE_TEXT[r] ?? r]),
            ]}
          />
          <FilterSelect
            label="State"
            testId="filter-state"
            value={filters.state}
            onChange={(v) => setFilter('state', v)}
            options={STATES}
          />
          <label>
            <span className="small muted">From</span>
            <input
              type="date"
              value={filters.from ?? ''}
              onChange={(e) => setFilter('from', e.target.value)}
            />
          </label>
          <label>
            <span className="small muted">To</span>
            <input type="date" value={filters.to ?? ''} onChange={(e) => setFilter('to', e.target.value)} />
          </label>
        </form>
      </Card>
      {ackError ? <Notice kind="error">{ackError}</Notice> : null}
      {pages.error ? (
        <QueryError error={pages.error} what="Alert history" />
      ) : pages.isPending ? (
        <PageLoading label="Loading alerts…" />
      ) : rows.length === 0 ? (
        <Card>
          <Empty title="No alerts">
            {Object.keys(filters).length
              ? 'No alert matches these filters.'
              : 'Alerts appear here once one fires.'}
          </Empty>
        </Card>
      ) : (
        <Card id="alert-history">
          <div className="table-wrap">
            <table className="table stackable">
              <thead>
                <tr>
                  <th>Alert</th>
                  <th>Started</th>
                  <th>Value</th>
                  <th>Threshold</th>
                  <th>Cleared</th>
                  <th>Acknowledged</th>
                  <th>Session</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((a) => (
                  <tr
                    key={a.id}
                    data-testid="alert-history-row"
                    data-alert-id={a.id}
                    data-acknowledged={a.acknowledgedAt ? 'true' : 'false'}
                  >
                    <td className="lead">
                      <strong>{names.get(a.athleteId) ?? 'Athlete'}</strong> · {RULE_TEXT[a.rule] ?? a.rule}{' '}
                      <span className={`badge ${a.severity === 'critical' ? 'danger' : 'warn'}`}>
                        {a.severity}
                      </span>
                    </td>
                    <td data-label="Started">{when(a.startedAt)}</td>
                    <td data-label="Value">{withUnit(a, a.value)}</td>
                    <td data-label="Threshold">{withUnit(a, a.threshold)}</td>
                    <td data-label="Cleared">
                      {a.clearedAt ? when(a.clearedAt) : <span className="badge danger">not cleared</span>}
                    </td>
                    <td data-label="Acknowledged" className="ack" data-testid="alert-ack">
                      {a.acknowledgedAt ? (
                        <span title={a.acknowledgedAt}>
                          {a.acknowledgedBy?.name ?? 'Someone'} · {when(a.acknowledgedAt)}
                        </span>
                      ) : (
                        <button
                          type="button"
                          className="btn sm"
                          disabled={busy === a.id}
                          onClick={() => void ack(a.id)}
                        >
                          Acknowledge
                        </button>
                      )}
                    </td>
                    <td data-label="Session">
                      {a.sessionId ? (
                        filters.sessionId === a.sessionId ? (
                          <Link to={`/sessions/${a.sessionId}`}>Open session</Link>
                        ) : (
                          <button
                            type="button"
                            className="btn sm"
                            onClick={() => setFilter('sessionId', a.sessionId!)}
                          >
                            Only this session
                          </button>
                        )
                      ) : (
                        <span className="muted">none</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {pages.hasNextPage ? (
            <div className="row" style={{ justifyContent: 'center', marginTop: 12 }}>
              <button
                type="button"
                className="btn"
                disabled={pages.isFetchingNextPage}
                onClick={() => void pages.fetchNextPage()}
              >
                {pages.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            </div>
          ) : null}
        </Card>
      )}
    </main>
  );
}

/** One labelled drop-down of the filter bar; '' means no filter. */
function FilterSelect({
  label,
  testId,
  value,
  onChange,
  options,
}: {
  label: string;
  testId: string;
  value: string | undefined;
  onChange: (value: string) => void;
  options: ReadonlyArray<readonly [string, string]>;
}) {
  return (
    <label>
      <span className="small muted">{label}</span>
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A loaded row with what the socket has learned since (cleared, acknowledged by whom). */
function mergeKnown(a: Alert, live: Alert | undefined): Alert {
  if (!live) return a;
  return {
    ...a,
    clearedAt: a.clearedAt ?? live.clearedAt ?? null,
    acknowledgedAt: a.acknowledgedAt ?? live.acknowledgedAt ?? null,
    acknowledgedBy: a.acknowledgedBy ?? live.acknowledgedBy ?? null,
  };
}
