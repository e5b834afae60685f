import type { Deps } from '../deps.ts';
import { counter, gauge } from '../metrics.ts';

/** Provider request metrics (docs/METRICS.md): what every call to WHOOP or Garmin records. */
export function providerMetrics(deps: Pick<Deps, 'metrics'>) {
  return {
    remaining: gauge(
      deps.metrics,
      'ap_provider_ratelimit_remaining',
      "Budget left in the provider's current rate-limit window (limiter or provider headers)",
      ['provider'],
    ),
    requests: counter(deps.metrics, 'ap_provider_requests_total', 'Requests sent to providers by status', [
      'provider',
      'status',
    ]),
  };
}
