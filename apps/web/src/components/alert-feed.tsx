import { useState } from 'react';
import { call, errorMessage } from '../api/client.ts';
import { formatAgo } from '../lib/format.ts';
import { useStoreVersion } from '../live/hooks.ts';
import type { LiveStore } from '../live/store.ts';
import { useSharedNow } from '../live/ticker.ts';
import { Empty, Notice } from './ui.tsx';

/** Each alert rule in words, for the feed and the alert history. */
export const RULE_TEXT: Record<string, string> = {
  hr_high: 'High heart rate',
  hr_low: 'Low heart rate',
  dropout: 'Signal dropout',
  hr_jump: 'Heart-rate jump',
};

/**
 * Where the feed sits below the tiles (phones, tablets), a link at the top of the page says how
 * many alerts are open and jumps to the feed.
 */
export function AlertJump({ store }: { store: LiveStore }) {
  useStoreVersion(store);
  const open = store.alertList().filter((a) => !a.acknowledgedAt).length;
  return (
    <a className={`btn sm alert-jump${open ? ' has-open' : ''}`} href="#alert-feed" data-testid="alert-jump">
      {open === 1 ? '1 open alert' : `${open} open alerts`} ↓
    </a>
  );
}

/** New alerts first; acknowledging one tells the server and updates every tile at once. */
export function AlertFeed({ store, names }: { store: LiveStore; names: ReadonlyMap<string, string> }) {
  useStoreVersion(store);
  const now = useSharedNow(5000);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const alerts = store.alertList().slice(0, 100);
  const ack = async (id: string) => {
    setBusy(id);
    setError(null);
    try {
      const res = await call('POST /api/v1/alerts/:id/ack', { params: { id } });
      store.setAlerts([res.alert]);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };
  const open = alerts.filter((a) => !a.acknowledgedAt).length;
  return (
    <section id="alert-feed" className="card tight" aria-labelledby="alerts-title" data-testid="alert-feed">
      <div className="card-header">
        <h2 id="alerts-title">Alerts</h2>
        <span className={`badge ${open ? 'danger' : ''}`} aria-live="polite">
          {open} open
        </span>
      </div>
      {error ? <Notice kind="error">{error}</Notice> : null}
      {alerts.length === 0 ? (
        <Empty title="All clear">Threshold alerts appear here as they happen.</Empty>
      ) : (
        <ul className="alert-feed" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-live="polite">
          {alerts.map((a) => (
            <li
              key={a.id}
              className={`alert-item ${a.severity}${a.acknowledgedAt ? ' acked' : ''}`}
              data-testid="alert-item"
              data-acknowledged={a.acknowledgedAt ? 'true' : 'false'}
            >
              <span className="bar" aria-hidden="true" />
              <div>
                <div className="title">
                  {names.get(a.athleteId) ?? 'Athlete'} · {RULE_TEXT[a.rule] ?? a.rule}
                </div>
                <div className="meta">
                  <span style={{ textTransform: 'uppercase', fontWeight: 700 }}>{a.severity}</span> ·{' '}
                  {a.message} · {formatAgo(Date.parse(a.startedAt), now)}
                  {a.clearedAt ? ' · cleared' : ''}
                </div>
              </div>
              {a.acknowledgedAt ? (
                <span className="badge ok" title={a.acknowledgedAt}>
                  {a.acknowledgedBy ? `Acknowledged by ${a.acknowledgedBy.name}` : 'Acknowledged'}
                </span>
              ) : (
                <button type="button" className="btn sm" disabled={busy === a.id} onClick={() => ack(a.id)}>
                  Acknowledge
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
