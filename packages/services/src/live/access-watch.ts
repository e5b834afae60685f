import type { WsLiveServerMessage } from '@athlete/contracts';
import type { Unsubscribe } from '@athlete/platform';
import {
  ACCESS_CHANGED_CHANNEL,
  type AccessChanged,
  canViewAthlete,
  viewableAthleteIdsForTeam,
} from '../access/index.ts';
import type { LiveParts } from './parts.ts';
import { principalStillValid } from './principal-valid.ts';
import { deletedUserIds, isTeamMember } from './queries.ts';
import { liveSnapshot } from './snapshot.ts';

/** Close code for a live socket whose access was withdrawn. */
export const CLOSE_ACCESS_REVOKED = 4403;

/**
 * Keeps open sockets honest when access changes (`access.changed`, any process): ingest
 * verdicts are forgotten, viewers and ingest connections re-checked (closed with 4403 when no
 * longer allowed, a team view narrowed to who still consents and sent a fresh `snapshot` of
 * who it now shows), and samples still buffered for a deleted account dropped.
 */
export class AccessWatch {
  readonly #parts: LiveParts;
  #sub: Unsubscribe | null = null;
  #recheck: Promise<void> = Promise.resolve();

  constructor(parts: LiveParts) {
    this.#parts = parts;
  }

  async start(): Promise<void> {
    const { deps } = this.#parts;
    try {
      this.#sub = await deps.platform.pubsub.subscribe(ACCESS_CHANGED_CHANNEL, (message) => {
        let change: AccessChanged = {};
        try {
          const parsed = JSON.parse(message.toString()) as unknown;
          if (typeof parsed === 'object' && parsed !== null) change = parsed as AccessChanged;
        } catch {
          // An unreadable notice still means "something changed": re-check everything.
        }
        void this.changed(change);
      });
    } catch (err) {
      deps.log.error({ err }, 'live: could not subscribe to access.changed');
    }
  }

  async stop(): Promise<void> {
    await this.#sub?.().catch(() => {});
    this.#sub = null;
  }

  /** Resolves once every re-check triggered so far has finished. */
  settled(): Promise<void> {
    return this.#recheck;
  }

  changed(change: AccessChanged): Promise<void> {
    const { deps } = this.#parts;
    this.#parts.permits.reset();
    // At once, not behind earlier re-checks: the write-behind writes within about a second.
    const discarded = this.#discardDeletedAthletes(change).catch((err) => {
      deps.log.error({ err }, 'live: could not look for deleted accounts in the write buffer');
    });
    const rechecked = this.#recheck
      .then(() => this.#recheckAll(change))
      .catch((err) => {
        deps.log.error({ err }, 'live: access re-check failed');
      });
    this.#recheck = Promise.all([rechecked, discarded]).then(() => {});
    return this.#recheck;
  }

  /**
   * An account deletion announces itself on access.changed: the samples this process still
   * buffers for an athlete whose user row is gone are dropped (and their senders acked), so
   * none is written after the erasure. One query per notice, only for athletes buffered here.
   */
  async #discardDeletedAthletes(change: AccessChanged): Promise<void> {
    const { deps, writer } = this.#parts;
    const held = writer.heldAthletes();
    if (held.size === 0) return;
    const everything = !change.athleteId && !change.teamId && !change.userId;
    const named = [change.userId, change.athleteId].filter((id): id is string => !!id && held.has(id));
    const candidates = everything ? [...held] : [...new Set(named)];
    if (candidates.length === 0) return;
    const gone = await deletedUserIds(deps, candidates);
    if (gone.length === 0) return;
    const dropped = writer.discard(new Set(gone));
    deps.log.info({ athleteIds: gone, dropped }, 'live: buffered samples of deleted accounts dropped');
  }

  async #recheckAll(change: AccessChanged): Promise<void> {
    const { deps, hub, ingestConnections } = this.#parts;
    const everything = !change.athleteId && !change.teamId && !change.userId;
    const viewers = hub.allViewers().filter((v) => {
      if (everything) return true;
      const p = v.principal;
      if (change.userId && p.kind === 'user' && p.userId === change.userId) return true;
      if (change.athleteId && (v.athleteIds.has(change.athleteId) || v.target.id === change.athleteId))
        return true;
      // A team change can end a coach's access to an athlete they watch through that team.
      if (change.teamId) return v.target.kind === 'athlete' || v.target.id === change.teamId;
      return false;
    });
    await inBatches(viewers, 16, async (v) => {
      if (v.closed) return;
      if (!(await principalStillValid({ deps, principal: v.principal }))) {
        hub.closeViewer(v, CLOSE_ACCESS_REVOKED, 'access revoked');
        return;
      }
      if (v.target.kind === 'athlete') {
        const ok = await canViewAthlete({
          deps,
          principal: v.principal,
          athleteId: v.target.id,
          scope: 'live',
        });
        if (!ok) hub.closeViewer(v, CLOSE_ACCESS_REVOKED, 'access revoked');
        return;
      }
      const ids = await viewableAthleteIdsForTeam({
        deps,
        principal: v.principal,
        teamId: v.target.id,
        scope: 'live',
      });
      const member = await isTeamMember(deps, v.principal, v.target.id);
      if (!member) return hub.closeViewer(v, CLOSE_ACCESS_REVOKED, 'access revoked');
      const same = ids.length === v.athleteIds.size && ids.every((id) => v.athleteIds.has(id));
      if (same) return;
      hub.setViewerAthletes(v, ids);
      // The snapshot names everyone the view shows now, so the page drops who left at once.
      const athletes = await liveSnapshot({ parts: this.#parts, principal: v.principal, athleteIds: ids });
      if (!v.closed)
        v.socket.send(JSON.stringify({ type: 'snapshot', athletes } satisfies WsLiveServerMessage));
    });
    await inBatches([...ingestConnections], 16, async (c) => {
      if (!(await principalStillValid({ deps, principal: c.principal }))) {
        ingestConnections.delete(c);
        c.close(CLOSE_ACCESS_REVOKED, 'credential revoked');
      }
    });
  }
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) {
    await Promise.allSettled(items.slice(i, i + size).map(fn));
  }
}
