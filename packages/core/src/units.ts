/** Small SI conversions. Internally everything is SI: m, m/s, s, bpm, ms, W. */

export const metersPerSecondToKmh = (mps: number): number => mps * 3.6;

export const kmhToMetersPerSecond = (kmh: number): number => kmh / 3.6;

/** Pace in minutes per kilometre; null when standing still (pace is undefined at 0 m/s). */
export function paceMinPerKm(mps: number): number | null {
  if (!(mps > 0)) return null;
  return 1000 / mps / 60;
}

/** Inverse of {@link paceMinPerKm}. */
export function paceMinPerKmToMetersPerSecond(minPerKm: number): number {
  if (!(minPerKm > 0)) throw new RangeError('pace must be positive');
  return 1000 / (minPerKm * 60);
}

/** Formats a pace as `m:ss` per km, e.g. 4.5 → "4:30"; "–" when undefined. */
export function formatPace(minPerKm: number | null): string {
  if (minPerKm === null || !Number.isFinite(minPerKm)) return '–';
  let minutes = Math.floor(minPerKm);
  let seconds = Math.round((minPerKm - minutes) * 60);
  if (seconds === 60) {
    minutes += 1;
    seconds = 0;
  }
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

/** Display unit systems; storage stays SI whichever one a person picks. */
export type UnitSystem = 'metric' | 'imperial';

/** Exact by definition (international yard and pound, 1959). */
export const METERS_PER_MILE = 1609.344;
export const METERS_PER_FOOT = 0.3048;
export const KG_PER_POUND = 0.45359237;

export const metersToMiles = (m: number): number => m / METERS_PER_MILE;
export const metersToFeet = (m: number): number => m / METERS_PER_FOOT;
export const kgToPounds = (kg: number): number => kg / KG_PER_POUND;
export const poundsToKg = (lb: number): number => lb * KG_PER_POUND;
export const metersPerSecondToMph = (mps: number): number => (mps * 3600) / METERS_PER_MILE;

/** A long distance (m) in the system's unit: km or mi. */
export const distanceIn = (m: number, units: UnitSystem): number =>
  units === 'imperial' ? metersToMiles(m) : m / 1000;
/** A speed (m/s) in the system's unit: km/h or mph. */
export const speedIn = (mps: number, units: UnitSystem): number =>
  units === 'imperial' ? metersPerSecondToMph(mps) : metersPerSecondToKmh(mps);
/** A height or climb (m) in the system's unit: m or ft. */
export const elevationIn = (m: number, units: UnitSystem): number =>
  units === 'imperial' ? metersToFeet(m) : m;
/** A body weight (kg) in the system's unit: kg or lb. */
export const weightIn = (kg: number, units: UnitSystem): number =>
  units === 'imperial' ? kgToPounds(kg) : kg;
/** A weight typed in the system's unit back to kg (what is stored). */
export const weightToKg = (value: number, units: UnitSystem): number =>
  units === 'imperial' ? poundsToKg(value) : value;

/** Seconds per km or per mile at a speed (m/s); null when standing still. */
export function paceSecondsPer(mps: number, units: UnitSystem): number | null {
  if (!(mps > 0)) return null;
  return (units === 'imperial' ? METERS_PER_MILE : 1000) / mps;
}

/** Unit labels as the app writes them. */
export const UNIT_LABELS: Record<
  UnitSystem,
  { distance: string; speed: string; pace: string; elevation: string; weight: string }
> = {
  metric: { distance: 'km', speed: 'km/h', pace: '/km', elevation: 'm', weight: 'kg' },
  imperial: { distance: 'mi', speed: 'mph', pace: '/mi', elevation: 'ft', weight: 'lb' },
};

/**
 * Sports moved on foot, where pace (time per distance) is what people read; other sports
 * show speed only. The speed-based efficiency factor uses the same list.
 */
export const FOOT_SPORTS: readonly string[] = ['running', 'walking', 'hiking'];
export const isFootSport = (sport: string | null | undefined): boolean =>
  sport != null && FOOT_SPORTS.includes(sport);

/**
 * The IANA time zone as this runtime spells it ("europe/berlin" → "Europe/Berlin"), or null
 * when Intl does not know it. Stored names go through here so every reader agrees on them.
 */
export function canonicalTimeZone(name: string): string | null {
  if (name.trim() === '' || name.length > 64) return null;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const zoneParts = new Map<string, Intl.DateTimeFormat>();
let lastOffset: { zone: string; bucket: number; minutes: number } | null = null;

/** Minutes the zone is ahead of UTC at an instant (−240 for New York in summer). */
export function timeZoneOffsetMinutes(ms: number, timeZone: string): number {
  // Offsets change only on quarter hours, and readers go in time order: one remembered bucket
  // saves an Intl call for nearly every timestamp of a long export.
  const bucket = Math.floor(ms / 900_000);
  if (lastOffset && lastOffset.zone === timeZone && lastOffset.bucket === bucket) return lastOffset.minutes;
  let f = zoneParts.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    zoneParts.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
  const wall = Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour),
    Number(p.minute),
    Number(p.second),
  );
  const minutes = Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
  lastOffset = { zone: timeZone, bucket, minutes };
  return minutes;
}

