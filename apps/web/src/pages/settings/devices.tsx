import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { call, errorMessage, fieldError } from '../../api/client.ts';
import { keys, useDevices } from '../../api/queries.ts';
import type { Device } from '../../api/types.ts';
import { Card, Empty, Field, Notice, PageLoading, QueryError } from '../../components/ui.tsx';
import { formatAgo, formatDate } from '../../lib/format.ts';

export function DevicesSection() {
  const devices = useDevices();
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [shown, setShown] = useState<{ device: Device; key: string } | null>(null);
  const create = useMutation({
    mutationFn: (n: string) => call('POST /api/v1/devices', { body: { name: n } }),
    onSuccess: (res) => {
      setShown(res);
      setName('');
      void qc.invalidateQueries({ queryKey: keys.devices });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => call('DELETE /api/v1/devices/:id', { params: { id } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.devices }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) create.mutate(name.trim());
  };
  const now = Date.now();
  return (
    <div className="stack lg">
      <Card title="Create an ingest key" id="create-key">
        <p className="small muted" style={{ marginBottom: 12 }}>
          For a phone app, a gateway or a script that streams to <code>/ws/ingest</code> or{' '}
          <code>POST /api/v1/ingest</code> with <code>Authorization: Bearer &lt;key&gt;</code>.
        </p>
        <form className="row" onSubmit={submit} style={{ alignItems: 'flex-end' }}>
          <div style={{ flex: 1, minWidth: 220 }}>
            <Field label="Device name" htmlFor="device-name" error={fieldError(create.error, 'name')}>
              <input
                id="device-name"
                value={name}
                onChange={(e) => setName(e.target.value)}
                placeholder="e.g. Polar H10 via phone"
              />
            </Field>
          </div>
          <button className="btn primary" type="submit" disabled={create.isPending || !name.trim()}>
            Create key
          </button>
        </form>
        {create.error && !fieldError(create.error, 'name') ? (
          <Notice kind="error">{errorMessage(create.error)}</Notice>
        ) : null}
        {shown ? (
          <div className="stack" style={{ marginTop: 16 }}>
            <Notice kind="warn" title="Copy this key now">
              It is shown once. Only a hash is stored; if you lose it, revoke it and create another.
            </Notice>
            <div className="code-box" data-testid="new-key">
              {shown.key}
            </div>
            <div className="row">
              <button
                type="button"
                className="btn sm"
                onClick={() => navigator.clipboard?.writeText(shown.key)}
              >
                Copy key
              </button>
              <button type="button" className="btn sm ghost" onClick={() => setShown(null)}>
                I have saved it
              </button>
            </div>
          </div>
        ) : null}
      </Card>
      <Card title="Devices" id="device-list">
        {devices.error ? (
          <QueryError error={devices.error} what="Devices" />
        ) : devices.isPending ? (
          <PageLoading />
        ) : devices.data.length === 0 ? (
          <Empty title="No devices yet" />
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Key</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Last used</th>
                  <th scope="col" className="right">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {devices.data.map((d) => (
                  <tr key={d.id}>
                    <td>
                      <strong>{d.name}</strong>
                      <div className="muted xs">created {formatDate(d.createdAt)}</div>
                    </td>
                    <td>
                      <code>{d.keyPrefix}…</code>
                    </td>
                    <td style={{ textTransform: 'capitalize' }}>{d.kind}</td>
                    <td>{d.lastUsedAt ? formatAgo(Date.parse(d.lastUsedAt), now) : 'never'}</td>
                    <td className="right">
                      {d.revokedAt ? (
                        <span className="badge">revoked</span>
                      ) : (
                        <button
                          type="button"
                          className="btn sm danger"
                          onClick={() =>
                            window.confirm(`Revoke the key of ${d.name}? Streams using it stop at once.`) &&
                            revoke.mutate(d.id)
                          }
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {revoke.error ? <Notice kind="error">{errorMessage(revoke.error)}</Notice> : null}
      </Card>
    </div>
  );
}
