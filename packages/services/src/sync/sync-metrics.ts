import { PROVIDER_IDS } from '../connections/provider-config.ts';
import { providerMetrics } from '../connections/provider-metrics.ts';
import type { Deps } from '../deps.ts';
import { counter } from '../metrics.ts';

/** Sync metrics (docs/METRICS.md), one get-or-create place so every user shares the definitions. */
export function syncMetrics(deps: Pick<Deps, 'metrics'>) {
  return {
    failures: counter(deps.metrics, 'ap_sync_failures_total', 'Sync runs that ended in failure', [
      'provider',
    ]),
    items: counter(
      deps.metrics,
      'ap_sync_items_total',
      'Provider records fetched, by provider and sync kind',
      ['provider', 'kind'],
    ),
    runs: counter(deps.metrics, 'ap_sync_runs_total', 'Sync runs by outcome', ['provider', 'outcome']),
  };
}

/**
 * Declares the sync metrics at boot (zero failures per provider) so dashboards and alert rules
 * see the series before the first sync runs.
 */
export function registerSyncMetrics(deps: Pick<Deps, 'metrics'>): void {
  providerMetrics(deps);
  const m = syncMetrics(deps);
  for (const provider of PROVIDER_IDS) m.failures.inc({ provider }, 0);
}
