import {
  Decoder,
  type FitMessages,
  type LapMesg,
  type RecordMesg,
  type SessionMesg,
  Stream,
} from '@garmin/fitsdk';
import { cleanSamples, fileCreditRule, plausibleTime, recordingIntervalS } from './clean.ts';
import { expandCompressedTimestamps } from './fit-compressed.ts';
import { normaliseFileSport } from './sport.ts';
import {
  becauseOf,
  type DeclaredTotals,
  finishActivity,
  finiteOrUndefined,
  orNull,
  summariseSamples,
} from './summary.ts';
import {
  type ActivityFileIssue,
  type ActivitySample,
  InvalidFileError,
  type ParseActivityFileOptions,
  type ParsedActivity,
  type ParsedActivityFile,
  type ParsedLap,
} from './types.ts';

const SEMICIRCLES_TO_DEGREES = 180 / 2 ** 31;
const FIT_EPOCH_MS = 631_065_600_000;

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
  return typeof value === 'number' ? value * 1000 + FIT_EPOCH_MS : undefined;
}

type DeveloperField = 'hr' | 'power' | 'cadence' | 'speed';

/** Well-known developer fields (Stryd power, external HR…) by their native field or their name. */
function developerFieldMap(messages: FitMessages): Map<number, DeveloperField> {
  const map = new Map<number, DeveloperField>();
  for (const d of messages.fieldDescriptionMesgs ?? []) {
    const desc = d as Record<string, unknown>;
    const key = desc.key;
    if (typeof key !== 'number') continue;
    const native = desc.nativeFieldNum;
    const name = String(desc.fieldName ?? '').toLowerCase();
    // Record native fields: 3 heart_rate, 4 cadence, 6 speed, 7 power.
    const field: DeveloperField | undefined =
      native === 7 || /power|watts/.test(name)
        ? 'power'
        : native === 3 || /heart|^hr$|_hr$|^hr_/.test(name)
          ? 'hr'
          : native === 4 || /cadence/.test(name)
            ? 'cadence'
            : native === 6 || /^speed$/.test(name)
              ? 'speed'
              : undefined;
    if (field !== undefined) map.set(key, field);
  }
  return map;
}

function sampleFromRecord(record: RecordMesg, developer: Map<number, DeveloperField>): ActivitySample | null {
  const ts = toMs(record.timestamp);
  if (ts === undefined) return null;
  const sample: ActivitySample = { ts };
  const put = (field: keyof Omit<ActivitySample, 'ts'>, value: unknown) => {
    const n = finiteOrUndefined(value);
    if (n !== undefined && sample[field] === undefined) sample[field] = n;
  };
  put('hr', record.heartRate);
  put('speed', record.enhancedSpeed ?? record.speed);
  put('cadence', record.cadence);
  put('power', record.power);
  put('distance', record.distance);
  put('alt', record.enhancedAltitude ?? record.altitude);
  const lat = finiteOrUndefined(record.positionLat);
  const lon = finiteOrUndefined(record.positionLong);
  if (lat !== undefined && lon !== undefined) {
    sample.lat = lat * SEMICIRCLES_TO_DEGREES;
    sample.lon = lon * SEMICIRCLES_TO_DEGREES;
  }
  const devFields = (record as { developerFields?: Record<string, unknown> }).developerFields;
  if (devFields !== undefined) {
    for (const [key, value] of Object.entries(devFields)) {
      const field = developer.get(Number(key));
      if (field !== undefined) put(field, Array.isArray(value) ? value[0] : value);
    }
  }
  return sample;
}

function declaredFileSize(bytes: Uint8Array): number {
  const headerSize = bytes[0] ?? 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return headerSize + view.getUint32(4, true) + 2;
}

/**
 * A file whose end was never written (the device lost power before closing it) has a data size
 * of 0 in its header: read everything after the header as data instead.
 */
function readableCopy(bytes: Uint8Array): { bytes: Uint8Array; unfinished: boolean } {
  const headerSize = bytes[0] ?? 0;
  const dataSize = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (dataSize !== 0) return { bytes, unfinished: false };
  if (bytes.length <= headerSize) return { bytes, unfinished: true };
  const copy = new Uint8Array(bytes);
  new DataView(copy.buffer).setUint32(4, bytes.length - headerSize, true);
  if (headerSize === 14) new DataView(copy.buffer).setUint16(12, 0, true); // 0 = header CRC not checked
  return { bytes: copy, unfinished: true };
}

function errorByte(error: Error): number | null {
  const match = /at byte (\d+)/.exec(error.message);
  return match ? Number(match[1]) : null;
}

