import { useBackgroundWork } from '../../api/queries.ts';
import { BackgroundWorkItem } from '../../components/background-work.tsx';
import { Card, Empty, PageLoading, QueryError } from '../../components/ui.tsx';

/** Every background job the user started, in one place, with its state and progress. */
export function BackgroundWorkSection() {
  const work = useBackgroundWork();
  if (work.isPending) return <PageLoading />;
  if (work.error) return <QueryError error={work.error} what="background work" />;
  return (
    <Card title="Background work" id="background-work-list">
      <p className="small muted" style={{ marginBottom: 12 }}>
        Exports, ZIP imports, syncs and history backfills you started, newest first. Progress is done of total
        as the job counts it (parts of the export, files of the ZIP, requests or days of a backfill); the
        percent is done ÷ total, rounded down.
      </p>
      {work.data.length === 0 ? (
        <Empty title="Nothing running">Exports, imports and syncs you start show here.</Empty>
      ) : (
        <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {work.data.map((w) => (
            <BackgroundWorkItem key={`${w.kind}-${w.id}`} work={w} />
          ))}
        </ul>
      )}
    </Card>
  );
}
