import { CrcCalculator } from '@garmin/fitsdk';

/** FIT's timestamp field (any message) and its base type, uint32. */
const TIMESTAMP_FIELD = 253;
const UINT32 = 0x86;

interface LocalDefinition {
  /** The definition message as it came (record header included). */
  bytes: Uint8Array;
  dataSize: number;
  littleEndian: boolean;
  /** Byte offset of field 253 in a data message, or null. */
  timestampAt: number | null;
}

/** The same definition with a uint32 timestamp field in front, for expanded compressed records. */
function withTimestamp(def: LocalDefinition): Uint8Array {
  const out = new Uint8Array(def.bytes.length + 3);
  out.set(def.bytes.subarray(0, 6), 0);
  out[5] = def.bytes[5]! + 1;
  out.set([TIMESTAMP_FIELD, 4, UINT32], 6);
  out.set(def.bytes.subarray(6), 9);
  return out;
}

/**
 * Rewrites a FIT file's compressed-timestamp records (a one-byte header carrying the low 5 bits
 * of the time, which the Garmin SDK decoder does not read) as normal records with a full
 * timestamp, so the whole file decodes: records after the first compressed one and the
 * session totals at the end. Returns the rewritten file and how many records were expanded, or
 * null when the data cannot be walked (then the caller reports what the SDK read). Data after a
 * cut-off record is copied as it is, so the decoder still reports the cut.
 */
export function expandCompressedTimestamps(
  bytes: Uint8Array,
): { bytes: Uint8Array; expanded: number } | null {
  const headerSize = bytes[0] ?? 0;
  if (bytes.length < headerSize) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dataEnd = Math.min(bytes.length, headerSize + view.getUint32(4, true));
  const local = new Map<number, LocalDefinition>();
  /** What each local type was last defined as in the output: the file's own or the expanded one. */
  const written = new Map<number, 'own' | 'expanded'>();
  const parts: Uint8Array[] = [];
  let lastTs: number | null = null;
  let expanded = 0;
  let at = headerSize;
  while (at < dataEnd) {
    const header = bytes[at]!;
    if ((header & 0x80) !== 0) {
      const type = (header >> 5) & 0x03;
      const def = local.get(type);
      if (def === undefined || lastTs === null) return null;
      if (at + 1 + def.dataSize > dataEnd) break;
      const offset = header & 0x1f;
      let ts: number = (lastTs & ~0x1f) + offset;
      if (offset < (lastTs & 0x1f)) ts += 0x20;
      lastTs = ts >>> 0;
      if (written.get(type) !== 'expanded') {
        const expandedDef = withTimestamp(def);
        expandedDef[0] = (expandedDef[0]! & 0xf0) | type;
        parts.push(expandedDef);
        written.set(type, 'expanded');
      }
      const record = new Uint8Array(5 + def.dataSize);
      record[0] = type;
      new DataView(record.buffer).setUint32(1, lastTs, def.littleEndian);
      record.set(bytes.subarray(at + 1, at + 1 + def.dataSize), 5);
      parts.push(record);
      expanded += 1;
      at += 1 + def.dataSize;
      continue;
    }
    const type = header & 0x0f;
    if ((header & 0x40) !== 0) {
      if (at + 6 > dataEnd) break;
      const littleEndian = bytes[at + 2] === 0;
      const fields = bytes[at + 5]!;
      let end = at + 6 + fields * 3;
      if (end > dataEnd) break;
      let dataSize = 0;
      let timestampAt: number | null = null;
      for (let f = 0; f < fields; f++) {
        const num = bytes[at + 6 + f * 3]!;
        const size = bytes[at + 7 + f * 3]!;
        if (num === TIMESTAMP_FIELD && size === 4) timestampAt = dataSize;
        dataSize += size;
      }
      if ((header & 0x20) !== 0) {
        if (end + 1 > dataEnd) break;
        const developer = bytes[end]!;
        const devEnd = end + 1 + developer * 3;
        if (devEnd > dataEnd) break;
        for (let f = 0; f < developer; f++) dataSize += bytes[end + 2 + f * 3]!;
        end = devEnd;
      }
      // A compressed record's definition has no timestamp of its own; one with a timestamp
      // field is never used compressed, and a developer-data definition stays as written.
      local.set(type, { bytes: bytes.subarray(at, end), dataSize, littleEndian, timestampAt });
      parts.push(bytes.subarray(at, end));
      written.set(type, 'own');
      at = end;
      continue;
    }
    const def = local.get(type);
    if (def === undefined) return null;
    if (at + 1 + def.dataSize > dataEnd) break;
    if (written.get(type) !== 'own') {
      parts.push(def.bytes);
      written.set(type, 'own');
    }
    if (def.timestampAt !== null) {
      const tsAt = at + 1 + def.timestampAt;
      lastTs = new DataView(bytes.buffer, bytes.byteOffset + tsAt, 4).getUint32(0, def.littleEndian);
    }
    parts.push(bytes.subarray(at, at + 1 + def.dataSize));
    at += 1 + def.dataSize;
  }
  if (expanded === 0) return null;
  // Whatever follows (a cut-off record, the file CRC) is left to the decoder to judge.
  const rest = bytes.subarray(at, dataEnd);
  const dataLength = parts.reduce((n, p) => n + p.length, 0) + rest.length;
  const out = new Uint8Array(headerSize + dataLength + 2);
  out.set(bytes.subarray(0, headerSize), 0);
  const outView = new DataView(out.buffer);
  outView.setUint32(4, dataLength, true);
  if (headerSize === 14) outView.setUint16(12, CrcCalculator.calculateCRC(out, 0, 12), true);
  let write = headerSize;
  for (const part of [...parts, rest]) {
    out.set(part, write);
    write += part.length;
  }
  outView.setUint16(write, CrcCalculator.calculateCRC(out, 0, write), true);
  return { bytes: out, expanded };
}
