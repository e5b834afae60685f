import { DEFAULT_THRESHOLDS, mergeTeamDefaults, type Thresholds } from '@athlete/core';
import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, call, errorMessage } from '../../api/client.ts';
import { keys, teamAlertDefaultsQuery, useProfile, useTeams } from '../../api/queries.ts';
import {
  formToThresholds,
  ThresholdFields,
  type ThresholdForm,
  thresholdsToForm,
} from '../../components/threshold-fields.tsx';
import { Card, Notice, PageLoading, QueryError } from '../../components/ui.tsx';

export function AlertsSection() {
  const profile = useProfile();
  const teams = useTeams();
  // What an empty field falls back to: the teams' defaults (merged as the live engine merges
  // them), over the server's thresholds.
  const teamDefaults = useQueries({
    queries: (teams.data ?? [])
      .filter((t) => t.myRole === 'athlete')
      .map((t) => teamAlertDefaultsQuery(t.id)),
  })
    .map((q) => q.data)
    .filter((d) => d !== undefined);
  const fallback = {
    ...(teamDefaults[0]?.server ?? DEFAULT_THRESHOLDS),
    ...mergeTeamDefaults(teamDefaults.map((d) => d.thresholds as Partial<Thresholds>)),
  };
  const qc = useQueryClient();
  const [form, setForm] = useState<ThresholdForm>({});
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    setForm(thresholdsToForm(profile.data?.thresholds));
  }, [profile.data]);
  const save = useMutation({
    mutationFn: (thresholds: Record<string, number | null>) =>
      call('PUT /api/v1/me/profile', { body: { thresholds } }),
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
    save.mutate(formToThresholds(form));
  };
  const errs = save.error instanceof ApiError ? save.error.fieldErrors() : {};
  return (
    <form onSubmit={submit} className="stack lg" noValidate>
      <Card title="Alert thresholds" id="thresholds-card">
        <p className="small muted" style={{ marginBottom: 16 }}>
          Your personal overrides. An empty field uses your team's default, else the server's (shown greyed).
        </p>
        <ThresholdFields form={form} onChange={setForm} fallback={fallback} errors={errs} />
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