/**
 * An instant as ISO 8601 in a zone's local time with its offset, e.g.
 * "2026-06-01T08:30:00.000-04:00": still one exact instant, read as the person's clock.
 */
export function isoInTimeZone(date: Date, timeZone: string): string {
  const ms = date.getTime();
  const offset = timeZoneOffsetMinutes(ms, timeZone);
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, -1);
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${offset < 0 ? '-' : '+'}${hh}:${mm}`;
}

const DAY_MS = 86_400_000;
const QUARTER_HOUR_MS = 900_000;
const dayFormats = new Map<string, Intl.DateTimeFormat | null>();

/** A cached "MM/DD/YYYY" formatter of the zone, null for a zone this runtime does not know. */
function dayFormat(timeZone: string): Intl.DateTimeFormat | null {
  let f = dayFormats.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      f = null; // remembered, so a bad stored name costs one throw, not one per call
    }
    dayFormats.set(timeZone, f);
  }
  return f;
}

/** The zone's offset, or 0 (UTC) for no zone or one this runtime does not know. */
function offsetOrUtc(ms: number, timeZone: string | null | undefined): number {
  return timeZone && dayFormat(timeZone) ? timeZoneOffsetMinutes(ms, timeZone) : 0;
}

/**
 * The calendar day (YYYY-MM-DD) an instant falls on for a person in `timeZone`: the one rule for
 * "which day is this" in analytics, plans and live thresholds. No zone or an unknown one → UTC.
 */
export function localDay(ms: number, timeZone: string | null | undefined): string {
  const f = timeZone ? dayFormat(timeZone) : null;
  if (!f) return new Date(ms).toISOString().slice(0, 10);
  // format() is several times cheaper than formatToParts; en-US numeric dates are "06/01/2026".
  const [month, day, year] = f.format(ms).split('/');
  return `${year}-${month}-${day}`;
}

/** A local calendar day and the instants bounding it: [startMs, endMs). */
export interface LocalDayRange {
  day: string;
  startMs: number;
  endMs: number;
}

/** The first instant of `day` (YYYY-MM-DD) in `timeZone`: its local midnight, or the end of a gap over it. */
export function localDayStart(day: string, timeZone: string | null | undefined): number {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  // Two passes settle the offset on either side of a change; then walk quarter hours (offsets
  // change only on them) over a day that starts at 01:00 because midnight was skipped.
  let start = utcMidnight - offsetOrUtc(utcMidnight, timeZone) * 60_000;
  start = utcMidnight - offsetOrUtc(start, timeZone) * 60_000;
  for (let i = 0; i < 8 && localDay(start, timeZone) < day; i++) start += QUARTER_HOUR_MS;
  for (let i = 0; i < 8 && localDay(start - QUARTER_HOUR_MS, timeZone) === day; i++) start -= QUARTER_HOUR_MS;
  return start;
}

/**
 * The local day of an instant with its bounds, so a caller reading many instants in order (live
 * samples) can test a range instead of asking Intl each time. DST days are 23 or 25 hours long.
 */
export function localDayRange(ms: number, timeZone: string | null | undefined): LocalDayRange {
  const day = localDay(ms, timeZone);
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  return { day, startMs: localDayStart(day, timeZone), endMs: localDayStart(next, timeZone) };
}
