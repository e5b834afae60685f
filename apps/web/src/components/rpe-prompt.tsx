import { useState } from 'react';
import { errorMessage } from '../api/client.ts';
import { useRateSession, useSessionRpe } from '../api/coach-queries.ts';
import { Card, Notice } from './ui.tsx';

const CR10 = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/** Borg CR-10 anchors shown under the scale. */
const ANCHORS: Record<number, string> = {
  0: 'rest',
  1: 'very easy',
  3: 'moderate',
  5: 'hard',
  7: 'very hard',
  10: 'maximal',
};

/**
 * After a session: "how hard was it?" on the CR-10 scale for its athlete; everyone who may see
 * the session sees the rating and its sRPE load (RPE × minutes).
 */
export function RpePrompt({
  sessionId,
  athleteId,
  own,
}: {
  sessionId: string;
  athleteId: string;
  own: boolean;
}) {
  const rpe = useSessionRpe(sessionId);
  const rate = useRateSession(sessionId, athleteId);
  const [changing, setChanging] = useState(false);
  if (rpe.isPending) return null;
  const current = rpe.data ?? null;
  if (!own && !current) return null;
  return (
    <Card id="session-rpe" title="Session RPE">
      {current && !changing ? (
        <p data-testid="rpe-value">
          RPE <strong>{current.rpe}</strong> / 10 × {current.durationMin} min = sRPE load{' '}
          <strong>{Math.round(current.load)}</strong> (Foster).{' '}
          {own ? (
            <button type="button" className="btn small" onClick={() => setChanging(true)}>
              Change
            </button>
          ) : null}
        </p>
      ) : (
        <div className="stack">
          <p>How hard was this session overall? (0 = rest, 10 = maximal)</p>
          <fieldset
            className="row"
            style={{ border: 0, padding: 0, margin: 0 }}
            aria-label="Rate perceived exertion 0 to 10"
          >
            {CR10.map((v) => (
              <button
                key={v}
                type="button"
                className="btn"
                title={ANCHORS[v]}
                aria-label={`RPE ${v}${ANCHORS[v] ? ` (${ANCHORS[v]})` : ''}`}
                disabled={rate.isPending}
                onClick={() => rate.mutate(v, { onSuccess: () => setChanging(false) })}
              >
                {v}
              </button>
            ))}
          </fieldset>
          {rate.error ? <Notice kind="error">{errorMessage(rate.error)}</Notice> : null}
        </div>
      )}
    </Card>
  );
}
