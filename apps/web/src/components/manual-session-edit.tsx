import { type ManualSessionPatchBody, PLATFORM_SPORTS } from '@athlete/contracts';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { errorMessage, fieldError } from '../api/client.ts';
import { useDeleteManualSession, useUpdateManualSession } from '../api/queries.ts';
import type { TrainingSession } from '../api/types.ts';
import { distanceToMeters, distanceValue, formatSport, parseZonedInput, unitLabels } from '../lib/format.ts';
import { localInputValue } from './manual-session-form.tsx';
import { Field, Notice } from './ui.tsx';

const FIELDS = ['sport', 'startedAt', 'durationS', 'distanceM', 'avgHr', 'maxHr'];
/** An empty box clears the figure; anything else goes as typed so the API names what is wrong. */
const numberOrNull = (text: string, scale = 1) => (text.trim() === '' ? null : Number(text) * scale);

/**
 * Correct or delete a session the athlete entered by hand (recorded sessions keep the
 * device's figures). The name has its own control and the RPE its prompt; load follows both.
 */
export function ManualSessionEdit({ session }: { session: TrainingSession }) {
  const update = useUpdateManualSession(session.id);
  const remove = useDeleteManualSession(session.id);
  const navigate = useNavigate();
  const [mode, setMode] = useState<'idle' | 'editing' | 'confirm-delete'>('idle');
  const [sport, setSport] = useState(session.sport ?? 'other');
  const [start, setStart] = useState(() => localInputValue(Date.parse(session.startedAt)));
  const [minutes, setMinutes] = useState(String((session.durationS ?? 0) / 60));
  const [km, setKm] = useState(
    session.distanceM == null ? '' : String(Number(distanceValue(session.distanceM).toFixed(3))),
  );
  const [avgHr, setAvgHr] = useState(session.avgHr == null ? '' : String(session.avgHr));
  const [maxHr, setMaxHr] = useState(session.maxHr == null ? '' : String(session.maxHr));

  if (mode === 'idle') {
    return (
      <div className="row" data-testid="manual-session-controls">
        <button type="button" className="btn small" onClick={() => setMode('editing')}>
          Edit session
        </button>
        <button type="button" className="btn small" onClick={() => setMode('confirm-delete')}>
          Delete session
        </button>
      </div>
    );
  }
  if (mode === 'confirm-delete') {
    return (
      <section className="stack" aria-label="Delete the session" data-testid="manual-session-delete">
        <p className="small">
          Delete this session with its rating and notes? Its load leaves every day and chart it counted in.
        </p>
        <div className="row">
          <button
            type="button"
            className="btn small danger"
            disabled={remove.isPending}
            onClick={() => remove.mutate(undefined, { onSuccess: () => void navigate('/sessions') })}
          >
            {remove.isPending ? 'Deleting…' : 'Delete'}
          </button>
          <button type="button" className="btn small" onClick={() => setMode('idle')}>
            Keep it
          </button>
        </div>
        {remove.error ? <Notice kind="error">{errorMessage(remove.error)}</Notice> : null}
      </section>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const startMs = parseZonedInput(start);
    const body: ManualSessionPatchBody = {
      sport,
      startedAt: Number.isNaN(startMs) ? start : new Date(startMs).toISOString(),
      durationS: Math.round(Number(minutes) * 60),
      distanceM: km.trim() === '' ? null : distanceToMeters(Number(km)),
      avgHr: numberOrNull(avgHr),
      maxHr: numberOrNull(maxHr),
    };
    update.mutate(body, { onSuccess: () => setMode('idle') });
  };
  const err = (field: string) => fieldError(update.error, field);
  return (
    <form className="stack" onSubmit={submit} aria-label="Edit the session" data-testid="manual-session-edit">
      <div className="grid cols-2">
        <Field label="Sport" htmlFor="edit-sport" error={err('sport')}>
          <select id="edit-sport" value={sport} onChange={(e) => setSport(e.target.value)}>
            {PLATFORM_SPORTS.map((s) => (
              <option key={s} value={s}>
                {formatSport(s)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Start" htmlFor="edit-start" error={err('startedAt')}>
          <input
            id="edit-start"
            type="datetime-local"
            required
            value={start}
            onChange={(e) => setStart(e.target.value)}
          />
        </Field>
        <Field label="Duration (minutes)" htmlFor="edit-duration" error={err('durationS')}>
          <input
            id="edit-duration"
            type="number"
            inputMode="decimal"
            min="1"
            step="any"
            required
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
          />
        </Field>
        <Field
          label={`Distance (${unitLabels().distance})`}
          htmlFor="edit-distance"
          error={err('distanceM')}
          help="Empty: none"
        >
          <input
            id="edit-distance"
            type="number"
            inputMode="decimal"
            min="0"
            step="any"
            value={km}
            onChange={(e) => setKm(e.target.value)}
          />
        </Field>
        <Field
          label="Avg HR (bpm)"
          htmlFor="edit-avg-hr"
          error={err('avgHr')}
          help="With it, TRIMP counts the session"
        >
          <input
            id="edit-avg-hr"
            type="number"
            inputMode="numeric"
            value={avgHr}
            onChange={(e) => setAvgHr(e.target.value)}
          />
        </Field>
        <Field label="Max HR (bpm)" htmlFor="edit-max-hr" error={err('maxHr')} help="Optional">
          <input
            id="edit-max-hr"
            type="number"
            inputMode="numeric"
            value={maxHr}
            onChange={(e) => setMaxHr(e.target.value)}
          />
        </Field>
      </div>
      {update.error && !FIELDS.some(err) ? <Notice kind="error">{errorMessage(update.error)}</Notice> : null}
      <div className="row">
        <button type="submit" className="btn small primary" disabled={update.isPending}>
          {update.isPending ? 'Saving…' : 'Save changes'}
        </button>
        <button type="button" className="btn small" onClick={() => setMode('idle')}>
          Cancel
        </button>
      </div>
    </form>
  );
}
