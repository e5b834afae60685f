import { PLATFORM_SPORTS, type Plan, type PlanBody, type Sport } from '@athlete/contracts';
import { type FormEvent, useState } from 'react';
import { ApiError, errorMessage } from '../api/client.ts';
import { useDeletePlan, useSavePlan } from '../api/plan-queries.ts';
import { formatSport } from '../lib/format.ts';
import { Field, Notice } from './ui.tsx';

interface Props {
  teamId: string;
  athletes: ReadonlyArray<{ id: string; name: string }>;
  /** The day and athlete the form starts with (the selected calendar cell). */
  date: string;
  athleteId: string | null;
  /** A plan to edit instead of a new one. */
  plan?: Plan;
  onDone: () => void;
}

const numberOrNull = (s: string) => (s.trim() === '' ? null : Number(s));

/** The coach's plan form: one athlete or the whole team, a day, sport, duration, target. */
export function PlanForm({ teamId, athletes, date, athleteId, plan, onDone }: Props) {
  const save = useSavePlan(teamId);
  const remove = useDeletePlan();
  const [form, setForm] = useState({
    athleteId: plan ? (plan.athleteId ?? '') : (athleteId ?? ''),
    date: plan?.date ?? date,
    sport: (plan?.sport ?? 'running') as Sport,
    durationMin: String(plan?.durationMin ?? 60),
    targetLoad: plan?.targetLoad != null ? String(plan.targetLoad) : '',
    targetZone: plan?.targetZone != null ? String(plan.targetZone) : '',
    description: plan?.description ?? '',
  });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));
  const fieldErrors = save.error instanceof ApiError ? save.error.fieldErrors() : {};

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: PlanBody = {
      athleteId: form.athleteId || null,
      date: form.date,
      sport: form.sport,
      durationMin: Number(form.durationMin),
      targetLoad: numberOrNull(form.targetLoad),
      targetZone: numberOrNull(form.targetZone),
      description: form.description.trim() || null,
    };
    save.mutate({ planId: plan?.id, body }, { onSuccess: onDone });
  };

  return (
    <form className="plan-form" onSubmit={submit} aria-label={plan ? 'Edit plan' : 'New plan'} noValidate>
      <Field label="For" htmlFor="plan-athlete" error={fieldErrors.athleteId}>
        <select id="plan-athlete" value={form.athleteId} onChange={set('athleteId')}>
          <option value="">Whole team</option>
          {athletes.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Date" htmlFor="plan-date" error={fieldErrors.date}>
        <input id="plan-date" type="date" value={form.date} onChange={set('date')} required />
      </Field>
      <Field label="Sport" htmlFor="plan-sport" error={fieldErrors.sport}>
        <select id="plan-sport" value={form.sport} onChange={set('sport')}>
          {PLATFORM_SPORTS.map((s) => (
            <option key={s} value={s}>
              {formatSport(s)}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Duration (min)" htmlFor="plan-duration" error={fieldErrors.durationMin}>
        <input
          id="plan-duration"
          type="number"
          inputMode="numeric"
          min={1}
          max={1440}
          value={form.durationMin}
          onChange={set('durationMin')}
        />
      </Field>
      <Field
        label="Target load (TRIMP)"
        htmlFor="plan-load"
        error={fieldErrors.targetLoad}
        help="Optional; compliance is load against it"
      >
        <input
          id="plan-load"
          type="number"
          inputMode="decimal"
          min={1}
          value={form.targetLoad}
          onChange={set('targetLoad')}
        />
      </Field>
      <Field label="Target zone" htmlFor="plan-zone" error={fieldErrors.targetZone}>
        <select id="plan-zone" value={form.targetZone} onChange={set('targetZone')}>
          <option value="">None</option>
          {[1, 2, 3, 4, 5].map((z) => (
            <option key={z} value={z}>
              Zone {z}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Description" htmlFor="plan-description" error={fieldErrors.description}>
        <textarea
          id="plan-description"
          rows={2}
          maxLength={2000}
          value={form.description}
          onChange={set('description')}
        />
      </Field>
      {save.error && Object.keys(fieldErrors).length === 0 ? (
        <Notice kind="error">{errorMessage(save.error)}</Notice>
      ) : null}
      {remove.error ? <Notice kind="error">{errorMessage(remove.error)}</Notice> : null}
      <div className="row">
        <button className="btn primary" type="submit" disabled={save.isPending}>
          {plan ? 'Save plan' : 'Add plan'}
        </button>
        <button className="btn ghost" type="button" onClick={onDone}>
          Cancel
        </button>
        {plan ? (
          <button
            className="btn danger"
            type="button"
            disabled={remove.isPending}
            onClick={() => remove.mutate(plan.id, { onSuccess: onDone })}
          >
            Delete
          </button>
        ) : null}
      </div>
    </form>
  );
}
