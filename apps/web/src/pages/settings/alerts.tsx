import { DEFAULT_THRESHOLDS } from '@athlete/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, api, errorMessage } from '../../api/client.ts';
import { keys, paths, useProfile } from '../../api/queries.ts';
import type { Profile } from '../../api/types.ts';
import { Card, Field, Notice, PageLoading, QueryError } from '../../components/ui.tsx';

const FIELDS = [
  {
    key: 'hrAbovePctMax',
    label: 'High HR (% of HR max)',
    scale: 100,
    help: 'Alert when HR stays above this share of HR max.',
  },
  { key: 'hrAboveSeconds', label: 'High HR for (s)', scale: 1, help: 'How long before the alert fires.' },
  { key: 'hrBelowBpm', label: 'Low HR (bpm)', scale: 1, help: 'During a session.' },
  { key: 'dropoutSeconds', label: 'Dropout after (s)', scale: 1, help: 'No samples for this long.' },
  { key: 'jumpBpm', label: 'Jump (bpm)', scale: 1, help: 'Change between consecutive samples.' },
] as const;

export function AlertsSection() {
  const profile = useProfile();
  const qc = useQueryClient();
  const [form, setForm] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    const t = profile.data?.thresholds ?? {};
    setForm(
      Object.fromEntries(
        FIELDS.map((f) => [f.key, t[f.key] != null ? String(Number(t[f.key]) * f.scale) : '']),
      ),
    );
  }, [profile.data]);
  const save = useMutation({
    mutationFn: (thresholds: Record<string, number | null>) =>
      api.put<{ profile: Profile }>(paths.profile, { thresholds }),
    onSuccess: (res) => {
      qc.setQueryData(keys.profile, res.profile);
      setSaved(true);
    },
  });
  if (profile.isPending) return <PageLoading />;
  if (profile.error) return <QueryError error={profile.error} what="Alert thresholds" />;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const out: Record<string, number | null> = {};
    for (const f of FIELDS) {
      const v = form[f.key]?.trim();
      if (v) out[f.key] = Number(v) / f.scale;
    }
    save.mutate(out);
  };
  const errs = save.error instanceof ApiError ? save.error.fieldErrors() : {};
  return (
    <form onSubmit={submit} className="stack lg" noValidate>
      <Card title="Alert thresholds" id="thresholds-card">
        <p className="small muted" style={{ marginBottom: 16 }}>
          Your personal overrides. Empty fields use the team default (shown as placeholder).
        </p>
        <div className="form-grid">
          {FIELDS.map((f) => {
            const def = DEFAULT_THRESHOLDS[f.key];
            return (
              <Field
                key={f.key}
                label={f.label}
                htmlFor={f.key}
                help={f.help}
                error={errs[`thresholds.${f.key}`] ?? errs[f.key]}
              >
                <input
                  id={f.key}
                  inputMode="decimal"
                  value={form[f.key] ?? ''}
                  placeholder={def == null ? 'off' : String(Number(def) * f.scale)}
                  onChange={(e) => setForm({ ...form, [f.key]: e.target.value })}
                />
              </Field>
            );
          })}
        </div>
      </Card>
      {save.error && Object.keys(errs).length === 0 ? (
        <Notice kind="error">{errorMessage(save.error)}</Notice>
      ) : null}
      {saved ? <Notice kind="ok">Thresholds saved. They apply from the next sample.</Notice> : null}
      <div className="row">
        <button className="btn primary" type="submit" disabled={save.isPending}>
          Save thresholds
        </button>
      </div>
    </form>
  );
}
