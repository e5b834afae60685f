import type { NormalisedSession } from '../normalise/types.ts';
import { looksLikeFit, parseFit } from './fit.ts';
import { parseGpx } from './gpx.ts';
import { parseTcx } from './tcx.ts';
import {
  type ActivityFileFormat,
  InvalidFileError,
  type ParseActivityFileOptions,
  type ParsedActivity,
  type ParsedActivityFile,
} from './types.ts';

/** Detects FIT, GPX or TCX from the bytes themselves (never trusting the extension). */
export function detectActivityFileFormat(bytes: Uint8Array): ActivityFileFormat | null {
  if (looksLikeFit(bytes)) return 'fit';
  const head = new TextDecoder('utf-8')
    .decode(bytes.subarray(0, 4096))
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (!head.startsWith('<')) return null;
  if (/<(\w+:)?gpx[\s>]/.test(head)) return 'gpx';
  if (/<(\w+:)?TrainingCenterDatabase[\s>]/.test(head)) return 'tcx';
  return null;
}

/**
 * Parses an uploaded or downloaded activity file. Throws `InvalidFileError` naming the problem
 * (empty, unknown format, truncated, corrupt, bad CRC, malformed XML, no data).
 */
export function parseActivityFile(
  input: Uint8Array | ArrayBuffer,
  options: ParseActivityFileOptions | string = {},
): ParsedActivityFile {
  const opts = typeof options === 'string' ? { filename: options } : options;
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.length === 0) throw new InvalidFileError('EMPTY', 'file is empty', { filename: opts.filename });
  const format = detectActivityFileFormat(bytes);
  switch (format) {
    case 'fit':
      return parseFit(bytes, opts);
    case 'gpx':
      return parseGpx(new TextDecoder('utf-8').decode(bytes), opts);
    case 'tcx':
      return parseTcx(new TextDecoder('utf-8').decode(bytes), opts);
    default: {
      const hint = opts.filename?.toLowerCase().endsWith('.fit')
        ? 'named .fit but has no FIT header'
        : 'not a FIT, GPX or TCX file';
      throw new InvalidFileError('UNKNOWN_FORMAT', hint, { filename: opts.filename });
    }
  }
}

/**
 * A session record for one activity of an imported file; `externalId` is the caller's (e.g. the
 * content hash, with the leg number for the second and later activities of a multisport file).
 */
export function sessionFromActivity(activity: ParsedActivity, externalId: string): NormalisedSession {
  return {
    source: 'file',
    externalId,
    sport: activity.sport,
    startedAt: activity.startedAt,
    endedAt: activity.endedAt,
    durationS: activity.durationS,
    distanceM: activity.distanceM,
    avgHr: activity.avgHr,
    maxHr: activity.maxHr,
    calories: activity.calories,
  };
}
