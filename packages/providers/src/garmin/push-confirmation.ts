import type { EpochRange } from './backfill.ts';

const DAY_S = 86_400;

/**
 * How long after recording we look for a pushed summary's upload. Devices sync within hours;
 * a summary uploaded later than this cannot be confirmed and is dropped (logged).
 */
export const GARMIN_PUSH_UPLOAD_LAG_S = 3 * DAY_S;

/** When a summary was recorded (epoch seconds), from whichever field its type carries. */
export function garminRecordedAtS(summary: unknown): number | null {
  if (typeof summary !== 'object' || summary === null) return null;
  const s = summary as {
    startTimeInSeconds?: unknown;
    measurementTimeInSeconds?: unknown;
    summary?: { startTimeInSeconds?: unknown };
    calendarDate?: unknown;
  };
  const seconds = [s.startTimeInSeconds, s.measurementTimeInSeconds, s.summary?.startTimeInSeconds].find(
    (v): v is number => typeof v === 'number' && Number.isFinite(v),
  );
  if (seconds !== undefined) return Math.floor(seconds);
  if (typeof s.calendarDate === 'string') {
    const ms = Date.parse(`${s.calendarDate}T00:00:00Z`);
    // A calendar day is local: its start in UTC is up to 14 h earlier.
    if (Number.isFinite(ms)) return Math.floor(ms / 1000) - 14 * 3600;
  }
  return null;
}

/**
 * The upload windows to pull from Garmin to confirm a push: Garmin's pull API is keyed by upload
 * time, which a push does not carry. A summary is uploaded after it is recorded (within
 * GARMIN_PUSH_UPLOAD_LAG_S), or, for a backfill Garmin re-sends "as if freshly synced", in the
 * day before the push arrived. Overlapping windows are merged; none reaches past `receivedAtS`.
 */
export function garminPushConfirmationRanges(summaries: unknown[], receivedAtS: number): EpochRange[] {
  const ranges: EpochRange[] = [{ startS: receivedAtS - DAY_S, endS: receivedAtS + 1 }];
  for (const summary of summaries) {
    const recordedS = garminRecordedAtS(summary);
    if (recordedS === null || recordedS > receivedAtS) continue;
    ranges.push({ startS: recordedS, endS: Math.min(recordedS + GARMIN_PUSH_UPLOAD_LAG_S, receivedAtS + 1) });
  }
  ranges.sort((a, b) => a.startS - b.startS);
  const merged: EpochRange[] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range.startS <= last.endS) last.endS = Math.max(last.endS, range.endS);
    else merged.push({ ...range });
  }
  return merged;
}
