import type { SampleRow } from '@athlete/db';
import type { Deps } from '../deps.ts';

/** A row the database refused, with its reason (see {@link WriteBehind}). */
export interface RefusedSample {
  row: SampleRow;
  reason: string;
  /** SQLSTATE of the refusal, when the database gave one. */
  code: string | null;
}

/**
 * Keeps refused live samples in `sample_quarantine` (migration 0019): the row as JSON, the
 * database's reason and SQLSTATE. One statement for all of them; the JSON is built here so a
 * value the samples table refused (1e-320, say) is still stored faithfully as text-like JSON.
 */
export async function quarantineSamples(opts: {
  deps: Pick<Deps, 'db'>;
  refused: readonly RefusedSample[];
}): Promise<void> {
  const { deps, refused } = opts;
  if (refused.length === 0) return;
  await deps.db.query(
    `INSERT INTO sample_quarantine (athlete_id, ts, session_id, sample, reason, code)
     SELECT a, t, s, j::jsonb, r, c
       FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[], $4::text[], $5::text[], $6::text[])
         AS u(a, t, s, j, r, c)`,
    [
      refused.map((q) => q.row.athleteId),
      refused.map((q) => q.row.ts.toISOString()),
      refused.map((q) => q.row.sessionId),
      refused.map((q) => JSON.stringify(q.row, (_k, v) => (typeof v === 'bigint' ? String(v) : v))),
      refused.map((q) => q.reason),
      refused.map((q) => q.code),
    ],
  );
}
