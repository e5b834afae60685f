import { Link } from 'react-router';
import { errorMessage } from '../api/client.ts';
import { useBulkImport } from '../api/queries.ts';
import { Notice } from './ui.tsx';

const STATUS_WORDS = { imported: 'imported', duplicate: 'already there', failed: 'failed' } as const;

/** Progress and the per-file outcome of a ZIP imported in the background. */
export function BulkImportReport({ id }: { id: string }) {
  const report = useBulkImport(id);
  if (report.error) return <Notice kind="error">{errorMessage(report.error)}</Notice>;
  const r = report.data;
  if (!r) return <span className="small muted">Waiting for the import to start…</span>;
  const finished = r.status === 'succeeded' || r.status === 'failed';
  return (
    <div className="stack" style={{ gap: 4 }} data-testid="bulk-import" data-status={r.status}>
      <span className="small" aria-live="polite">
        {r.status === 'queued'
          ? 'Queued…'
          : `${r.done} of ${r.total ?? '?'} files · ${r.imported} imported · ${r.duplicates} already there · ${r.failed} failed${
              r.skipped ? ` · ${r.skipped} other files left alone` : ''
            }${finished ? '' : ' · importing…'}`}
      </span>
      {r.error ? <Notice kind={r.status === 'failed' ? 'error' : 'warn'}>{r.error}</Notice> : null}
      {r.results.length > 0 ? (
        <details open={finished && r.results.length <= 20}>
          <summary className="small">Files</summary>
          <ul className="small" style={{ margin: 0, paddingLeft: 18 }}>
            {r.results.map((f) => (
              <li key={f.file}>
                <strong>{f.name ?? f.file.split('/').pop()}</strong>: {STATUS_WORDS[f.status]}
                {f.message && f.status === 'failed' ? ` (${f.message})` : ''}
                {f.sessionIds[0] ? (
                  <>
                    {' · '}
                    <Link to={`/sessions/${f.sessionIds[0]}`}>open</Link>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
