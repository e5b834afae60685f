import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { readCookie } from '../../api/client.ts';
import { paths } from '../../api/queries.ts';
import type { TrainingSession } from '../../api/types.ts';
import { Card, Field, Notice } from '../../components/ui.tsx';

interface Upload {
  id: number;
  name: string;
  progress: number;
  state: 'uploading' | 'processing' | 'done' | 'failed';
  session?: TrainingSession;
  error?: string;
}

/** XHR rather than fetch: it reports upload progress. */
function upload(file: File, onProgress: (p: number) => void): Promise<{ session: TrainingSession }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', paths.imports);
    xhr.withCredentials = true;
    const csrf = readCookie('ap_csrf');
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as { session: TrainingSession });
      else
        reject(
          new Error(
            (body as { error?: { message?: string } })?.error?.message ?? `Upload failed (${xhr.status})`,
          ),
        );
    };
    xhr.onerror = () => reject(new Error('The upload was interrupted.'));
    const form = new FormData();
    form.append('file', file);
    xhr.send(form);
  });
}

export function ImportSection() {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const qc = useQueryClient();
  const update = (i: number, patch: Partial<Upload>) =>
    setUploads((u) => u.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  const onFiles = async (files: FileList | null) => {
    if (!files) return;
    const start = uploads.length;
    const list = [...files];
    setUploads((u) => [
      ...u,
      ...list.map((f, k) => ({ id: start + k, name: f.name, progress: 0, state: 'uploading' as const })),
    ]);
    for (const [k, f] of list.entries()) {
      const i = start + k;
      try {
        const res = await upload(f, (p) =>
          update(i, { progress: p, state: p >= 1 ? 'processing' : 'uploading' }),
        );
        update(i, { state: 'done', progress: 1, session: res.session });
      } catch (err) {
        update(i, { state: 'failed', error: (err as Error).message });
      }
    }
    void qc.invalidateQueries({ queryKey: ['sessions'] });
  };
  return (
    <Card title="Import activity files" id="import">
      <div className="stack">
        <Field
          label="FIT, GPX or TCX files"
          htmlFor="import-files"
          help="Each file becomes a session; importing the same file twice is ignored."
        >
          <input
            id="import-files"
            type="file"
            multiple
            accept=".fit,.gpx,.tcx"
            onChange={(e) => void onFiles(e.target.files)}
            style={{ paddingTop: 8 }}
          />
        </Field>
        {uploads.map((u) => (
          <div key={u.id} className="stack" style={{ gap: 4 }}>
            <div className="row between small">
              <strong>{u.name}</strong>
              <span className="muted">
                {u.state === 'uploading'
                  ? `${Math.round(u.progress * 100)} %`
                  : u.state === 'processing'
                    ? 'processing…'
                    : u.state}
              </span>
            </div>
            <div
              className="progress"
              role="progressbar"
              aria-label={`Upload of ${u.name}`}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round(u.progress * 100)}
            >
              <span
                style={{
                  width: `${u.progress * 100}%`,
                  background: u.state === 'failed' ? 'var(--danger)' : undefined,
                }}
              />
            </div>
            {u.error ? <Notice kind="error">{u.error}</Notice> : null}
            {u.session ? <Link to={`/sessions/${u.session.id}`}>Open imported session</Link> : null}
          </div>
        ))}
      </div>
    </Card>
  );
}
