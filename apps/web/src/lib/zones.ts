import { defaultHrZones, estimateHrMax, type HrZone, zoneOf, zonesFromUpperBounds } from '@athlete/core';

/** What the UI needs from a profile to place an HR in a zone. */
export interface ZoneProfile {
  hrMax?: number | null;
  hrRest?: number | null;
  hrZones?: readonly number[] | null;
  birthYear?: number | null;
}

export interface ZoneSetup {
  zones: HrZone[];
  hrMax: number;
  /** How HR max was obtained, shown next to derived figures. */
  hrMaxSource: 'profile' | 'estimated' | 'default';
}

/** What the API returns about an athlete's zones (own profile or a coach's summary). */
export interface ServerZones {
  hrMax: number | null;
  hrRest?: number | null;
  hrZones: readonly number[];
  effectiveHrMax?: number;
  hrMaxSource?: 'profile' | 'estimated' | 'default';
}

/** Zones as the server computed them (the same ones the alert engine uses). */
export function serverZones(p: ServerZones | null | undefined): ZoneSetup | null {
  if (!p) return null;
  const hrMax = p.effectiveHrMax ?? p.hrMax;
  if (!hrMax) return null;
  if (p.hrZones.length === 5) {
    try {
      return {
        zones: zonesFromUpperBounds(p.hrZones, Math.round((p.hrRest ?? 0) > 0 ? p.hrRest! : hrMax / 2)),
        hrMax,
        hrMaxSource: p.hrMaxSource ?? 'profile',
      };
    } catch {
      // fall through to derived zones
    }
  }
  return {
    zones: defaultHrZones({ hrMax, hrRest: p.hrRest ?? null }),
    hrMax,
    hrMaxSource: p.hrMaxSource ?? 'profile',
  };
}

/** Zones from the profile (stored bounds, else HR max/rest, else age-estimated HR max); null when unknown. */
export function zoneSetup(profile: ZoneProfile | null | undefined, now = Date.now()): ZoneSetup | null {
  if (!profile) return null;
  let hrMax = profile.hrMax ?? null;
  let hrMaxSource: ZoneSetup['hrMaxSource'] = 'profile';
  if (!hrMax && profile.birthYear) {
    hrMax = estimateHrMax(profile.birthYear, now);
    hrMaxSource = 'estimated';
  }
  if (profile.hrZones && profile.hrZones.length === 5) {
    try {
      const zones = zonesFromUpperBounds(profile.hrZones);
      return { zones, hrMax: hrMax ?? zones[4]!.max, hrMaxSource };
    } catch {
      // Stored bounds that do not ascend are ignored in favour of derived zones.
    }
  }
  if (!hrMax) return null;
  return { zones: defaultHrZones({ hrMax, hrRest: profile.hrRest ?? null }), hrMax, hrMaxSource };
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

/** CSS custom property holding the colour of a zone (see styles/tokens.css). */
export const zoneColorVar = (zone: number): string => `var(--zone-${Math.max(0, Math.min(5, zone))})`;

/** Literal colours for canvases (Chart.js cannot read CSS variables). Index = zone 0..5. */
export const ZONE_COLORS = ['#6b7785', '#4e9cff', '#2fbf71', '#f2c94c', '#f2994a', '#eb5757'] as const;
