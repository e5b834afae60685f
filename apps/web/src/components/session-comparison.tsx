/**
 * A session's efficiency factor and aerobic decoupling against the athlete's last N sessions of
 * the same sport at a similar duration, from `GET /sessions/:id/comparison`.
 */
import type { SessionComparison } from '@athlete/contracts';
import { Link } from 'react-router';
import { useSessionComparison } from '../api/analytics-queries.ts';
import { formatDate, formatDuration, formatSource, formatSport } from '../lib/format.ts';
import '../styles/analytics.css';
import { Card, PageLoading, QueryError, Stat } from './ui.tsx';

const VERDICT_CLASS = { better: 'ok', usual: '', worse: 'warn' } as const;

function Verdict({ v, n, what }: { v: SessionComparison['ef']; n: number; what: string }) {
  if (v === null) return <span className="badge">no verdict</span>;
  return (
    <span className={`badge ${VERDICT_CLASS[v.verdict]}`} data-testid={`verdict-${what}`}>
      {v.verdict === 'usual' ? `usual for your last ${n}` : `${v.verdict} than your last ${n}`}
    </span>
  );
}

export function SessionComparisonPanel({ sessionId }: { sessionId: string }) {
  const query = useSessionComparison(sessionId);
  if (query.error) return <QueryError error={query.error} what="Comparison" />;
  if (query.isPending) return <PageLoading label="Comparing with earlier sessions…" />;
  const c = query.data;
  const e = c.efficiency;
  const r = c.rules;
  const tolerance = `±${Math.round(r.durationTolerance * 100)} %`;
  const output = c.basis === 'power' ? 'mean power (W)' : 'mean speed (m/min)';
  return (
    <Card id="session-comparison" title="Compared with your earlier sessions">
      {e === null ? (
        <p className="muted" data-testid="comparison-reason">
          {c.reason}
        </p>
      ) : (
        <>
          <div className="stat-grid">
            <Stat
              id="comparison-ef"
              label={`Efficiency factor (${c.unit})`}
              value={e.ef.toFixed(3)}
              hint={`${e.meanOutput.toFixed(c.basis === 'power' ? 0 : 1)} ${c.basis === 'power' ? 'W' : 'm/min'} ÷ ${e.meanHr.toFixed(0)} bpm`}
            />
            <Stat
              id="comparison-decoupling"
              label="Aerobic decoupling (Pa:HR)"
              value={e.decouplingPct === null ? '—' : `${e.decouplingPct.toFixed(1)} %`}
              hint={
                e.firstHalfEf !== null && e.secondHalfEf !== null
                  ? `EF ${e.firstHalfEf.toFixed(3)} first half, ${e.secondHalfEf.toFixed(3)} second`
                  : 'needs the session’s readings'
              }
            />
          </div>
          <p className="row">
            <span>EF</span> <Verdict v={c.ef} n={c.ef?.n ?? 0} what="ef" />
            {c.ef ? (
              <span className="small muted">
                usual {c.ef.lower.toFixed(3)}–{c.ef.upper.toFixed(3)}, median {c.ef.median.toFixed(3)}
              </span>
            ) : null}
          </p>
          <p className="row">
            <span>Decoupling</span> <Verdict v={c.decoupling} n={c.decoupling?.n ?? 0} what="decoupling" />
            {c.decoupling ? (
              <span className="small muted">
                usual {c.decoupling.lower.toFixed(1)}–{c.decoupling.upper.toFixed(1)} %, median{' '}
                {c.decoupling.median.toFixed(1)} %
              </span>
            ) : null}
          </p>
          {c.reason ? (
            <p className="muted small" data-testid="comparison-reason">
              {c.reason}
            </p>
          ) : null}
          {c.history.length ? (
            <details className="how" data-testid="comparison-history">
              <summary>
                The {c.history.length} {formatSport(c.sport).toLowerCase()} sessions compared against
              </summary>
              <ul className="small">
                {c.history.map((h) => (
                  <li key={h.id}>
                    <Link to={`/sessions/${h.id}`}>{h.name ?? formatDate(h.startedAt)}</Link> ·{' '}
                    {formatDate(h.startedAt)} · {formatDuration(h.durationS)} · {formatSource(h.source)}: EF{' '}
                    {h.efficiency.ef.toFixed(3)}
                    {h.efficiency.decouplingPct !== null
                      ? `, decoupling ${h.efficiency.decouplingPct.toFixed(1)} %`
                      : ' (from its summary)'}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </>
      )}
      <details className="how">
        <summary>How this is worked out</summary>
        <div className="how-body">
          <p>
            Efficiency factor (EF) = {output} ÷ mean heart rate, over the readings with both (stops and
            coasting left out): power when the session has it, else speed for running, walking and hiking. A
            session known only by its summary uses average speed ÷ average HR. Aerobic decoupling = (EF of the
            first half − EF of the second half) ÷ EF of the first half × 100: how far heart rate drifted up
            against output; under 5 % is usually read as aerobically fit for that effort.
          </p>
          <p>
            It is compared with your last {r.lastN} sessions of the same sport within {tolerance} of this
            one's duration that started before it (the same activity from two sources counted once). Better or
            worse means outside their median ± {r.k} × 1.4826 × the median absolute deviation (about one
            standard deviation): a higher EF is better, a lower decoupling is better. No verdict from fewer
            than {r.minHistory} sessions.
          </p>
        </div>
      </details>
    </Card>
  );
}
