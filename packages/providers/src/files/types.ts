export type ActivityFileFormat = 'fit' | 'gpx' | 'tcx';

/** One point of a recorded activity. `ts` is epoch ms; units SI (m/s, m, degrees, W). */
export interface ActivitySample {
  ts: number;
  hr?: number;
  speed?: number;
  /** As recorded: rpm for cycling, strides (one leg) per minute for running in FIT/TCX. */
  cadence?: number;
  power?: number;
  /** Cumulative distance, m. */
  distance?: number;
  lat?: number;
  lon?: number;
  alt?: number;
}

export type InvalidFileCode =
  | 'EMPTY'
  | 'UNKNOWN_FORMAT'
  | 'TRUNCATED'
  | 'UNFINISHED'
  | 'CORRUPT'
  | 'CRC_MISMATCH'
  | 'COMPRESSED_TIMESTAMPS'
  | 'MALFORMED_XML'
  | 'NO_DATA'
  | 'OUT_OF_RANGE'
  | 'TOO_MANY_POINTS';

export interface ActivityFileIssue {
  code: InvalidFileCode;
  message: string;
}

/** A lap as the file recorded it; null where the file has no figure. */
export interface ParsedLap {
  startedAt: Date;
  elapsedS: number | null;
  movingTimeS: number | null;
  distanceM: number | null;
  avgHr: number | null;
  maxHr: number | null;
  avgSpeed: number | null;
  maxSpeed: number | null;
  avgPower: number | null;
  avgCadence: number | null;
  totalAscentM: number | null;
  calories: number | null;
}

/**
 * One activity of a file: a FIT session message, a TCX <Activity> (or multisport leg), a GPX
 * file. Totals are the device's own where the file has them, else computed from the samples.
 */
export interface ParsedActivity {
  /** The file's own name for it (GPX <name>, TCX <Notes>, FIT sport profile name), if any. */
  name: string | null;
  /** Platform sport (see `normaliseFileSport`); `sourceSport`/`sourceSubSport` keep the file's. */
  sport: string;
  sourceSport: string | null;
  sourceSubSport: string | null;
  startedAt: Date;
  endedAt: Date;
  /** Elapsed time, pauses included. */
  durationS: number;
  /** Timer (moving) time, pauses excluded. */
  movingTimeS: number | null;
  distanceM: number | null;
  avgHr: number | null;
  maxHr: number | null;
  avgSpeed: number | null;
  maxSpeed: number | null;
  totalAscentM: number | null;
  calories: number | null;
  /** Time-ordered, one per instant (records sharing a timestamp merged field by field). */
  samples: ActivitySample[];
  /** Timestamps of samples that begin after a pause the file marks (a new GPX segment). */
  pausesAt: number[];
  laps: ParsedLap[];
}

export interface ParsedActivityFile {
  format: ActivityFileFormat;
  device: string | null;
  /** At least one; several for a multisport or multi-session file, in time order. */
  activities: ParsedActivity[];
  /** True when the file was damaged or unfinished and only what could be read is returned. */
  partial: boolean;
  /** What made the file partial, in plain words. */
  issues: ActivityFileIssue[];
  /** What was repaired or dropped on the way, and why (bounds, clock jumps, pauses). */
  notes: string[];
  /** Median interval between records in s (0 with fewer than two records). */
  recordingIntervalS: number;
}

export interface ParseActivityFileOptions {
  /** Used only to word error messages; the format is detected from the content. */
  filename?: string;
  /**
   * Return what could be read from a damaged file (with `partial: true` and `issues`) instead of
   * throwing. A file with nothing usable is refused either way.
   */
  allowPartial?: boolean;
  /** "Now" for the plausible-time check (tests); defaults to the clock. */
  now?: number;
}

/** A file that cannot be used: the code and message name the problem. */
export class InvalidFileError extends Error {
  readonly code: InvalidFileCode;
  readonly filename: string | undefined;
  /** Samples that could be read before the problem (0 when none). */
  readonly samplesRead: number;

  constructor(code: InvalidFileCode, message: string, options?: { filename?: string; samplesRead?: number }) {
    super(options?.filename === undefined ? message : `${options.filename}: ${message}`);
    this.name = 'InvalidFileError';
    this.code = code;
    this.filename = options?.filename;
    this.samplesRead = options?.samplesRead ?? 0;
  }
}

/**
 * A stored session as written back out to a file (FIT, GPX, TCX): the totals as stored, its
 * samples in time order and its laps. Null where nothing is known.
 */
export interface ExportActivity {
  name: string | null;
  /** Platform sport; `sourceSport`/`sourceSubSport` are the file's own names when it came from FIT. */
  sport: string | null;
  sourceSport: string | null;
  sourceSubSport: string | null;
  startedAt: Date;
  /** Elapsed time, pauses included. */
  durationS: number;
  movingTimeS: number | null;
  distanceM: number | null;
  avgHr: number | null;
  maxHr: number | null;
  avgSpeed: number | null;
  maxSpeed: number | null;
  totalAscentM: number | null;
  calories: number | null;
  samples: readonly ActivitySample[];
  laps: readonly ParsedLap[];
}

/** The laps to write: the stored ones, or one lap covering the whole activity when it has none. */
export function exportLaps(activity: ExportActivity): ParsedLap[] {
  if (activity.laps.length > 0) return [...activity.laps];
  return [
    {
      startedAt: activity.startedAt,
      elapsedS: activity.durationS,
      movingTimeS: activity.movingTimeS ?? activity.durationS,
      distanceM: activity.distanceM,
      avgHr: activity.avgHr,
      maxHr: activity.maxHr,
      avgSpeed: activity.avgSpeed,
      maxSpeed: activity.maxSpeed,
      avgPower: null,
      avgCadence: null,
      totalAscentM: activity.totalAscentM,
      calories: activity.calories,
    },
  ];
}
