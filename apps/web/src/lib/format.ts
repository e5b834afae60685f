/**
 * Display formatting, the one place pages turn numbers and instants into text. Inputs are SI
 * (s, m, m/s, kg, bpm) and UTC instants; the signed-in person's units and time zone decide what
 * is shown (setDisplayPreferences, applied before any signed-in page renders).
 * null/undefined/NaN render as an em dash.
 */
import {
  distanceIn,
  elevationIn,
  isFootSport,
  localDay,
  METERS_PER_MILE,
  paceSecondsPer,
  speedIn,
  timeZoneOffsetMinutes,
  UNIT_LABELS,
  type UnitSystem,
  weightIn,
} from '@athlete/core';

const DASH = '—';
const ok = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** 75 → "1:15", 3725 → "1:02:05". */
export function formatDuration(seconds: number | null | undefined): string {
  if (!ok(seconds) || seconds < 0) return DASH;
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(sec)}` : `${m}:${pad(sec)}`;
}

/** Hours and minutes for sleep and long durations: 27000 → "7 h 30 min". */
export function formatHoursMinutes(seconds: number | null | undefined): string {
  if (!ok(seconds) || seconds < 0) return DASH;
  const totalMin = Math.round(seconds / 60);
  const h = Math.floor(totalMin / 60);
  const m = totalMin % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

export interface DisplayPreferences {
  units: UnitSystem;
  /** IANA name; null = the browser's own zone. */
  timeZone: string | null;
}

let prefs: DisplayPreferences = { units: 'metric', timeZone: null };
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** Sets the units and time zone every formatter here uses (the signed-in person's). */
export function setDisplayPreferences(next: DisplayPreferences): void {
  if (next.units === prefs.units && next.timeZone === prefs.timeZone) return;
  prefs = { units: next.units, timeZone: next.timeZone };
  dateFormats.clear();
}

export const displayPreferences = (): DisplayPreferences => prefs;
/** Labels of the current units: distance "km"/"mi", speed "km/h"/"mph", pace "/km"/"/mi", … */
export const unitLabels = () => UNIT_LABELS[prefs.units];

/** Metric: 850 → "850 m", 12345 → "12.35 km"; imperial: 12345 → "7.67 mi". */
export function formatDistance(meters: number | null | undefined): string {
  if (!ok(meters) || meters < 0) return DASH;
  if (prefs.units === 'metric' && meters < 1000) return `${Math.round(meters)} m`;
  const v = distanceIn(meters, prefs.units);
  return `${v.toFixed(v < 100 ? 2 : 1)} ${UNIT_LABELS[prefs.units].distance}`;
}

/** m/s → "12.6 km/h" or "7.8 mph". */
export function formatSpeed(mps: number | null | undefined): string {
  if (!ok(mps) || mps < 0) return DASH;
  return `${speedIn(mps, prefs.units).toFixed(1)} ${UNIT_LABELS[prefs.units].speed}`;
}

/** A speed (m/s) as a number in the current unit, for chart series. */
export const speedValue = (mps: number): number => speedIn(mps, prefs.units);
/** An altitude (m) as a number in the current unit (m or ft), for chart series. */
export const elevationValue = (m: number): number => elevationIn(m, prefs.units);
/** A weight (kg) as a number in the current unit (kg or lb), for chart series and inputs. */
export const weightValue = (kg: number): number => weightIn(kg, prefs.units);
/** A long distance (m) as a number in the current unit (km or mi), for inputs. */
export const distanceValue = (m: number): number => distanceIn(m, prefs.units);
/** A distance typed in the current unit (km or mi) back to whole metres, what the API takes. */
export const distanceToMeters = (value: number): number =>
  Math.round(value * (prefs.units === 'imperial' ? METERS_PER_MILE : 1000));
/** Whether pace is shown for a sport (foot sports only). */
export const showsPace = (sport: string | null | undefined): boolean => isFootSport(sport);

/** m/s → pace "4:05 /km" or "6:34 /mi"; below 0.5 m/s the pace is meaningless. */
export function formatPace(mps: number | null | undefined): string {
  if (!ok(mps) || mps < 0.5) return DASH;
  const sec = Math.round(paceSecondsPer(mps, prefs.units) ?? 0);
  return `${Math.floor(sec / 60)}:${String(sec % 60).padStart(2, '0')} ${UNIT_LABELS[prefs.units].pace}`;
}

/** Pace for foot sports (running, walking, hiking), where people read it; else an em dash. */
export const formatPaceFor = (sport: string | null | undefined, mps: number | null | undefined): string =>
  isFootSport(sport) ? formatPace(mps) : DASH;

/** Height or climb: "120 m" or "394 ft". */
export function formatElevation(meters: number | null | undefined): string {
  if (!ok(meters)) return DASH;
  return `${Math.round(elevationIn(meters, prefs.units))} ${UNIT_LABELS[prefs.units].elevation}`;
}

/** Body weight: "72.5 kg" or "159.8 lb". */
export function formatWeight(kg: number | null | undefined): string {
  if (!ok(kg)) return DASH;
  return `${weightIn(kg, prefs.units).toFixed(1)} ${UNIT_LABELS[prefs.units].weight}`;
}

export function formatBpm(bpm: number | null | undefined): string {
  return ok(bpm) ? `${Math.round(bpm)} bpm` : DASH;
}

/** 0.873 → "87 %". */
export function formatPercent(fraction: number | null | undefined, digits = 0): string {
  return ok(fraction) ? `${(fraction * 100).toFixed(digits)} %` : DASH;
}

export function formatNumber(v: number | null | undefined, digits = 0, unit = ''): string {
  if (!ok(v)) return DASH;
  const s = v.toFixed(digits);
  return unit ? `${s} ${unit}` : s;
}

/** How long ago, coarse: "now", "12 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function formatAgo(thenMs: number | null | undefined, nowMs: number): string {
  if (!ok(thenMs)) return 'never';
  const s = Math.max(0, Math.round((nowMs - thenMs) / 1000));
  if (s < 2) return 'now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

const DATE_STYLES = {
  date: { weekday: 'short', day: 'numeric', month: 'short' },
  dateTime: { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' },
  time: { hour: '2-digit', minute: '2-digit', second: '2-digit' },
  shortTime: { hour: '2-digit', minute: '2-digit' },
  dayMonth: { day: 'numeric', month: 'short' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

/** An Intl formatter in the person's time zone (cached; rebuilt when the zone changes). */
export function dateFormat(style: keyof typeof DATE_STYLES): Intl.DateTimeFormat {
  let f = dateFormats.get(style);
  if (!f) {
    f = new Intl.DateTimeFormat(undefined, { ...DATE_STYLES[style], timeZone: prefs.timeZone ?? undefined });
    dateFormats.set(style, f);
  }
  return f;
}

export const formatDate = (d: string | number | Date): string => dateFormat('date').format(new Date(d));
export const formatDateTime = (d: string | number | Date): string =>
  dateFormat('dateTime').format(new Date(d));
export const formatTime = (d: string | number | Date): string => dateFormat('time').format(new Date(d));
/** "14:05" (or "2:05 PM", by locale) in the person's time zone. */
export const formatShortTime = (d: string | number | Date): string =>
  dateFormat('shortTime').format(new Date(d));
/** Minutes the person's zone (or the browser's) is ahead of UTC at an instant. */
const offsetAt = (ms: number): number =>
  prefs.timeZone ? timeZoneOffsetMinutes(ms, prefs.timeZone) : -new Date(ms).getTimezoneOffset();

/** An instant as a datetime-local input value ("2026-12-03T07:30") on the person's clock. */
export function zonedInputValue(ms: number): string {
  return new Date(ms + offsetAt(ms) * 60_000).toISOString().slice(0, 16);
}

/** A datetime-local value read on the person's clock, as epoch ms (NaN when unreadable). */
export function parseZonedInput(text: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) return Number.NaN;
  const wall = Date.parse(`${text}Z`);
  // The offset depends on the instant; a second pass settles it next to a DST change.
  const first = wall - offsetAt(wall) * 60_000;
  return wall - offsetAt(first) * 60_000;
}

/** The hour (0–23) of an instant in the person's time zone. */
export function hourOf(d: string | number | Date): number {
  const f = new Intl.DateTimeFormat('en-GB', {
    hour: 'numeric',
    hourCycle: 'h23',
    timeZone: prefs.timeZone ?? undefined,
  });
  return Number(f.format(new Date(d)));
}

/** "4 Dec" in the person's time zone: chart axes. */
export const formatDayMonth = (d: string | number | Date): string =>
  dateFormat('dayMonth').format(new Date(d));

/** YYYY-MM-DD of a date in UTC (the API's date keys). */
export function isoDay(d: Date | number): string {
  return new Date(d).toISOString().slice(0, 10);
}

/**
 * Today's date key as the server counts days (core localDay): in the person's chosen zone, UTC
 * when they kept the browser's, which the server does not know.
 */
export const todayKey = (): string => localDay(Date.now(), prefs.timeZone);

const SOURCE_LABELS: Record<string, string> = {
  whoop: 'WHOOP',
  garmin: 'Garmin',
  live: 'Live',
  simulator: 'Simulator',
  file: 'File import',
  manual: 'Manual entry',
  merged: 'Merged',
};

/** A data source as people write it (WHOOP in capitals, "File import" rather than "file"). */
export function formatSource(source: string | null | undefined): string {
  if (!source) return '—';
  return SOURCE_LABELS[source] ?? source.charAt(0).toUpperCase() + source.slice(1);
}

/** "team_sport" → "Team sport". */
export function formatSport(sport: string | null | undefined): string {
  if (!sport) return 'Session';
  const words = sport.replace(/_/g, ' ');
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
}
