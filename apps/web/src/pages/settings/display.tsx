import type { Me, Preferences } from '@athlete/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { call, errorMessage, fieldError } from '../../api/client.ts';
import { keys, useMe } from '../../api/queries.ts';
import { Card, Field, Notice } from '../../components/ui.tsx';

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Units and time zone: how every page shows distances, speeds, paces, weights and times. */
export function DisplaySection() {
  const me = useMe().data!;
  const qc = useQueryClient();
  const zones = useMemo(() => {
    const all = Intl.supportedValuesOf('timeZone');
    const current = me.preferences.timeZone;
    return current && !all.includes(current) ? [current, ...all] : all;
  }, [me.preferences.timeZone]);
  const save = useMutation({
    mutationFn: (body: Partial<Preferences>) => call('PUT /api/v1/me/preferences', { body }),
    onSuccess: (res) =>
      qc.setQueryData<Me>(keys.me, (old) => (old ? { ...old, preferences: res.preferences } : old)),
  });
  const { units, timeZone } = me.preferences;
  return (
    <Card title="Units and time" id="display-preferences">
      <div className="stack">
        <Field
          label="Units"
          htmlFor="pref-units"
          error={fieldError(save.error, 'units')}
          help="Distance, speed, pace (foot sports), elevation and weight everywhere in the app."
        >
          <select
            id="pref-units"
            value={units}
            disabled={save.isPending}
            onChange={(e) => save.mutate({ units: e.target.value as Preferences['units'] })}
          >
            <option value="metric">Metric: km, km/h, min/km, m, kg</option>
            <option value="imperial">Imperial: mi, mph, min/mi, ft, lb</option>
          </select>
        </Field>
        <Field
          label="Time zone"
          htmlFor="pref-time-zone"
          error={fieldError(save.error, 'timeZone')}
          help="Times of sessions, live charts, notes and alerts, and the times in your export, are shown in this zone. It also decides which day a session counts on (load, plans, a coach’s threshold for the day): the day it starts here; with the browser’s zone, the server counts UTC days."
        >
          <select
            id="pref-time-zone"
            value={timeZone ?? ''}
            disabled={save.isPending}
            onChange={(e) => save.mutate({ timeZone: e.target.value === '' ? null : e.target.value })}
          >
            <option value="">This browser’s zone ({browserZone()})</option>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z.replaceAll('_', ' ')}
              </option>
            ))}
          </select>
        </Field>
        {save.error && !fieldError(save.error, 'units') && !fieldError(save.error, 'timeZone') ? (
          <Notice kind="error">{errorMessage(save.error)}</Notice>
        ) : null}
      </div>
    </Card>
  );
}
