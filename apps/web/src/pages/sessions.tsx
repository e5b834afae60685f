import { useState } from 'react';
import { useParams } from 'react-router';
import { useMe, useSessionPages } from '../api/queries.ts';
import { SessionTable } from '../components/session-table.tsx';
import { Card, QueryError } from '../components/ui.tsx';
import { isoDay } from '../lib/format.ts';

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
  const [range, setRange] = useState<(typeof RANGES)[number]['id']>('3m');
  const days = RANGES.find((r) => r.id === range)!.days;
  const sessions = useSessionPages(
    athleteId,
    days === null ? {} : { from: isoDay(Date.now() - days * 86_400_000) },
  );
  const list = sessions.data?.pages.flatMap((p) => p.sessions) ?? [];
  return (
    <main className="page" id="main">
      <div className="page-header">
        <div>
          <h1>Sessions</h1>
          <p className="subtitle">Live, simulated, imported and synced sessions, newest first.</p>
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
