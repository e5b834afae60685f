import type { Deps } from '../deps.ts';

/** Pub/sub channel on which every loss of access is announced (consumed by the live hub). */
export const ACCESS_CHANGED_CHANNEL = 'access.changed';

export interface AccessChanged {
  athleteId?: string;
  teamId?: string;
  userId?: string;
}

/**
 * Announces that some access may have been lost (consent revoked, membership ended, user
 * disabled or deleted, session or key revoked) so holders of open subscriptions re-check them,
 * or gained (consent granted, team joined, user re-enabled) so cached refusals are dropped and
 * team views add the athlete.
 * Publishing is best effort: the database change has already committed, so a pub/sub outage
 * is logged rather than turned into a failed request.
 */
export async function publishAccessChanged(deps: Pick<Deps, 'platform' | 'log'>, payload: AccessChanged) {
  try {
    await deps.platform.pubsub.publish(ACCESS_CHANGED_CHANNEL, JSON.stringify(payload));
  } catch (err) {
    deps.log.error({ err, payload }, 'could not publish access.changed');
  }
}
