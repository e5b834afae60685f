import { type ManualSessionBody, PLATFORM_SPORTS } from '@athlete/contracts';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { errorMessage, fieldError } from '../api/client.ts';
import { useCreateManualSession } from '../api/queries.ts';
import {
  distanceToMeters,
  formatSport,
  parseZonedInput,
  unitLabels,
  zonedInputValue,
} from '../lib/format.ts';
import { Field, Notice } from './ui.tsx';

/** Date-time for a datetime-local input ("2026-12-03T07:30") in the person's time zone. */
export const localInputValue = zonedInputValue;

/**
 * A session without a file: sport, start, duration, distance, RPE, note and an optional name.
 * Its RPE × minutes is its load (sRPE); the API checks every field and says what is wrong.
 */
export function ManualSessionForm({ onDone }: { onDone: () => void }) {
  const create = useCreateManualSession();
  const navigate = useNavigate();
  const [sport, setSport] = useState<string>('running');
  const [start, setStart] = useState(() => localInputValue(Date.now() - 3_600_000));
  const [minutes, setMinutes] = useState('45');
  const [km, setKm] = useState('');
  const [rpe, setRpe] = useState('');
  const [name, setName] = useState('');
  const [note, setNote] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const startMs = parseZonedInput(start);
    const body: ManualSessionBody = {
      sport,
      // An unreadable date goes to the API as typed so its answer names the field.
      startedAt: Number.isNaN(startMs) ? start : new Date(startMs).toISOString(),
      durationS: Math.round(Number(minutes) * 60),
      ...(km.trim() === '' ? {} : { distanceM: distanceToMeters(Number(km)) }),
      ...(rpe === '' ? {} : { rpe: Number(rpe) }),
      ...(name.trim() === '' ? {} : { name: name.trim() }),
      ...(note.trim() === '' ? {} : { note: note.trim() }),
    };
    create.mutate(body, {
      onSuccess: ({ session }) => {
        onDone();
        void navigate(`/sessions/${session.id}`);
      },
    });
  };
  const err = (field: string) => fieldError(create.error, field);

  return (
    <form
      className="stack"
      onSubmit={submit}
      aria-label="Add a session by hand"
      data-testid="manual-session-form"
    >
      <div className="grid cols-2">
        <Field label="Sport" htmlFor="manual-sport" error={err('sport')}>
          <select id="manual-sport" value={sport} onChange={(e) => setSport(e.target.value)}>
            {PLATFORM_SPORTS.map((s) => (
              <option key={s} value={s}>
                {formatSport(s)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Name" htmlFor="manual-name" error={err('name')} help="Optional, e.g. Gym: legs">
          <input id="manual-name" value={name} maxLength={120} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="Start" htmlFor="manual-start" error={err('startedAt')}>
          <input
            id="manual-start"
            type="datetime-local"
            required
            value={start}
            onChange={(e) => setStart(e.target.value)}
          />
        </Field>
        <Field label="Duration (minutes)" htmlFor="manual-duration" error={err('durationS')}>
          <input
            id="manual-duration"
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
          htmlFor="manual-distance"
          error={err('distanceM')}
          help="Optional"
        >
          <input
            id="manual-distance"
            type="number"
            inputMode="decimal"
            min="0"
            step="any"
            value={km}
            onChange={(e) => setKm(e.target.value)}
          />
        </Field>
        <Field
          label="RPE (0–10)"
          htmlFor="manual-rpe"
          error={err('rpe')}
          help="How hard overall; RPE × minutes is its load"
        >
          <select id="manual-rpe" value={rpe} onChange={(e) => setRpe(e.target.value)}>
            <option value="">Not rated</option>
            {Array.from({ length: 21 }, (_, i) => i / 2).map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field label="Note" htmlFor="manual-note" error={err('note')} help="Optional">
        <textarea
          id="manual-note"
          rows={2}
          maxLength={2000}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </Field>
      {create.error && !['sport', 'name', 'startedAt', 'durationS', 'distanceM', 'rpe', 'note'].some(err) ? (
        <Notice kind="error">{errorMessage(create.error)}</Notice>
      ) : null}
      <div className="row">
        <button type="submit" className="btn primary" disabled={create.isPending}>
          {create.isPending ? 'Saving…' : 'Save session'}
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
