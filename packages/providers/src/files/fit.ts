import { Decoder, type FitMessages, type RecordMesg, type SessionMesg, Stream } from '@garmin/fitsdk';
import { normaliseSport } from '../normalise/sport.ts';
import { finiteOrUndefined, summariseSamples } from './summary.ts';
import {
  type ActivityFileIssue,
  type ActivitySample,
  InvalidFileError,
  type ParseActivityFileOptions,
  type ParsedActivityFile,
} from './types.ts';

const SEMICIRCLES_TO_DEGREES = 180 / 2 ** 31;

/** True when the bytes carry a FIT header (".FIT" at bytes 8–11, header size 12 or 14). */
export function looksLikeFit(bytes: Uint8Array): boolean {
  if (bytes.length < 12) return false;
  const headerSize = bytes[0];
  return (
    (headerSize === 12 || headerSize === 14) &&
    bytes[8] === 0x2e &&
    bytes[9] === 0x46 &&
    bytes[10] === 0x49 &&
    bytes[11] === 0x54
  );
}

function toMs(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  return typeof value === 'number' ? value * 1000 + 631_065_600_000 : undefined;
}

function sampleFromRecord(record: RecordMesg): ActivitySample | null {
  const ts = toMs(record.timestamp);
  if (ts === undefined) return null;
  const sample: ActivitySample = { ts };
  const hr = finiteOrUndefined(record.heartRate);
  const speed = finiteOrUndefined(record.enhancedSpeed ?? record.speed);
  const cadence = finiteOrUndefined(record.cadence);
  const power = finiteOrUndefined(record.power);
  const distance = finiteOrUndefined(record.distance);
  const alt = finiteOrUndefined(record.enhancedAltitude ?? record.altitude);
  const lat = finiteOrUndefined(record.positionLat);
  const lon = finiteOrUndefined(record.positionLong);
  if (hr !== undefined) sample.hr = hr;
  if (speed !== undefined) sample.speed = speed;
  if (cadence !== undefined) sample.cadence = cadence;
  if (power !== undefined) sample.power = power;
  if (distance !== undefined) sample.distance = distance;
  if (alt !== undefined) sample.alt = alt;
  if (lat !== undefined && lon !== undefined) {
    sample.lat = lat * SEMICIRCLES_TO_DEGREES;
    sample.lon = lon * SEMICIRCLES_TO_DEGREES;
  }
  return sample;
}

function declaredFileSize(bytes: Uint8Array): number {
  const headerSize = bytes[0] ?? 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return headerSize + view.getUint32(4, true) + 2;
}

function decodeIssues(
  bytes: Uint8Array,
  errors: readonly Error[],
  integrityOk: boolean,
): ActivityFileIssue[] {
  const issues: ActivityFileIssue[] = [];
  const declared = declaredFileSize(bytes);
  const truncated = bytes.length < declared;
  for (const error of errors) {
    if (/end of stream/i.test(error.message) || truncated) {
      issues.push({
        code: 'TRUNCATED',
        message: `file ends early (${bytes.length} of ${declared} bytes): ${error.message}`,
      });
    } else if (/CRC error/i.test(error.message)) {
      issues.push({ code: 'CRC_MISMATCH', message: `file CRC does not match its content: ${error.message}` });
    } else {
      issues.push({ code: 'CORRUPT', message: `undecodable data: ${error.message}` });
    }
  }
  if (!integrityOk && issues.length === 0) {
    issues.push(
      truncated
        ? { code: 'TRUNCATED', message: `file ends early (${bytes.length} of ${declared} bytes)` }
        : { code: 'CRC_MISMATCH', message: 'file CRC does not match its content' },
    );
  }
  return issues;
}

function deviceName(messages: FitMessages): string | null {
  const fileId = messages.fileIdMesgs?.[0];
  if (fileId === undefined) return null;
  const parts = [fileId.manufacturer, fileId.productName ?? fileId.garminProduct ?? fileId.product]
    .filter((part) => part !== undefined && part !== null && part !== '')
    .map(String);
  return parts.length === 0 ? null : parts.join(' ');
}

function fromSession(session: SessionMesg | undefined) {
  if (session === undefined) return {};
  const startMs = toMs(session.startTime);
  const elapsed = finiteOrUndefined(session.totalElapsedTime);
  return {
    startedAt: startMs === undefined ? undefined : new Date(startMs),
    endedAt: startMs === undefined || elapsed === undefined ? undefined : new Date(startMs + elapsed * 1000),
    durationS: elapsed === undefined ? undefined : Math.round(elapsed),
    distanceM: finiteOrUndefined(session.totalDistance),
    avgHr: finiteOrUndefined(session.avgHeartRate),
    maxHr: finiteOrUndefined(session.maxHeartRate),
    calories: finiteOrUndefined(session.totalCalories),
    sport: typeof session.sport === 'string' ? session.sport : undefined,
  };
}

/** Decodes a FIT activity with the Garmin SDK into samples and a session summary. */
export function parseFit(bytes: Uint8Array, options: ParseActivityFileOptions = {}): ParsedActivityFile {
  const { filename } = options;
  if (!looksLikeFit(bytes))
    throw new InvalidFileError('UNKNOWN_FORMAT', 'not a FIT file (no .FIT header)', { filename });

  let integrityOk: boolean;
  try {
    integrityOk = new Decoder(Stream.fromBuffer(bytes)).checkIntegrity();
  } catch {
    integrityOk = false;
  }
  const { messages, errors } = new Decoder(Stream.fromBuffer(bytes)).read();
  const samples = (messages.recordMesgs ?? []).map(sampleFromRecord).filter((s) => s !== null);
  const issues = decodeIssues(bytes, errors, integrityOk);

  const firstIssue = issues[0];
  if (firstIssue !== undefined && !options.allowPartial) {
    throw new InvalidFileError(firstIssue.code, firstIssue.message, {
      filename,
      samplesRead: samples.length,
    });
  }
  const session = fromSession(messages.sessionMesgs?.[0]);
  if (samples.length === 0 && session.startedAt === undefined) {
    const reason = firstIssue === undefined ? '' : ` (${firstIssue.message})`;
    throw new InvalidFileError('NO_DATA', `no timestamped activity records or session${reason}`, {
      filename,
    });
  }

  const computed = summariseSamples(samples);
  const sourceSport = session.sport ?? null;
  return {
    format: 'fit',
    sport: normaliseSport(sourceSport),
    sourceSport,
    startedAt: session.startedAt ?? computed.startedAt,
    endedAt: session.endedAt ?? computed.endedAt,
    durationS: session.durationS ?? computed.durationS,
    distanceM: session.distanceM ?? computed.distanceM,
    avgHr: session.avgHr ?? computed.avgHr,
    maxHr: session.maxHr ?? computed.maxHr,
    calories: session.calories ?? null,
    device: deviceName(messages),
    samples,
    partial: issues.length > 0,
    issues,
  };
}
