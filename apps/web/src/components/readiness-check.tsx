/**
 * The morning readiness check: 2–5 minutes at rest with a Bluetooth strap, its RR intervals sent
 * to the API, which cleans and measures them (core evaluateReadinessCheck) and stores the day's
 * reading, or refuses it with the reason. The simulator can take one in the demo.
 */
import type { ReadinessCheck } from '@athlete/contracts';
import { mulberry32, READINESS_MIN_DURATION_S, restingRr } from '@athlete/core';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useRecordReadinessCheck } from '../api/analytics-queries.ts';
import { ApiError, errorMessage } from '../api/client.ts';
import { connectHeartRateStrap, type StrapConnection } from '../lib/bluetooth.ts';
import { formatDuration, formatNumber, formatPercent } from '../lib/format.ts';
import { Card, Notice, Stat } from './ui.tsx';

/** The check ends by itself after this much recorded RR time. */
const TARGET_S = 180;

function CheckResult({ check }: { check: ReadinessCheck }) {
  const accepted = check.status === 'accepted';
  return (
    <div data-testid="readiness-result" className="stack">
      <Notice
        kind={accepted ? 'ok' : 'error'}
        title={accepted ? `Reading saved for ${check.date}` : 'Reading refused'}
      >
        {accepted
          ? `Quality ${check.quality}: ${check.artefacts} of ${check.beats} beats removed as artefacts.`
          : `${check.reason ?? 'Too many artefacts'}. It is kept as refused and not used. Sit still, wet the strap's electrodes and try again.`}
      </Notice>
      <div className="stat-grid">
        <Stat
          label="lnRMSSD"
          value={formatNumber(check.lnRmssd, 2)}
          hint={`RMSSD ${formatNumber(check.rmssdMs, 0, 'ms')}`}
        />
        <Stat label="Resting HR" value={formatNumber(check.restingHr, 0, 'bpm')} />
        <Stat label="Artefacts" value={formatPercent(check.artefactRate, 1)} hint={`${check.beats} beats`} />
        <Stat label="Duration" value={formatDuration(check.durationS)} />
      </div>
      {accepted ? (
        <p className="small muted">
          <Link to="/today">See today's readiness</Link> against your normal.
        </p>
      ) : null}
    </div>
  );
}

export function ReadinessCheckCard({
  athleteId,
  bluetooth,
  hrRest,
  simulator,
}: {
  athleteId: string;
  /** A strap can be paired now (Web Bluetooth here, and no session recording). */
  bluetooth: boolean;
  hrRest: number | null;
  /** The demo server: offer a simulated check. */
  simulator: boolean;
}) {
  const record = useRecordReadinessCheck(athleteId);
  const [phase, setPhase] = useState<'idle' | 'pairing' | 'measuring'>('idle');
  const [rrSeconds, setRrSeconds] = useState(0);
  const [beats, setBeats] = useState(0);
  const [result, setResult] = useState<ReadinessCheck | null>(null);
  const [error, setError] = useState<string | null>(null);
  const rr = useRef<number[]>([]);
  const conn = useRef<StrapConnection | null>(null);

  useEffect(() => () => conn.current?.disconnect(), []);

  const submit = (values: number[], source: 'strap' | 'simulator') => {
    setError(null);
    record.mutate(
      { rr: values, source, measuredAt: new Date().toISOString() },
      {
        onSuccess: setResult,
        onError: (err) => {
          // A refused reading comes back 422 with the stored check: show why.
          const stored =
            err instanceof ApiError
              ? (err.details as { check?: ReadinessCheck } | undefined)?.check
              : undefined;
          if (stored) setResult(stored);
          else setError(errorMessage(err));
        },
      },
    );
  };

  const finish = () => {
    conn.current?.disconnect();
    conn.current = null;
    setPhase('idle');
    submit(rr.current, 'strap');
  };

  const start = async () => {
    setError(null);
    setResult(null);
    rr.current = [];
    setRrSeconds(0);
    setBeats(0);
    setPhase('pairing');
    try {
      conn.current = await connectHeartRateStrap({
        onMeasurement: (m) => {
          if (!m.rrMs.length) return;
          rr.current.push(...m.rrMs.map((v) => Math.round(v)));
          const total = rr.current.reduce((a, b) => a + b, 0) / 1000;
          setRrSeconds(total);
          setBeats(rr.current.length);
          if (total >= TARGET_S) finish();
        },
        maxReconnects: 0,
        onStatus: (s, detail) => {
          if (s === 'disconnected' && conn.current) {
            setPhase('idle');
            setError(detail ?? 'The strap disconnected before the check was done.');
          }
        },
      });
      setPhase('measuring');
    } catch (err) {
      setPhase('idle');
      const e = err as Error;
      setError(e.name === 'NotFoundError' ? 'No strap was chosen.' : e.message);
    }
  };

  const simulate = () => {
    setResult(null);
    const rand = mulberry32(Date.now() >>> 0);
    submit(restingRr(rand, (hrRest ?? 55) + 2, 45 + 20 * rand(), TARGET_S), 'simulator');
  };

  return (
    <Card title="Readiness check" id="readiness-check">
      <p className="muted">
        Two to five minutes lying still with the strap on, ideally each morning before getting up. The RR
        intervals give your HRV (lnRMSSD) and resting HR for today, compared with your own normal on the Today
        page.
      </p>
      <div className="row" style={{ margin: '12px 0' }}>
        {phase === 'measuring' ? (
          <button
            type="button"
            className="btn primary"
            onClick={finish}
            disabled={rrSeconds < READINESS_MIN_DURATION_S}
            data-testid="readiness-finish"
          >
            {rrSeconds < READINESS_MIN_DURATION_S
              ? `Finish (after ${formatDuration(READINESS_MIN_DURATION_S)})`
              : 'Finish now'}
          </button>
        ) : (
          <button
            type="button"
            className="btn primary"
            onClick={start}
            disabled={!bluetooth || phase === 'pairing' || record.isPending}
            data-testid="readiness-start"
          >
            {phase === 'pairing' ? 'Pairing…' : 'Start a 3-minute check with the strap'}
          </button>
        )}
        {simulator ? (
          <button
            type="button"
            className="btn"
            onClick={simulate}
            disabled={phase !== 'idle' || record.isPending}
            data-testid="readiness-simulate"
          >
            Simulate a check (demo)
          </button>
        ) : null}
      </div>
      {phase === 'measuring' ? (
        <div className="stat-grid" data-testid="readiness-progress">
          <Stat label="Recorded" value={`${formatDuration(rrSeconds)} of ${formatDuration(TARGET_S)}`} />
          <Stat label="Beats" value={beats} />
        </div>
      ) : null}
      {record.isPending ? <p className="small muted">Measuring…</p> : null}
      {error ? <Notice kind="error">{error}</Notice> : null}
      {result ? <CheckResult check={result} /> : null}
    </Card>
  );
}
