import type { ProfileSourcedField, ProfileUpdate } from '@athlete/contracts';
import { weightToKg } from '@athlete/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, call, errorMessage } from '../../api/client.ts';
import { keys, useProfile } from '../../api/queries.ts';
import type { Profile } from '../../api/types.ts';
import { Card, Field, Notice, PageLoading, QueryError } from '../../components/ui.tsx';
import { displayPreferences, unitLabels, weightValue } from '../../lib/format.ts';
import { fieldSentence } from '../../lib/messages.ts';
import { previewZones, zoneColorVar } from '../../lib/zones.ts';

type Form = {
  birthYear: string;
  sex: string;
  weightKg: string;
  hrMax: string;
  hrRest: string;
  zones: string[];
};
const toForm = (p: Profile | null | undefined): Form => ({
  birthYear: p?.birthYear?.toString() ?? '',
  sex: p?.sex ?? '',
  // Shown in the person's unit (kg or lb); stored in kg.
  weightKg:
    p?.weightKg == null
      ? ''
      : displayPreferences().units === 'metric'
        ? p.weightKg.toString()
        : String(Number(weightValue(p.weightKg).toFixed(1))),
  hrMax: p?.hrMax?.toString() ?? '',
  hrRest: p?.hrRest?.toString() ?? '',
  zones: p && !p.zonesDerived && p.hrZones.length === 5 ? p.hrZones.map(String) : ['', '', '', '', ''],
});
const PROVIDER_NAMES = { whoop: 'WHOOP', garmin: 'Garmin' } as const;
/** Where a shown value came from, while the field still shows the value a provider filled. */
const providerNote = (p: Profile | null | undefined, form: Form, field: ProfileSourcedField) => {
  const source = p?.sources[field];
  if (!p || source == null || source === 'user' || form[field] !== toForm(p)[field]) return undefined;
  return `From ${PROVIDER_NAMES[source]}: updated with it until you change it here.`;
};
const ZONE_KEYS = ['zone-1', 'zone-2', 'zone-3', 'zone-4', 'zone-5'] as const;
const numOrNull = (s: string) => (s.trim() === '' ? null : Number(s));
/** The weight to send in kg: the stored value itself while the field still shows it unchanged. */
const weightKgOf = (text: string, p: Profile | null | undefined): number | null => {
  if (p && text === toForm(p).weightKg) return p.weightKg;
  const v = numOrNull(text);
  return v === null || Number.isNaN(v) ? v : Math.round(weightToKg(v, displayPreferences().units) * 10) / 10;
};
const NUMBER_FIELDS = [
  ['birthYear', 'must be a year such as 1994'],
  ['weightKg', 'must be a number'],
  ['hrMax', 'must be a whole number'],
  ['hrRest', 'must be a whole number'],
] as const;

/**
 * What the form can tell before sending: text where a number goes (it would be sent as "clear
 * this field"), and zone tops given for some zones but not all (the API takes five or none).
 */
function checkForm(form: Form): Record<string, string> {
  const errs: Record<string, string> = {};
  for (const [k, message] of NUMBER_FIELDS) if (Number.isNaN(numOrNull(form[k]))) errs[k] = message;
  const filled = form.zones.filter((z) => z.trim() !== '').length;
  form.zones.forEach((z, i) => {
    if (z.trim() !== '' && !Number.isInteger(Number(z)))
      errs[`hrZones.${i}`] = 'must be a whole number of bpm';
  });
  if (filled > 0 && filled < 5)
    errs.hrZones = `Only ${filled} of the 5 zone tops are filled in. Fill in all five, or clear them all to derive the zones from HR max.`;
  return errs;
}

