import type { Deps } from '../deps.ts';
import { ingestableAthletes } from './ingestable-athletes.ts';
import type { Principal } from './principal.ts';

/** True when the principal may write samples for this athlete (the rule: `ingestableAthletes`). */
export async function canIngestFor({
  deps,
  principal,
  athleteId,
}: {
  deps: Pick<Deps, 'db'>;
  principal: Principal | null;
  athleteId: string;
}): Promise<boolean> {
  return (await ingestableAthletes({ deps, principal, athleteIds: [athleteId] })).has(athleteId);
}
