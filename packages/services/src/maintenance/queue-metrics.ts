import type { QueueCounts } from '@athlete/platform';
import { Gauge } from 'prom-client';
import type { Deps } from '../deps.ts';
import { counter } from '../metrics.ts';

const STATES = ['waiting', 'delayed', 'active', 'completed', 'failed'] as const satisfies ReadonlyArray<
  keyof QueueCounts
>;

/**
 * Queue depth and job outcomes (docs/METRICS.md): `ap_queue_jobs{state}` is read from the queue
 * on each scrape; `ap_jobs_total{name,outcome}` counts the attempts this process finished.
 * Idempotent per registry.
 */
export function registerQueueMetrics(deps: Pick<Deps, 'platform' | 'metrics' | 'log'>): void {
  const { platform, metrics, log } = deps;
  if (metrics.getSingleMetric('ap_queue_jobs')) return;

  new Gauge({
    name: 'ap_queue_jobs',
    help: 'Jobs in the queue by state, read on scrape',
    labelNames: ['state'],
    registers: [metrics],
    async collect() {
      try {
        const counts = await platform.queue.counts();
        for (const state of STATES) this.set({ state }, counts[state]);
      } catch (err) {
        // A scrape must not fail because Redis blinked; the gauge keeps its last values.
        log.warn({ err }, 'queue counts unavailable for metrics');
      }
    },
  });

  const outcomes = counter(metrics, 'ap_jobs_total', 'Job attempts finished by this process', [
    'name',
    'outcome',
  ]);
  platform.queue.onOutcome((e) => {
    const outcome = e.outcome === 'completed' ? 'completed' : e.final ? 'failed' : 'retried';
    outcomes.inc({ name: e.name, outcome });
  });
}
