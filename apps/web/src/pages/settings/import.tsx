import type { BulkImport } from '@athlete/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { readCookie } from '../../api/client.ts';
import { paths } from '../../api/queries.ts';
import type { TrainingSession } from '../../api/types.ts';
import { BulkImportReport } from '../../components/bulk-import-report.tsx';
import { Card, Field, Notice } from '../../components/ui.tsx';
import { formatDistance, formatDuration } from '../../lib/format.ts';

interface Upload {
  id: number;
  name: string;
  progress: number;
  state: 'uploading' | 'processing' | 'done' | 'duplicate' | 'failed';
  session?: TrainingSession;
  /** A ZIP handed to the bulk import job: its report id. */
  bulkImportId?: string;
  /** A file imported before: the session it became. */
  existingSessionId?: string;
  error?: string;
}

class UploadError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly details: unknown,
  ) {
    super(message);
  }
}

/** XHR rather than fetch: it reports upload progress. */
function upload<T = { session: TrainingSession }>(
  file: File,
  onProgress: (p: number) => void,
  path: string = paths.imports,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
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
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(body as T);
        return;
      }
      const error = (body as { error?: { message?: string; details?: unknown } } | null)?.error;
      reject(new UploadError(error?.message ?? `Upload failed (${xhr.status})`, xhr.status, error?.details));
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
  const onFiles = async (list: File[]) => {
    if (!list.length) return;
    const start = uploads.length;
    setUploads((u) => [
      ...u,
      ...list.map((f, k) => ({ id: start + k, name: f.name, progress: 0, state: 'uploading' as const })),
    ]);
    for (const [k, f] of list.entries()) {
      const i = start + k;
      const onProgress = (p: number) =>
        update(i, { progress: p, state: p >= 1 ? 'processing' : 'uploading' });
      try {
        if (/\.zip$/i.test(f.name)) {
          const res = await upload<{ bulkImport: BulkImport }>(f, onProgress, paths.bulkImports);
          update(i, { state: 'done', progress: 1, bulkImportId: res.bulkImport.id });
          continue;
        }
        const res = await upload(f, onProgress);
        update(i, { state: 'done', progress: 1, session: res.session });
      } catch (err) {
        const existing = (err as UploadError).details as { sessionId?: unknown } | undefined;
        if (err instanceof UploadError && err.status === 409 && typeof existing?.sessionId === 'string')
          update(i, { state: 'duplicate', progress: 1, existingSessionId: existing.sessionId });
        else update(i, { state: 'failed', error: (err as Error).message });
      }
    }
    void qc.invalidateQueries({ queryKey: ['sessions'] });
  };
  return (
    <Card title="Import activity files" id="import">
      <div className="stack">
        <Field
          label="FIT, GPX or TCX files, or a ZIP of them"
          htmlFor="import-files"
          help="Each file becomes a session; importing the same file twice is ignored. A ZIP (a Strava bulk export too) is imported in the background."
        >
          <input
            id="import-files"
            type="file"
            multiple
            accept=".fit,.gpx,.tcx,.zip"
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              // Cleared so that choosing the same file again is another upload (the server says if it is a duplicate).
              e.target.value = '';
              void onFiles(files);
            }}
            style={{ paddingTop: 8 }}
          />
        </Field>
        {uploads.map((u) => (
          <div key={u.id} className="stack" style={{ gap: 4 }} data-testid="upload" data-state={u.state}>
            <div className="row between small">
              <strong>{u.name}</strong>
              <span className="muted">
                {u.state === 'uploading'
                  ? `${Math.round(u.progress * 100)} %`
                  : u.state === 'processing'
                    ? 'processing…'
                    : u.state === 'done'
                      ? u.bulkImportId
                        ? 'uploaded'
                        : 'imported'
                      : u.state === 'duplicate'
                        ? 'already imported'
                        : 'failed'}
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
                  background:
                    u.state === 'failed'
                      ? 'var(--danger)'
                      : u.state === 'done' || u.state === 'duplicate'
                        ? 'var(--ok)'
                        : undefined,
                }}
              />
            </div>
            {u.error ? <Notice kind="error">{u.error}</Notice> : null}
            {u.session ? (
              <span className="small">
                {u.session.sport ? `${u.session.sport} · ` : ''}
                {formatDuration(u.session.durationS)} · {formatDistance(u.session.distanceM)} ·{' '}
                <Link to={`/sessions/${u.session.id}`}>Open imported session</Link>
              </span>
            ) : null}
            {u.bulkImportId ? <BulkImportReport id={u.bulkImportId} /> : null}
            {u.existingSessionId ? (
              <span className="small">
                This file was imported before.{' '}
                <Link to={`/sessions/${u.existingSessionId}`}>Open that session</Link>
              </span>
            ) : null}
          </div>
        ))}
      </div>
    </Card>
  );
}
