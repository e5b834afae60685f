import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, call, errorMessage } from '../api/client.ts';
import { keys, useTeamAlertDefaults } from '../api/queries.ts';
import {
  formToThresholds,
  ThresholdFields,
  type ThresholdForm,
  thresholdsToForm,
} from '../components/threshold-fields.tsx';
import { Card, Notice, QueryError } from '../components/ui.tsx';
import { formatDateTime } from '../lib/format.ts';

/** The coach sets the team's alert thresholds; athletes' own overrides still win. */
export function TeamAlertDefaultsCard({ teamId }: { teamId: string }) {
  const defaults = useTeamAlertDefaults(teamId);
  const qc = useQueryClient();
  const [form, setForm] = useState<ThresholdForm>({});
  const [saved, setSaved] = useState(false);
  useEffect(() => setForm(thresholdsToForm(defaults.data?.thresholds)), [defaults.data]);
  const save = useMutation({
    mutationFn: (thresholds: Record<string, number>) =>
      call('PUT /api/v1/teams/:teamId/alert-defaults', { params: { teamId }, body: { thresholds } }),
    onSuccess: (res) => {
      qc.setQueryData(keys.teamAlertDefaults(teamId), res.defaults);
      setSaved(true);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    save.mutate(formToThresholds(form));
  };
  const errs = save.error instanceof ApiError ? save.error.fieldErrors() : {};
  const d = defaults.data;
  return (
    <Card title="Alert defaults" id="alert-defaults">
      {defaults.error ? <QueryError error={defaults.error} what="Alert defaults" /> : null}
      <form onSubmit={submit} className="stack" noValidate>
        <p className="small muted">
          Live alerts for every athlete of this team use these, from their next sample. An empty field uses
          the server's value (shown greyed). An athlete's own thresholds win over the team's; an athlete in
          several teams gets the most cautious value any of them sets (the lowest high-HR limit, the highest
          low-HR floor, the shortest waits).
        </p>
        <ThresholdFields
          idPrefix="team-"
          form={form}
          onChange={setForm}
          fallback={d?.server ?? {}}
          errors={errs}
        />
        {save.error && Object.keys(errs).length === 0 ? (
          <Notice kind="error">{errorMessage(save.error)}</Notice>
        ) : null}
        {saved ? (
          <Notice kind="ok">Team alert defaults saved. They apply from each athlete's next sample.</Notice>
        ) : null}
        <div className="row">
          <button className="btn primary" type="submit" disabled={save.isPending || !d}>
            Save alert defaults
          </button>
          {d?.updatedAt ? (
            <span className="small muted">
              Last changed {formatDateTime(d.updatedAt)}
              {d.updatedBy ? ` by ${d.updatedBy.name}` : ''}
            </span>
          ) : null}
        </div>
      </form>
    </Card>
  );
}
