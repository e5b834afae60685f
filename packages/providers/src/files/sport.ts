import { normaliseSport } from '../normalise/sport.ts';

/** Sports that are containers ("fitness_equipment", "training", "generic"): the sub-sport decides. */
const CONTAINER_SPORTS = new Set(['other', 'strength']);

/**
 * Platform sport from a file's sport and sub-sport together: the sport names the activity unless
 * it is a container such as FIT's `fitness_equipment` or `training`, where the sub-sport
 * (`indoor_rowing`, `yoga`) says what it was.
 */
export function normaliseFileSport(sport: string | null, subSport: string | null): string {
  const bySport = normaliseSport(sport);
  if (subSport === null || subSport === 'generic' || !CONTAINER_SPORTS.has(bySport)) return bySport;
  // A container names no activity of its own: an elliptical under fitness_equipment is not
  // strength, so an unknown sub-sport is "other" rather than the container's guess.
  return normaliseSport(subSport);
}
