import type { AccountExport, BackgroundWork } from '@athlete/contracts';
import { formatAgo } from '../lib/format.ts';
import { Notice } from './ui.tsx';

const STATUS_WORDS: Record<BackgroundWork['status'], string> = {
  queued: 'queued',
  running: 'running',
  waiting: 'waiting for the provider',
  succeeded: 'done',
  failed: 'failed',
};
const BADGE: Record<BackgroundWork['status'], string> = {
  queued: '',
  running: 'warn',
  waiting: 'warn',
  succeeded: 'ok',
  failed: 'danger',
};

/** A progress bar: done of total when known, else a moving bar while the job is unfinished. */
export function ProgressBar({
  label,
  percent,
  finished,
  failed,
}: {
  label: string;
  percent: number | null;
  finished: boolean;
  failed: boolean;
}) {
  const shown = finished && !failed ? 100 : percent;
  return (
    <div
      className={`progress${shown == null && !finished ? ' indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={shown ?? undefined}
    >
      <span
        style={{
          width: `${shown ?? (finished ? 100 : 30)}%`,
          background: failed ? 'var(--danger)' : finished ? 'var(--ok)' : undefined,
        }}
      />
    </div>
  );
}

/** One background job: title, state in words, progress, and its result when there is one. */
export function BackgroundWorkItem({ work }: { work: BackgroundWork }) {
  const finished = work.status === 'succeeded' || work.status === 'failed';
  return (
    <li
      className="stack"
      style={{ gap: 4 }}
      data-testid="work-item"
      data-kind={work.kind}
      data-status={work.status}
    >
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <strong>{work.title}</strong>
        <span className={`badge ${BADGE[work.status]}`}>{STATUS_WORDS[work.status]}</span>
      </div>
      <span className="small muted" aria-live="polite">
        {work.detail} · started {formatAgo(Date.parse(work.createdAt), Date.now())}
      </span>
      <ProgressBar
        label={`${work.title} progress`}
        percent={work.progress?.percent ?? null}
        finished={finished}
        failed={work.status === 'failed'}
      />
      {work.error ? <Notice kind={work.status === 'failed' ? 'error' : 'warn'}>{work.error}</Notice> : null}
      {work.downloadUrl ? (
        <div className="row">
          <a className="btn" href={work.downloadUrl} download>
            Download
          </a>
        </div>
      ) : null}
    </li>
  );
}

/** An export's progress in words: parts done of total, and the percent. */
export function exportProgressText(e: AccountExport): string {
  if (e.status === 'queued') return 'Queued: waiting for a worker…';
  if (e.status === 'failed') return e.error ?? 'The export failed.';
  const percent = e.total ? Math.floor((100 * e.done) / e.total) : null;
  const counted =
    e.total === null ? 'counting what to export' : `${e.done} of ${e.total} parts (${percent}%)`;
  if (e.status === 'succeeded')
    return `Ready: ${counted}, ${Math.max(1, Math.round((e.bytes ?? 0) / 1024))} KB`;
  return `Writing ${e.phase}: ${counted}`;
}
