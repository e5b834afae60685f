import type { TrainingSession } from '../api/types.ts';

type FileInfo = NonNullable<TrainingSession['file']>;

/**
 * What the imported file said and how the import treated it: the device and its own sport
 * names, an unfinished file's warning, every repair in plain words, and the rule that turned
 * records into time in zones and TRIMP (so those figures can be traced to the file).
 */
export function FileDetails({ file }: { file: FileInfo }) {
  const { recordingIntervalS, maxCreditS } = file.creditRule;
  const sourceSport = [file.sourceSport, file.sourceSubSport].filter((v) => v && v !== 'generic').join(' / ');
  return (
    <div className="stack" data-testid="file-details">
      {file.incomplete ? (
        <p className="notice warn" role="note">
          The file was cut off or damaged: only what could be read is stored, so totals may be short of what
          the device showed.
        </p>
      ) : null}
      <dl className="facts">
        <dt>Format</dt>
        <dd>{file.format.toUpperCase()}</dd>
        {file.device ? (
          <>
            <dt>Device</dt>
            <dd>{file.device}</dd>
          </>
        ) : null}
        {sourceSport ? (
          <>
            <dt>The file's sport</dt>
            <dd>{sourceSport}</dd>
          </>
        ) : null}
        {file.leg.of > 1 ? (
          <>
            <dt>Part</dt>
            <dd>
              {file.leg.index} of {file.leg.of} in one multisport file
            </dd>
          </>
        ) : null}
        <dt>Time in zones</dt>
        <dd data-testid="credit-rule">
          {recordingIntervalS > 0
            ? `Each record counts until the next one, up to ${maxCreditS} s (the file records about every ${recordingIntervalS} s); a longer gap is a pause and counts for nothing.`
            : `Each record counts until the next one, up to ${maxCreditS} s; a longer gap is a pause and counts for nothing.`}
        </dd>
      </dl>
      {file.notes.length > 0 ? (
        <>
          <p className="muted">On import:</p>
          <ul data-testid="file-notes">
            {file.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
