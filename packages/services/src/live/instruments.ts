import type { Deps } from '../deps.ts';
import { counter, gauge, histogram } from '../metrics.ts';

/**
 * The live pipeline's metrics. Names and labels are the contract in docs/METRICS.md (the
 * dashboard and alert rules use them).
 */
export function createLiveInstruments(m: Deps['metrics']) {
  return {
    ingested: counter(m, 'ap_ingest_samples_total', 'Samples received, by transport and outcome', [
      'transport',
      'outcome',
    ]),
    backpressure: counter(
      m,
      'ap_ingest_backpressure_total',
      'Ingest batches refused because the write-behind buffer was full',
    ),
    flushSeconds: histogram(
      m,
      'ap_writebehind_flush_seconds',
      'Write-behind batch insert duration',
      [],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    ),
    frames: counter(m, 'ap_live_frames_sent_total', 'Live frames sent to viewers'),
    coalesced: gauge(m, 'ap_live_viewers_coalesced', 'Live viewers currently receiving coalesced frames'),
    fanout: histogram(
      m,
      'ap_fanout_latency_seconds',
      'From a sample arriving at ingest to its frame being sent to viewers (incl. the Redis hop)',
      [],
      [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    ),
    buffered: gauge(m, 'ap_writebehind_buffer_samples', 'Samples waiting in the write-behind buffer'),
    lag: gauge(m, 'ap_writebehind_lag_seconds', 'Age of the oldest sample not yet committed'),
    viewers: gauge(m, 'ap_live_viewers', 'Open live viewer sockets on this node'),
    athletes: gauge(m, 'ap_live_athletes', 'Athletes with an open live session on this node'),
    flushErrors: counter(m, 'ap_writebehind_errors_total', 'Failed write-behind batch inserts'),
    quarantined: counter(
      m,
      'ap_writebehind_quarantined_total',
      'Live samples the database refused, kept in sample_quarantine instead of being retried',
    ),
  };
}

export type LiveInstruments = ReturnType<typeof createLiveInstruments>;
