import {
  athleteZones,
  type HrMaxSource,
  type HrZone,
  ZONE_NAMES,
  type ZoneProfile,
  zoneOf,
} from '@athlete/core';

/**
 * The web never derives zones of its own: screens use the zones the API returns (core's
 * athleteZones on the server, the same ones live samples and session summaries use), and the
 * profile form previews unsaved edits with that very function.
 */
export interface ZoneSetup {
  zones: HrZone[];
  hrMax: number;
  /** How HR max was obtained, shown next to derived figures. */
  hrMaxSource: HrMaxSource;
}

/** What the API returns about an athlete's zones (own profile or a coach's profile summary). */
export interface ServerZones {
  zones: readonly HrZone[];
  /** HR max in effect in a profile summary; the stored value (maybe null) in a full profile. */
  hrMax: number | null;
  /** HR max in effect in a full profile. */
  effectiveHrMax?: number;
  hrMaxSource: HrMaxSource;
}

/** Zones exactly as the server computed them; null while unknown (loading, no consent). */
export function serverZones(p: ServerZones | null | undefined): ZoneSetup | null {
  if (p?.zones.length !== 5) return null;
  const hrMax = p.effectiveHrMax ?? p.hrMax;
  if (!hrMax) return null;
  return { zones: p.zones.map((z) => ({ ...z })), hrMax, hrMaxSource: p.hrMaxSource };
}

/** Zones the server will apply once these (unsaved) profile values are stored. */
export function previewZones(profile: ZoneProfile, now: Date | number = Date.now()): ZoneSetup {
  const { zones, hrMax, hrMaxSource } = athleteZones(profile, now);
  return { zones, hrMax, hrMaxSource };
}

export interface ZoneReading {
  /** 0 below zone 1, else 1..5 */
  zone: number;
  /** e.g. "Z3 Tempo"; "Below Z1"; empty when zones are unknown */
  label: string;
  /** fraction of HR max, null when unknown */
  pctMax: number | null;
}

export function readZone(hr: number | null | undefined, setup: ZoneSetup | null): ZoneReading {
  if (hr == null || !Number.isFinite(hr) || !setup) return { zone: 0, label: '', pctMax: null };
  const zone = zoneOf(hr, setup.zones);
  const z = setup.zones[zone - 1];
  return { zone, label: z ? `Z${zone} ${z.name}` : 'Below Z1', pctMax: hr / setup.hrMax };
}

export interface ZoneShare {
  key: string;
  /** e.g. "Z2 Endurance", "Below Z1", "No HR" */
  label: string;
  /** Colour index 0..5; null for time without an HR zone. */
  zone: number | null;
  seconds: number;
  /** Fraction of the whole session. */
  share: number;
}

/**
 * A session's time below zone 1, in zones 1..5, and the rest (no HR, dropouts), each as a
 * share of the whole session (its duration, or the counted time if that is longer). When the
 * time below zone 1 is unknown (a provider session without samples), it is part of the rest.
 */
export function zoneShares(
  seconds: readonly number[],
  belowS: number | null | undefined,
  durationS: number | null | undefined,
): ZoneShare[] {
  const zoneS = ZONE_NAMES.map((_, i) => Math.max(0, seconds[i] ?? 0));
  const known = belowS != null && Number.isFinite(belowS);
  const below = known ? Math.max(0, belowS) : 0;
  const counted = below + zoneS.reduce((a, b) => a + b, 0);
  const total = Math.max(counted, durationS ?? 0);
  const rest = total - counted;
  const share = (s: number) => (total > 0 ? s / total : 0);
  const rows: ZoneShare[] = [];
  if (known) rows.push({ key: 'below', label: 'Below Z1', zone: 0, seconds: below, share: share(below) });
  for (const [i, s] of zoneS.entries()) {
    rows.push({
      key: `z${i + 1}`,
      label: `Z${i + 1} ${ZONE_NAMES[i]}`,
      zone: i + 1,
      seconds: s,
      share: share(s),
    });
  }
  if (!known || rest >= 1) {
    rows.push({
      key: 'rest',
      label: known ? 'No HR' : 'Below Z1 / no HR',
      zone: null,
      seconds: rest,
      share: share(rest),
    });
  }
  return rows;
}

/** CSS custom property holding the colour of a zone (see styles/tokens.css). */
export const zoneColorVar = (zone: number): string => `var(--zone-${Math.max(0, Math.min(5, zone))})`;

/** Literal colours for canvases (Chart.js cannot read CSS variables). Index = zone 0..5. */
export const ZONE_COLORS = ['#6b7785', '#4e9cff', '#2fbf71', '#f2c94c', '#f2994a', '#eb5757'] as const;
