import type { Principal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import type { LiveAlerts } from './alerts.ts';
import type { LiveHub } from './hub.ts';
import type { IngestPermits } from './ingest-permits.ts';
import type { LiveInstruments } from './instruments.ts';
import type { LiveSessions } from './live-sessions.ts';
import type { WriteBehind } from './write-behind.ts';

/** A long-lived ingest connection, re-checked when access changes. */
export interface IngestConnection {
  principal: Principal;
  close(code: number, reason: string): void;
}

/**
 * The live pipeline's parts as its steps (ingest, session control, snapshot, acknowledgement,
 * the access watcher) see them. Package-private: outside `live/`, only `LiveService` is known.
 */
export interface LiveParts {
  readonly deps: Deps;
  readonly hub: LiveHub<Principal>;
  readonly writer: WriteBehind;
  readonly sessions: LiveSessions;
  readonly alerts: LiveAlerts;
  readonly permits: IngestPermits;
  readonly metrics: LiveInstruments;
  readonly ingestConnections: Set<IngestConnection>;
  /** Drops cached reads of an athlete (sessions, daily, alerts) after new data. */
  invalidate(athleteId: string): void;
}
