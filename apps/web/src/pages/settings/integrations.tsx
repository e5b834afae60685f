import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { call, errorMessage } from '../../api/client.ts';
import { keys, paths, useIntegrations } from '../../api/queries.ts';
import type { Integration } from '../../api/types.ts';
import { Card, Notice, PageLoading, QueryError } from '../../components/ui.tsx';
import { formatAgo } from '../../lib/format.ts';

const PROVIDERS = [
  { id: 'whoop', name: 'WHOOP', text: 'Recovery, strain, sleep, HRV and workouts.' },
  { id: 'garmin', name: 'Garmin', text: 'Activities (FIT), daily summaries, sleep and HRV.' },
] as const;

/** Seconds as the wait rule is stated: "2 min", "90 s". */
const waitText = (s: number) => (s % 60 === 0 ? `${s / 60} min` : `${s} s`);

const providerName = (id: string | null) => PROVIDERS.find((p) => p.id === id)?.name ?? id ?? 'The provider';

function ProviderCard({ p, integration }: { p: (typeof PROVIDERS)[number]; integration?: Integration }) {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: keys.integrations });
  const sync = useMutation({
    mutationFn: () => call('POST /api/v1/integrations/:provider/sync', { params: { provider: p.id } }),
    onSuccess: refresh,
  });
  const disconnect = useMutation({
    mutationFn: () => call('DELETE /api/v1/integrations/:provider', { params: { provider: p.id } }),
    onSuccess: refresh,
  });
  const connected = integration && (integration.status === 'active' || integration.status === 'error');
  const run = integration?.currentRun ?? null;
  const progress = run?.progress?.total ? run.progress.done / run.progress.total : null;
  const failed = integration?.lastRun?.status === 'failed' ? integration.lastRun.error : null;
  return (
    <Card
      title={p.name}
      headingLevel={2}
      id={`integration-${p.id}`}
      actions={
        connected ? (
          <span className={`badge ${integration.status === 'active' ? 'ok' : 'warn'}`}>
            {integration.status}
          </span>
        ) : (
          <span className="badge">not connected</span>
        )
      }
    >
      <p className="small muted">{p.text}</p>
      {connected ? (
        <div className="stack" style={{ marginTop: 12 }}>
          <span className="small">
            Last sync:{' '}
            {integration.lastSyncAt ? formatAgo(Date.parse(integration.lastSyncAt), Date.now()) : 'never'}
          </span>
          {run && (run.status === 'queued' || run.status === 'running' || run.status === 'waiting') ? (
            <div className="stack" style={{ gap: 4 }} data-testid="sync-state" data-status={run.status}>
              <span className="small muted">
                {run.kind === 'backfill' ? 'History backfill' : 'Sync'}{' '}
                {run.status === 'waiting' ? `waiting for ${p.name} to send the data` : run.status}
                {run.progress?.total
                  ? run.status === 'waiting'
                    ? ` · ${run.progress.done} of ${run.progress.total} days have data so far`
                    : ` · ${run.progress.done} of ${run.progress.total} ${run.progress.unit}`
                  : ''}
                {run.progress?.items ? ` · ${run.progress.items} items` : ''}
              </span>
              {run.status === 'waiting' && run.progress?.wait ? (
                <span className="small muted">
                  {p.name} accepted the request and sends the data over the next minutes. Done when it has
                  sent nothing more for {waitText(run.progress.wait.quietS)} after its data began to arrive,
                  or {waitText(run.progress.wait.maxWaitS)} after the request at the latest.
                </span>
              ) : null}
              <div
                className={`progress${progress == null ? ' indeterminate' : ''}`}
                role="progressbar"
                aria-label={`${p.name} sync progress`}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={progress != null ? Math.round(progress * 100) : undefined}
              >
                <span style={{ width: `${progress != null ? progress * 100 : 30}%` }} />
              </div>
            </div>
          ) : integration.lastRun ? (
            <span className="small muted" data-testid="sync-state">
              Last {integration.lastRun.kind === 'backfill' ? 'backfill' : 'sync'}{' '}
              {integration.lastRun.status}
              {integration.lastRun.status === 'succeeded'
                ? ` · ${integration.lastRun.itemsFetched} items`
                : ''}
              {/* A Garmin run says how its wait ended: data stopped arriving, or the limit. */}
              {integration.lastRun.progress?.wait?.endedBecause
                ? ` · ${integration.lastRun.progress.phase}`
                : ''}
            </span>
          ) : null}
          {integration.lastError || failed ? (
            <Notice kind="error" title="Last sync failed">
              {failed ?? integration.lastError}
            </Notice>
          ) : null}
          <div className="row">
            <button
              type="button"
              className="btn primary"
              disabled={sync.isPending || run !== null}
              title={run ? 'A sync is already queued or running' : undefined}
              onClick={() => sync.mutate()}
            >
              Sync now
            </button>
            <button
              type="button"
              className="btn danger"
              disabled={disconnect.isPending}
              onClick={() => window.confirm(`Disconnect ${p.name}?`) && disconnect.mutate()}
            >
              Disconnect
            </button>
          </div>
        </div>
      ) : (
        <div className="row" style={{ marginTop: 12 }}>
          {/* A full-page navigation: the server redirects to the provider's consent page and back. */}
          <a className="btn primary" href={paths.integrationConnect(p.id)}>
            Connect {p.name}
          </a>
        </div>
      )}
      {sync.error || disconnect.error ? (
        <Notice kind="error">{errorMessage(sync.error ?? disconnect.error)}</Notice>
      ) : null}
    </Card>
  );
}

export function IntegrationsSection() {
  const integrations = useIntegrations();
  const qc = useQueryClient();
  const busy = (integrations.data ?? []).some((i) => i.currentRun !== null);
  useEffect(() => {
    if (!busy) return;
    const t = setInterval(() => qc.invalidateQueries({ queryKey: keys.integrations }), 2000);
    return () => clearInterval(t);
  }, [busy, qc]);
  const params = new URLSearchParams(window.location.search);
  const connected = params.get('connected');
  const failedConnect = params.get('error');
  if (integrations.isPending) return <PageLoading />;
  return (
    <div className="stack lg">
      {connected ? (
        <Notice kind="ok">
          {providerName(connected)} connected. The first sync has started: history arrives in the background.
        </Notice>
      ) : null}
      {failedConnect ? (
        <Notice kind="error" title={`${providerName(params.get('provider'))} was not connected`}>
          {failedConnect === 'access_denied'
            ? 'Access was refused on the consent page.'
            : `The provider answered: ${failedConnect}.`}
        </Notice>
      ) : null}
      {integrations.error ? <QueryError error={integrations.error} what="Integrations" /> : null}
      <div className="grid cols-2">
        {PROVIDERS.map((p) => (
          <ProviderCard key={p.id} p={p} integration={integrations.data?.find((i) => i.provider === p.id)} />
        ))}
      </div>
    </div>
  );
}
