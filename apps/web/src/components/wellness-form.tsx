import type { WellnessAnswers } from '@athlete/contracts';
import { type FormEvent, useState } from 'react';
import { errorMessage } from '../api/client.ts';
import { useSaveWellness, useWellness } from '../api/coach-queries.ts';
import { Card, Notice } from './ui.tsx';

type Question = keyof Omit<WellnessAnswers, 'note'>;

/** The five questions, each 1–5 with 5 the good end, so the mean reads "higher is better". */
const QUESTIONS: Array<{ key: Question; label: string; low: string; high: string }> = [
  { key: 'sleepQuality', label: 'Sleep quality', low: 'very poor', high: 'excellent' },
  { key: 'fatigue', label: 'Fatigue', low: 'exhausted', high: 'fresh' },
  { key: 'soreness', label: 'Muscle soreness', low: 'very sore', high: 'none' },
  { key: 'stress', label: 'Stress', low: 'very stressed', high: 'relaxed' },
  { key: 'mood', label: 'Mood', low: 'very low', high: 'great' },
];

/**
 * The athlete's one-minute morning form on the dashboard: a reminder while today's answers are
 * missing, a one-line summary once they are in (tap to change).
 */
export function WellnessForm({ athleteId }: { athleteId: string }) {
  const list = useWellness(athleteId);
  const save = useSaveWellness(athleteId);
  const [editing, setEditing] = useState(false);
  const [answers, setAnswers] = useState<Partial<Record<Question, number>>>({});
  const [note, setNote] = useState('');
  const today = list.data?.today;
  const entry = list.data?.entries.find((e) => e.date === today?.date);
  if (!today) return null;

  const complete = QUESTIONS.every((q) => answers[q.key] != null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!complete) return;
    save.mutate(
      { date: today.date, answers: { ...(answers as Record<Question, number>), note: note.trim() || null } },
      { onSuccess: () => setEditing(false) },
    );
  };

  if (entry && !editing) {
    return (
      <Card id="wellness-form" title="Morning check-in">
        <p data-testid="wellness-done">
          Today's answers are in: score <strong>{entry.score.toFixed(1)}</strong> / 5 (mean of five answers, 5
          = best).{' '}
          <button
            type="button"
            className="btn small"
            onClick={() => {
              setAnswers(Object.fromEntries(QUESTIONS.map((q) => [q.key, entry[q.key]])));
              setNote(entry.note ?? '');
              setEditing(true);
            }}
          >
            Change
          </button>
        </p>
      </Card>
    );
  }

  return (
    <Card id="wellness-form" title="Morning check-in">
      {!entry ? (
        <Notice kind="warn" title="Today's wellness form is missing">
          One minute: how did you sleep and how do you feel? Your coach sees the answers.
        </Notice>
      ) : null}
      <form className="stack" onSubmit={submit} aria-label="Wellness form">
        {QUESTIONS.map((q) => (
          <fieldset key={q.key} className="rating">
            <legend>{q.label}</legend>
            <div className="rating-scale">
              <span className="rating-low small muted">{q.low}</span>
              {[1, 2, 3, 4, 5].map((v) => (
                <label key={v} className="rating-option">
                  <input
                    type="radio"
                    name={q.key}
                    value={v}
                    checked={answers[q.key] === v}
                    onChange={() => setAnswers((a) => ({ ...a, [q.key]: v }))}
                    aria-label={`${q.label} ${v}`}
                  />
                  {v}
                </label>
              ))}
              <span className="rating-high small muted">{q.high}</span>
            </div>
          </fieldset>
        ))}
        <label className="stack" style={{ gap: 4 }}>
          <span>Note (optional)</span>
          <input value={note} maxLength={1000} onChange={(e) => setNote(e.target.value)} name="note" />
        </label>
        <div className="row">
          <button className="btn primary" type="submit" disabled={!complete || save.isPending}>
            Save check-in
          </button>
        </div>
        {save.error ? <Notice kind="error">{errorMessage(save.error)}</Notice> : null}
      </form>
    </Card>
  );
}
