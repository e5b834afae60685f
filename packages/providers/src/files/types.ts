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
  | 'CORRUPT'
  | 'CRC_MISMATCH'
  | 'MALFORMED_XML'
  | 'NO_DATA';

export interface ActivityFileIssue {
  code: InvalidFileCode;
  message: string;
}

export interface ParsedActivityFile {
  format: ActivityFileFormat;
  /** Platform sport (see `normaliseSport`); `sourceSport` keeps what the file said. */
  sport: string;
  sourceSport: string | null;
  startedAt: Date | null;
  endedAt: Date | null;
  durationS: number | null;
  distanceM: number | null;
  avgHr: number | null;
  maxHr: number | null;
  calories: number | null;
  device: string | null;
  samples: ActivitySample[];
  /** True when the file was damaged and only what could be read is returned. */
  partial: boolean;
  issues: ActivityFileIssue[];
}

export interface ParseActivityFileOptions {
  /** Used only to word error messages; the format is detected from the content. */
  filename?: string;
  /**
   * Return what could be read from a damaged file (with `partial: true` and `issues`) instead of
   * throwing. A file with nothing usable is refused either way.
   */
  allowPartial?: boolean;
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
