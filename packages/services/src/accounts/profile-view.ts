import {
  PROFILE_SOURCED_FIELDS,
  type Profile,
  type ProfileSources,
  type ProfileSummary,
  profileValueSourceSchema,
} from '@athlete/contracts';
import { athleteZones } from '@athlete/core';

/** Daily metrics precedence when the athlete declared none (first wins). */
export const DEFAULT_SOURCE_PRECEDENCE = ['whoop', 'garmin', 'live', 'file'] as const;

export interface ProfileRow {
  birthYear: number | null;
  sex: 'female' | 'male' | 'other' | null;
  weightKg: number | null;
  hrMax: number | null;
  hrRest: number | null;
  hrZones: number[];
  thresholds: unknown;
  sourcePrecedence: string[];
  sources: unknown;
  updatedAt: Date | null;
}

export const EMPTY_PROFILE: ProfileRow = {
  birthYear: null,
  sex: null,
  weightKg: null,
  hrMax: null,
  hrRest: null,
  hrZones: [],
  thresholds: null,
  sourcePrecedence: [],
  sources: {},
  updatedAt: null,
};

/** The stored `sources` JSON as one entry per sourced field (null: none recorded; junk is ignored). */
export function readProfileSources(stored: unknown): ProfileSources {
  const map =
    stored && typeof stored === 'object' && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {};
  return Object.fromEntries(
    PROFILE_SOURCED_FIELDS.map((f) => [f, profileValueSourceSchema.safeParse(map[f]).data ?? null]),
  ) as ProfileSources;
}

/**
 * HR max and zones in effect, by core's athleteZones: the very zones the live pipeline and
 * session summaries use, so what the API shows cannot disagree with them.
 */
function effective(p: ProfileRow) {
  const a = athleteZones(p);
  return { ...a, hrZones: a.zones.map((z) => z.max) };
}

export function toProfileView(p: ProfileRow): Profile {
  const e = effective(p);
  const thresholds =
    p.thresholds && typeof p.thresholds === 'object' && !Array.isArray(p.thresholds)
      ? (p.thresholds as Record<string, number | null>)
      : null;
  return {
    birthYear: p.birthYear,
    sex: p.sex,
    weightKg: p.weightKg,
    hrMax: p.hrMax,
    hrRest: p.hrRest,
    effectiveHrMax: e.hrMax,
    hrMaxSource: e.hrMaxSource,
    hrZones: e.hrZones,
    zones: e.zones,
    zonesDerived: e.zonesDerived,
    thresholds,
    sourcePrecedence: (p.sourcePrecedence.length
      ? p.sourcePrecedence.filter((s) => s !== 'merged')
      : [...DEFAULT_SOURCE_PRECEDENCE]) as Profile['sourcePrecedence'],
    sources: readProfileSources(p.sources),
    updatedAt: p.updatedAt?.toISOString() ?? null,
  };
}

export function toProfileSummary(p: ProfileRow): ProfileSummary {
  const e = effective(p);
  return {
    hrMax: e.hrMax,
    hrMaxSource: e.hrMaxSource,
    hrRest: e.hrRest,
    hrZones: e.hrZones,
    zones: e.zones,
    zonesDerived: e.zonesDerived,
  };
}
