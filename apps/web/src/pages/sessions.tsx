import { PLATFORM_SPORTS } from '@athlete/contracts';
import { useState } from 'react';
import { useParams } from 'react-router';
import { useMe, useSessionPages } from '../api/queries.ts';
import { ManualSessionForm } from '../components/manual-session-form.tsx';
import { SessionTable } from '../components/session-table.tsx';
import { Card, QueryError } from '../components/ui.tsx';
import { formatSport, isoDay } from '../lib/format.ts';

const RANGES = [
  { id: '4w', label: '4 weeks', days: 28 },
  { id: '3m', label: '3 months', days: 91 },
  { id: '1y', label: 'Year', days: 365 },
  // Imported files can be years old.
  { id: 'all', label: 'All', days: null },
] as const;

export default function SessionsPage() {
  const me = useMe().data!;
  const { athleteId = me.id } = useParams();
  const own = athleteId === me.id;
  const [range, setRange] = useState<(typeof RANGES)[number]['id']>('3m');
  const [sport, setSport] = useState('');
  const [adding, setAdding] = useState(false);
  const days = RANGES.find((r) => r.id === range)!.days;
  const sessions = useSessionPages(athleteId, {
    ...(days === null ? {} : { from: isoDay(Date.now() - days * 86_400_000) }),
    ...(sport === '' ? {} : { sport }),
  });
  const list = sessions.data?.pages.flatMap((p) => p.sessions) ?? [];
  return (
    <main className="page" id="main">
      <div className="page-header">
        <div>
          <h1>Sessions</h1>
          <p className="subtitle">
            Live, simulated, imported, synced and hand-entered sessions, newest first.
          </p>
        </div>
        <div className="row">
          <label className="visually-hidden" htmlFor="session-sport">
            Sport
          </label>
          <select
            id="session-sport"
            style={{ width: 'auto' }}
            value={sport}
            onChange={(e) => setSport(e.target.value)}
          >
            <option value="">All sports</option>
            {PLATFORM_SPORTS.map((s) => (
              <option key={s} value={s}>
                {formatSport(s)}
              </option>
            ))}
          </select>
          <fieldset className="segmented">
            <legend className="visually-hidden">Period</legend>
            {RANGES.map((r) => (
              <button key={r.id} type="button" aria-pressed={range === r.id} onClick={() => setRange(r.id)}>
                {r.label}
              </button>
            ))}
          </fieldset>
          {own && !adding ? (
            <button type="button" className="btn primary" onClick={() => setAdding(true)}>
              Add a session
            </button>
          ) : null}
        </div>
      </div>
      {own && adding ? (
        <Card id="manual-session" title="Add a session by hand">
          <ManualSessionForm onDone={() => setAdding(false)} />
        </Card>
      ) : null}
      <Card>
        {sessions.error && !sessions.data ? (
          <QueryError error={sessions.error} what="Sessions" />
        ) : (
          <>
            <SessionTable sessions={list} loading={sessions.isPending} />
            {sessions.isFetchNextPageError ? (
              <QueryError error={sessions.error} what="More sessions" />
            ) : null}
            {sessions.hasNextPage ? (
              <div className="row" style={{ justifyContent: 'center', marginTop: 12 }}>
                <button
                  type="button"
                  className="btn"
                  disabled={sessions.isFetchingNextPage}
                  onClick={() => void sessions.fetchNextPage()}
                >
                  {sessions.isFetchingNextPage ? 'Loading…' : 'Load more'}
                </button>
              </div>
            ) : null}
          </>
        )}
      </Card>
    </main>
  );
}