function decodeIssues(
  bytes: Uint8Array,
  errors: readonly Error[],
  integrityOk: boolean,
  unfinished: boolean,
  recordsRead: number,
): ActivityFileIssue[] {
  const issues: ActivityFileIssue[] = [];
  const declared = declaredFileSize(bytes);
  const records = recordsRead.toLocaleString('en-US');
  const read =
    recordsRead === 0 ? 'nothing before it could be read' : `the ${records} records before it were read`;
  const unfinishedIssue: ActivityFileIssue = {
    code: 'UNFINISHED',
    message: `the recording was never finished (the device stopped before writing the end of the file); ${
      recordsRead === 0
        ? `its ${bytes.length.toLocaleString('en-US')} bytes hold no records`
        : `the ${records} records in its ${bytes.length.toLocaleString('en-US')} bytes were read`
    }`,
  };
  for (const error of errors) {
    const at = errorByte(error);
    const where = at === null ? '' : ` at byte ${at}`;
    if (/compressed timestamp/i.test(error.message)) {
      issues.push({
        code: 'COMPRESSED_TIMESTAMPS',
        message: `the file uses compressed-timestamp records from byte ${at ?? '?'} on, which the FIT decoder cannot read; ${read} (the file itself is valid FIT)`,
      });
    } else if (unfinished) {
      if (!issues.includes(unfinishedIssue)) issues.push(unfinishedIssue);
    } else if (/end of stream/i.test(error.message) || bytes.length < declared) {
      issues.push({
        code: 'TRUNCATED',
        message: `the file is cut off: its header announces ${declared} bytes but only ${bytes.length} arrived; ${read}`,
      });
    } else if (/CRC error/i.test(error.message)) {
      issues.push({ code: 'CRC_MISMATCH', message: 'the file CRC does not match its content' });
    } else if (at !== null && at >= declared) {
      issues.push({
        code: 'CORRUPT',
        message: `${bytes.length - declared} bytes after the end of the FIT data (byte ${declared}) are not FIT data; everything before them was read`,
      });
    } else {
      // The SDK's generic "FIT Runtime Error at byte N" says no more than `where` does.
      const what = /^FIT Runtime Error at byte \d+$/.test(error.message) ? 'not FIT messages' : error.message;
      issues.push({ code: 'CORRUPT', message: `undecodable data${where} (${what}); ${read}` });
    }
  }
  // An unfinished file the decoder read without complaint is still unfinished.
  if (unfinished && !issues.includes(unfinishedIssue)) issues.push(unfinishedIssue);
  if (!integrityOk && issues.length === 0 && !unfinished) {
    issues.push(
      bytes.length < declared
        ? {
            code: 'TRUNCATED',
            message: `the file is cut off: its header announces ${declared} bytes but only ${bytes.length} arrived`,
          }
        : { code: 'CRC_MISMATCH', message: 'the file CRC does not match its content' },
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

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
const defined = (value: unknown) => finiteOrUndefined(value);

function declaredFrom(mesg: SessionMesg | LapMesg): DeclaredTotals {
  const startMs = toMs(mesg.startTime);
  const totals: DeclaredTotals = {
    name: text((mesg as SessionMesg).sportProfileName),
    sourceSport: text(mesg.sport),
    sourceSubSport: text(mesg.subSport),
    startedAt: startMs === undefined ? undefined : new Date(startMs),
    durationS: defined(mesg.totalElapsedTime),
    movingTimeS: defined(mesg.totalTimerTime),
    distanceM: defined(mesg.totalDistance),
    avgHr: defined(mesg.avgHeartRate),
    maxHr: defined(mesg.maxHeartRate),
    avgSpeed: defined(mesg.enhancedAvgSpeed ?? mesg.avgSpeed),
    maxSpeed: defined(mesg.enhancedMaxSpeed ?? mesg.maxSpeed),
    totalAscentM: defined(mesg.totalAscent),
    calories: defined(mesg.totalCalories),
  };
  // Devices write 0 for HR they never measured.
  if (totals.avgHr === 0) totals.avgHr = undefined;
  if (totals.maxHr === 0) totals.maxHr = undefined;
  return totals;
}

function lapFrom(lap: LapMesg): ParsedLap | null {
  const d = declaredFrom(lap);
  if (d.startedAt === undefined) return null;
  return {
    startedAt: d.startedAt,
    elapsedS: d.durationS ?? null,
    movingTimeS: d.movingTimeS ?? null,
    distanceM: d.distanceM ?? null,
    avgHr: d.avgHr ?? null,
    maxHr: d.maxHr ?? null,
    avgSpeed: d.avgSpeed ?? null,
    maxSpeed: d.maxSpeed ?? null,
    avgPower: orNull(lap.avgPower),
    avgCadence: orNull(lap.avgCadence),
    totalAscentM: d.totalAscentM ?? null,
    calories: d.calories ?? null,
  };
}

/** Index of the window [starts[i], starts[i+1]) holding ts; before the first start → 0. */
function windowOf(ts: number, starts: readonly number[]): number {
  let index = 0;
  for (let i = 1; i < starts.length; i++) if (ts >= starts[i]!) index = i;
  return index;
}

const isCompressedTimestampError = (error: Error) => /compressed timestamp/i.test(error.message);

/**
 * Decodes with the SDK; when it stops at a compressed-timestamp record (valid FIT the SDK cannot
 * read), decodes again with those records expanded to full timestamps, so nothing is lost.
 */
function decodeExpandingTimestamps(bytes: Uint8Array, notes: string[]): ReturnType<Decoder['read']> {
  const first = new Decoder(Stream.fromBuffer(bytes)).read();
  if (!first.errors.some(isCompressedTimestampError)) return first;
  const rewritten = expandCompressedTimestamps(bytes);
  if (rewritten === null) return first;
  const second = new Decoder(Stream.fromBuffer(rewritten.bytes)).read();
  if (second.errors.some(isCompressedTimestampError)) return first;
  notes.push(
    `${rewritten.expanded.toLocaleString('en-US')} compressed-timestamp records (valid FIT that writes a short time offset instead of a full timestamp) were read by expanding their timestamps`,
  );
  return second;
}

/** Decodes a FIT activity with the Garmin SDK: one activity per session message. */
export function parseFit(input: Uint8Array, options: ParseActivityFileOptions = {}): ParsedActivityFile {
  const { filename } = options;
  const now = options.now ?? Date.now();
  if (!looksLikeFit(input))
    throw new InvalidFileError('UNKNOWN_FORMAT', 'not a FIT file (no .FIT header)', { filename });

  const { bytes, unfinished } = readableCopy(input);
  let integrityOk: boolean;
  try {
    integrityOk = new Decoder(Stream.fromBuffer(input)).checkIntegrity();
  } catch {
    integrityOk = false;
  }
  const notes: string[] = [];
  const { messages, errors } = decodeExpandingTimestamps(bytes, notes);
  const developer = developerFieldMap(messages);
  const records = messages.recordMesgs ?? [];
  const issues = decodeIssues(input, errors, integrityOk, unfinished, records.length);
  const firstIssue = issues[0];
  if (firstIssue !== undefined && !options.allowPartial) {
    throw new InvalidFileError(firstIssue.code, firstIssue.message, {
      filename,
      samplesRead: records.length,
    });
  }

  const raw = records.map((r) => sampleFromRecord(r, developer)).filter((s) => s !== null);
  const samples = cleanSamples(raw, notes, now);
  const intervalS = recordingIntervalS(samples);
  const { maxCreditS } = fileCreditRule(intervalS);

  const sessions = (messages.sessionMesgs ?? [])
    .map(declaredFrom)
    .filter((d) => d.startedAt !== undefined)
    .sort((a, b) => a.startedAt!.getTime() - b.startedAt!.getTime());
  if (sessions.length === 0) {
    // No session message (an unfinished file): the sport message says what it was.
    const sport = messages.sportMesgs?.[0];
    sessions.push({ sourceSport: text(sport?.sport), sourceSubSport: text(sport?.subSport) });
  }
  // A FIT file's only name is the sport profile's (session or sport message).
  const profileName = text(messages.sportMesgs?.[0]?.name);
  for (const s of sessions) s.name ??= profileName;
  const starts = sessions.map((s) => s.startedAt?.getTime() ?? Number.NEGATIVE_INFINITY);
  const samplesOf = sessions.map((): ActivitySample[] => []);
  for (const sample of samples) samplesOf[windowOf(sample.ts, starts)]!.push(sample);
  const lapsOf = sessions.map((): ParsedLap[] => []);
  for (const lap of (messages.lapMesgs ?? []).map(lapFrom).filter((l) => l !== null)) {
    lapsOf[windowOf(lap.startedAt.getTime(), starts)]!.push(lap);
  }

  const activities: ParsedActivity[] = [];
  sessions.forEach((declared, i) => {
    if (declared.startedAt !== undefined && !plausibleTime(declared.startedAt.getTime(), now)) {
      notes.push(`a session dated ${declared.startedAt.toISOString()} (an unset device clock) was left out`);
      return;
    }
    const own = samplesOf[i]!;
    const laps = lapsOf[i]!.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
    const sport = normaliseFileSport(declared.sourceSport ?? null, declared.sourceSubSport ?? null);
    const computed = summariseSamples(own, { maxGapS: maxCreditS });
    const activity = finishActivity(sport, declared, own, laps, computed);
    if (activity !== null) activities.push(activity);
  });
  if (activities.length === 0) {
    const reason = becauseOf([...(firstIssue === undefined ? [] : [firstIssue.message]), ...notes]);
    throw new InvalidFileError('NO_DATA', `no timestamped activity records or session${reason}`, {
      filename,
    });
  }
  return {
    format: 'fit',
    device: deviceName(messages),
    activities,
    partial: issues.length > 0,
    issues,
    notes,
    recordingIntervalS: intervalS,
  };
}
