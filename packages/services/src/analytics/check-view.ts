import type { ReadinessCheck } from '@athlete/contracts';
import type { ReadinessCheck as ReadinessCheckRow } from '@athlete/db';

/** A stored readiness check as the API serves it. */
export function toReadinessCheckOut(row: ReadinessCheckRow): ReadinessCheck {
  return {
    id: row.id,
    date: row.date.toISOString().slice(0, 10),
    measuredAt: row.measuredAt.toISOString(),
    source: row.source === 'simulator' ? 'simulator' : 'strap',
    status: row.status === 'accepted' ? 'accepted' : 'rejected',
    quality: row.quality as ReadinessCheck['quality'],
    reason: row.reason,
    durationS: row.durationS,
    beats: row.beats,
    artefacts: row.artefacts,
    artefactRate: row.artefactRate,
    rmssdMs: row.rmssdMs,
    lnRmssd: row.lnRmssd,
    restingHr: row.restingHr,
  };
}
