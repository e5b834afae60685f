const DAY_S = 86_400;

export interface EpochRange {
  /** UTC epoch seconds, inclusive. */
  startS: number;
  /** UTC epoch seconds, exclusive. */
  endS: number;
}

/** Splits [startS, endS) into consecutive windows of at most `maxSeconds` (oldest first). */
export function chunkRange(range: EpochRange, maxSeconds: number): EpochRange[] {
  if (!Number.isInteger(range.startS) || !Number.isInteger(range.endS)) {
    throw new RangeError('Garmin ranges are whole UTC epoch seconds');
  }
  if (range.endS <= range.startS) return [];
  const windows: EpochRange[] = [];
  for (let startS = range.startS; startS < range.endS; startS += maxSeconds) {
    windows.push({ startS, endS: Math.min(startS + maxSeconds, range.endS) });
  }
  return windows;
}

/** Backfill windows of at most `maxDays` days. */
export function chunkBackfillRange(range: EpochRange, maxDays: number): EpochRange[] {
  return chunkRange(range, maxDays * DAY_S);
}

/** Epoch seconds from a Date or a number that must already be seconds (Garmin refuses ms). */
export function toEpochSeconds(value: Date | number): number {
  if (value instanceof Date) return Math.floor(value.getTime() / 1000);
  if (value > 10_000_000_000) throw new RangeError(`${value} looks like milliseconds; Garmin wants seconds`);
  return Math.floor(value);
}
