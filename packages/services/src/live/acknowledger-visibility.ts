import type { Alert } from '@athlete/contracts';
import type { Principal } from '../access/index.ts';
import type { Deps } from '../deps.ts';
import type { LiveSocket } from './hub.ts';

/** Coaches and admins see who acknowledged an alert: they work together on the athletes they watch. */
const seesEveryAcknowledger = (principal: Principal | null) =>
  principal?.kind === 'user' && (principal.role === 'coach' || principal.role === 'admin');

/**
 * Alerts as a viewer may see them. An athlete sees who acknowledged an alert only when that
 * person coaches one of the athlete's teams (they know their coaches); anyone else (a platform
 * admin, a coach who has since left) becomes `acknowledgedBy: null`, `acknowledgedAt` kept.
 * Coaches and admins see every acknowledger. One query, only when a name is at stake.
 */
export async function hideUnknownAcknowledgers({
  deps,
  principal,
  alerts,
}: {
  deps: Pick<Deps, 'db'>;
  principal: Principal | null;
  alerts: Alert[];
}): Promise<Alert[]> {
  if (seesEveryAcknowledger(principal)) return alerts;
  const named = alerts.filter((a) => a.acknowledgedBy);
  if (named.length === 0) return alerts;
  const rows = await deps.db.query<{ athlete_id: string; coach_id: string }>(
    `SELECT DISTINCT a.user_id::text AS athlete_id, c.user_id::text AS coach_id
       FROM team_members a
       JOIN team_members c ON c.team_id = a.team_id AND c.role = 'coach'
      WHERE a.role = 'athlete' AND a.user_id = ANY($1::uuid[]) AND c.user_id = ANY($2::uuid[])`,
    [[...new Set(named.map((a) => a.athleteId))], [...new Set(named.map((a) => a.acknowledgedBy!.id))]],
  );
  const coaches = new Set(rows.map((r) => `${r.athlete_id}|${r.coach_id}`));
  return alerts.map((a) =>
    a.acknowledgedBy && !coaches.has(`${a.athleteId}|${a.acknowledgedBy.id}`)
      ? { ...a, acknowledgedBy: null }
      : a,
  );
}

/** The start of an `alert` event as the hub sends it (`JSON.stringify({ type: 'alert', alert })`). */
const ALERT_EVENT = '{"type":"alert"';

/**
 * A viewer's socket that applies {@link hideUnknownAcknowledgers} to the live `alert` events
 * naming an acknowledger; coaches' and admins' sockets are returned as they are. Frames are
 * sent in order: while an event is being checked (one query, rare: acknowledgements only),
 * later frames wait behind it. If the check fails the name is left out.
 */
export function hidingUnknownAcknowledgers(
  deps: Pick<Deps, 'db' | 'log'>,
  principal: Principal,
  socket: LiveSocket,
): LiveSocket {
  if (seesEveryAcknowledger(principal)) return socket;
  const needsCheck = (data: string) => data.startsWith(ALERT_EVENT) && data.includes('"acknowledgedBy":{');
  const deliver = (data: string) => {
    try {
      socket.send(data);
    } catch (err) {
      deps.log.debug({ err }, 'live: send to viewer failed');
    }
  };
  const checked = async (data: string): Promise<string | null> => {
    let message: { type: 'alert'; alert: Alert };
    try {
      message = JSON.parse(data) as typeof message;
    } catch {
      return null; // not an event this module understands: nothing safe to send
    }
    try {
      const [alert] = await hideUnknownAcknowledgers({ deps, principal, alerts: [message.alert] });
      return JSON.stringify({ ...message, alert });
    } catch (err) {
      deps.log.warn({ err }, 'live: could not check an acknowledger; leaving the name out');
      return JSON.stringify({ ...message, alert: { ...message.alert, acknowledgedBy: null } });
    }
  };
  /** Frames waiting behind an event being checked; null when nothing is. */
  let waiting: string[] | null = null;
  const drain = async (first: string) => {
    for (let next: string | undefined = first; next !== undefined; next = waiting?.shift()) {
      const out = needsCheck(next) ? await checked(next) : next;
      if (out !== null) deliver(out);
    }
    waiting = null;
  };
  return {
    send(data) {
      if (waiting) waiting.push(data);
      else if (needsCheck(data)) {
        waiting = [];
        void drain(data);
      } else socket.send(data);
    },
    get bufferedAmount() {
      return socket.bufferedAmount;
    },
    close(code, reason) {
      socket.close(code, reason);
    },
  };
}