export function ProfileSection() {
  const profile = useProfile();
  const qc = useQueryClient();
  const [form, setForm] = useState<Form>(toForm(null));
  const [saved, setSaved] = useState(false);
  const [formErrors, setFormErrors] = useState<Record<string, string>>({});
  useEffect(() => {
    if (profile.data !== undefined) setForm(toForm(profile.data));
  }, [profile.data]);
  const save = useMutation({
    mutationFn: (body: ProfileUpdate) => call('PUT /api/v1/me/profile', { body }),
    onSuccess: (res) => {
      qc.setQueryData(keys.profile, res.profile);
      setSaved(true);
    },
  });
  if (profile.isPending) return <PageLoading />;
  if (profile.error) return <QueryError error={profile.error} what="Profile" />;

  const customZones = form.zones.every((z) => z.trim() !== '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const found = checkForm(form);
    setFormErrors(found);
    if (Object.keys(found).length) return;
    save.mutate({
      birthYear: numOrNull(form.birthYear),
      sex: (form.sex || null) as Profile['sex'],
      weightKg: weightKgOf(form.weightKg, profile.data),
      hrMax: numOrNull(form.hrMax),
      hrRest: numOrNull(form.hrRest),
      hrZones: customZones ? form.zones.map(Number) : null,
    });
  };
  const serverErrs = save.error instanceof ApiError ? save.error.fieldErrors() : {};
  const errs = Object.keys(formErrors).length ? formErrors : serverErrs;
  const shownHere = (k: string) => /^(birthYear|sex|weightKg|hrMax|hrRest|hrZones(\.\d)?)$/.test(k);
  // The zones the server will apply on save (core's athleteZones, as the API returns them).
  const preview = previewZones({
    birthYear: numOrNull(form.birthYear),
    hrMax: numOrNull(form.hrMax),
    hrRest: numOrNull(form.hrRest),
    hrZones: customZones ? form.zones.map(Number) : null,
  });
  const note = (field: ProfileSourcedField) => providerNote(profile.data, form, field);
  const set = (k: keyof Omit<Form, 'zones'>) => (e: { target: { value: string } }) =>
    setForm({ ...form, [k]: e.target.value });
  return (
    <form onSubmit={submit} className="stack lg" noValidate>
      <Card title="Profile" id="profile-card">
        <div className="form-grid">
          <Field label="Birth year" htmlFor="birthYear" error={errs.birthYear} help={note('birthYear')}>
            <input id="birthYear" inputMode="numeric" value={form.birthYear} onChange={set('birthYear')} />
          </Field>
          <Field label="Sex" htmlFor="sex" error={errs.sex} help={note('sex') ?? 'Used for TRIMP weighting.'}>
            <select id="sex" value={form.sex} onChange={set('sex')}>
              <option value="">Not set</option>
              <option value="female">Female</option>
              <option value="male">Male</option>
              <option value="other">Other</option>
            </select>
          </Field>
          <Field
            label={`Weight (${unitLabels().weight})`}
            htmlFor="weightKg"
            error={errs.weightKg}
            help={note('weightKg')}
          >
            <input id="weightKg" inputMode="decimal" value={form.weightKg} onChange={set('weightKg')} />
          </Field>
          <Field
            label="HR max (bpm)"
            htmlFor="hrMax"
            error={errs.hrMax}
            help={note('hrMax') ?? 'Leave empty to estimate from age.'}
          >
            <input id="hrMax" inputMode="numeric" value={form.hrMax} onChange={set('hrMax')} />
          </Field>
          <Field
            label="Resting HR (bpm)"
            htmlFor="hrRest"
            error={errs.hrRest}
            help={note('hrRest') ?? 'Enables HR-reserve zones.'}
          >
            <input id="hrRest" inputMode="numeric" value={form.hrRest} onChange={set('hrRest')} />
          </Field>
        </div>
      </Card>
      <Card title="Heart-rate zones" id="zones-card">
        <p className="small muted" style={{ marginBottom: 12 }}>
          Upper bound of each zone in bpm. Leave all empty to derive zones from HR max
          {form.hrRest ? ' and resting HR' : ''}.
        </p>
        <div className="form-grid" style={{ gridTemplateColumns: 'repeat(auto-fit, minmax(120px, 1fr))' }}>
          {form.zones.map((z, i) => (
            <Field
              key={ZONE_KEYS[i]}
              label={`Zone ${i + 1} top`}
              htmlFor={`zone-${i + 1}`}
              error={errs[`hrZones.${i}`]}
            >
              <input
                id={`zone-${i + 1}`}
                inputMode="numeric"
                value={z}
                placeholder={preview.zones[i]?.max.toString() ?? ''}
                style={{ borderLeft: `4px solid ${zoneColorVar(i + 1)}` }}
                onChange={(e) =>
                  setForm({ ...form, zones: form.zones.map((v, j) => (j === i ? e.target.value : v)) })
                }
              />
            </Field>
          ))}
        </div>
        {errs.hrZones ? (
          <p className="error small" data-testid="zones-error">
            {fieldSentence('The zone tops', errs.hrZones)}
          </p>
        ) : null}
        <p className="small muted" style={{ marginTop: 12 }} data-testid="zones-preview">
          {preview.zones.map((z) => `Z${z.zone} ${z.name} ${z.min}–${z.max}`).join(' · ')}
          {preview.hrMaxSource === 'estimated' ? ' (HR max estimated from age)' : ''}
          {preview.hrMaxSource === 'default'
            ? ` (HR max assumed ${preview.hrMax}: add yours or a birth year)`
            : ''}
        </p>
      </Card>
      {Object.keys(errs).some(shownHere) ? (
        <Notice kind="error">Nothing was saved: check the field marked above.</Notice>
      ) : save.error ? (
        <Notice kind="error">{errorMessage(save.error)}</Notice>
      ) : null}
      {saved ? <Notice kind="ok">Profile saved.</Notice> : null}
      <div className="row">
        <button className="btn primary" type="submit" disabled={save.isPending}>
          Save profile
        </button>
      </div>
    </form>
  );
}
