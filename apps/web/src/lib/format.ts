/** Display formatting. Inputs are SI (s, m, m/s, bpm); null/undefined/NaN render as an em dash. */

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

/** 850 → "850 m", 12345 → "12.35 km". */
export function formatDistance(meters: number | null | undefined): string {
  if (!ok(meters) || meters < 0) return DASH;
  if (meters < 1000) return `${Math.round(meters)} m`;
  return `${(meters / 1000).toFixed(meters < 100_000 ? 2 : 1)} km`;
}

/** m/s → "12.6 km/h". */
export function formatSpeed(mps: number | null | undefined): string {
  if (!ok(mps) || mps < 0) return DASH;
  return `${(mps * 3.6).toFixed(1)} km/h`;
}

/** m/s → running pace "4:05 /km"; below 0.5 m/s the pace is meaningless. */
export function formatPace(mps: number | null | undefined): string {
  if (!ok(mps) || mps < 0.5) return DASH;
  const secPerKm = Math.round(1000 / mps);
  return `${Math.floor(secPerKm / 60)}:${String(secPerKm % 60).padStart(2, '0')} /km`;
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

const dateFmt = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export const formatDate = (d: string | number | Date): string => dateFmt.format(new Date(d));
export const formatDateTime = (d: string | number | Date): string => dateTimeFmt.format(new Date(d));
export const formatTime = (d: string | number | Date): string => timeFmt.format(new Date(d));

/** YYYY-MM-DD of a date in UTC (the API's date keys). */
export function isoDay(d: Date | number): string {
  return new Date(d).toISOString().slice(0, 10);
}

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
