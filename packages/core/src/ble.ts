/**
 * Parsers for Bluetooth LE GATT notifications (all multi-byte fields little-endian):
 * Heart Rate Measurement 0x2A37, RSC Measurement 0x2A53, Cycling Power Measurement 0x2A63.
 */

export type ByteSource = DataView | Uint8Array | ArrayBufferLike | readonly number[];

/** Thrown when a notification is shorter than its flags promise. */
export class BleParseError extends Error {
  override readonly name = 'BleParseError';
  constructor(
    readonly characteristic: string,
    message: string,
  ) {
    super(`${characteristic}: ${message}`);
  }
}

function toDataView(src: ByteSource): DataView {
  if (src instanceof DataView) return src;
  if (src instanceof Uint8Array) return new DataView(src.buffer, src.byteOffset, src.byteLength);
  if (Array.isArray(src)) return new DataView(Uint8Array.from(src as readonly number[]).buffer);
  return new DataView(src as ArrayBufferLike);
}

/** Sequential little-endian reader that names the field it failed on. */
class Reader {
  offset = 0;
  constructor(
    private readonly view: DataView,
    private readonly characteristic: string,
  ) {}

  get remaining(): number {
    return this.view.byteLength - this.offset;
  }

  private need(bytes: number, field: string): void {
    if (this.remaining < bytes) {
      throw new BleParseError(
        this.characteristic,
        `truncated buffer: ${field} needs ${bytes} byte(s) at offset ${this.offset}, ` +
          `but the buffer has ${this.view.byteLength} byte(s)`,
      );
    }
  }

  u8(field: string): number {
    this.need(1, field);
    return this.view.getUint8(this.offset++);
  }

  u16(field: string): number {
    this.need(2, field);
    const v = this.view.getUint16(this.offset, true);
    this.offset += 2;
    return v;
  }

  s16(field: string): number {
    this.need(2, field);
    const v = this.view.getInt16(this.offset, true);
    this.offset += 2;
    return v;
  }

  u24(field: string): number {
    this.need(3, field);
    const v = this.view.getUint16(this.offset, true) | (this.view.getUint8(this.offset + 2) << 16);
    this.offset += 3;
    return v;
  }

  u32(field: string): number {
    this.need(4, field);
    const v = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return v;
  }
}

// ---------------------------------------------------------------------------------------------
// Heart Rate Measurement 0x2A37

const HRM = 'Heart Rate Measurement 0x2A37';

/** RR intervals are transmitted in 1/1024 s. */
const RR_UNITS_PER_SECOND = 1024;

export type SensorContact = 'unsupported' | 'not_detected' | 'detected';

export interface HeartRateMeasurement {
  /** bpm */
  hr: number;
  sensorContact: SensorContact;
  /** Cumulative energy expended in kJ, when the sensor reports it. */
  energyExpendedKj: number | null;
  /** RR intervals in ms (converted from 1/1024 s), oldest first; empty when absent. */
  rrMs: number[];
  /** RR intervals as transmitted (1/1024 s units). */
  rrRaw: number[];
}

export function parseHeartRateMeasurement(src: ByteSource): HeartRateMeasurement {
  const r = new Reader(toDataView(src), HRM);
  const flags = r.u8('flags');
  const hr = flags & 0x01 ? r.u16('heart rate (uint16)') : r.u8('heart rate (uint8)');
  const contactBits = (flags >> 1) & 0x03;
  const sensorContact: SensorContact =
    contactBits === 3 ? 'detected' : contactBits === 2 ? 'not_detected' : 'unsupported';
  const energyExpendedKj = flags & 0x08 ? r.u16('energy expended') : null;
  const rrRaw: number[] = [];
  if (flags & 0x10) {
    // Several RR intervals may be packed into one notification: read to the end of the buffer.
    if (r.remaining < 2) r.u16('RR interval');
    while (r.remaining > 0) rrRaw.push(r.u16(`RR interval #${rrRaw.length + 1}`));
  }
  return {
    hr,
    sensorContact,
    energyExpendedKj,
    rrRaw,
    rrMs: rrRaw.map((v) => (v * 1000) / RR_UNITS_PER_SECOND),
  };
}

export interface EncodeHeartRateInput {
  hr: number;
  /** RR intervals in ms; rounded to the nearest 1/1024 s. */
  rrMs?: readonly number[];
  energyExpendedKj?: number | null;
  /** undefined/null = contact feature not supported. */
  sensorContact?: boolean | null;
  /** Force the uint16 HR format even when HR fits in a byte. */
  uint16?: boolean;
}

/** Builds a 0x2A37 notification payload (for tests, the browser fake and the simulator). */
export function encodeHeartRateMeasurement(input: EncodeHeartRateInput): Uint8Array {
  const hr = Math.round(input.hr);
  if (hr < 0 || hr > 0xffff) throw new RangeError(`heart rate ${input.hr} out of range`);
  const wide = input.uint16 === true || hr > 0xff;
  const rr = (input.rrMs ?? []).map((ms) => Math.round((ms * RR_UNITS_PER_SECOND) / 1000));
  const energy = input.energyExpendedKj ?? null;
  let flags = 0;
  if (wide) flags |= 0x01;
  if (input.sensorContact === true) flags |= 0x06;
  else if (input.sensorContact === false) flags |= 0x04;
  if (energy !== null) flags |= 0x08;
  if (rr.length > 0) flags |= 0x10;
  const bytes = new Uint8Array(1 + (wide ? 2 : 1) + (energy !== null ? 2 : 0) + rr.length * 2);
  const view = new DataView(bytes.buffer);
  let o = 0;
  view.setUint8(o++, flags);
  if (wide) {
    view.setUint16(o, hr, true);
    o += 2;
  } else view.setUint8(o++, hr);
  if (energy !== null) {
    view.setUint16(o, Math.min(0xffff, Math.max(0, Math.round(energy))), true);
    o += 2;
  }
  for (const v of rr) {
    view.setUint16(o, Math.min(0xffff, Math.max(0, v)), true);
    o += 2;
  }
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// Running Speed and Cadence Measurement 0x2A53

const RSC = 'RSC Measurement 0x2A53';

export interface RscMeasurement {
  /** m/s (transmitted in 1/256 m/s) */
  speed: number;
  /** steps per minute */
  cadence: number;
  /** m (transmitted in 1/100 m) */
  strideLength: number | null;
  /** cumulative m (transmitted in 1/10 m) */
  totalDistance: number | null;
  running: boolean;
}

export function parseRscMeasurement(src: ByteSource): RscMeasurement {
  const r = new Reader(toDataView(src), RSC);
  const flags = r.u8('flags');
  const speed = r.u16('instantaneous speed') / 256;
  const cadence = r.u8('instantaneous cadence');
  const strideLength = flags & 0x01 ? r.u16('stride length') / 100 : null;
  const totalDistance = flags & 0x02 ? r.u32('total distance') / 10 : null;
  return { speed, cadence, strideLength, totalDistance, running: (flags & 0x04) !== 0 };
}

// ---------------------------------------------------------------------------------------------
// Cycling Power Measurement 0x2A63

const CPM = 'Cycling Power Measurement 0x2A63';

export interface CrankRevolutionData {
  /** Cumulative crank revolutions, uint16 (wraps at 65536). */
  cumulativeRevolutions: number;
  /** Last crank event time in 1/1024 s, uint16 (wraps every 64 s). */
  lastEventTime: number;
}

export interface WheelRevolutionData {
  /** Cumulative wheel revolutions, uint32. */
  cumulativeRevolutions: number;
  /** Last wheel event time in 1/2048 s, uint16 (wraps every 32 s). */
  lastEventTime: number;
}

export interface CyclingPowerMeasurement {
  flags: number;
  /** W, signed */
  power: number;
  pedalPowerBalance: { percent: number; reference: 'left' | 'unknown' } | null;
  accumulatedTorque: { nm: number; source: 'wheel' | 'crank' } | null;
  wheel: WheelRevolutionData | null;
  crank: CrankRevolutionData | null;
  extremeForceN: { max: number; min: number } | null;
  extremeTorqueNm: { max: number; min: number } | null;
  /** degrees, 12 bits each */
  extremeAnglesDeg: { max: number; min: number } | null;
  topDeadSpotAngleDeg: number | null;
  bottomDeadSpotAngleDeg: number | null;
  accumulatedEnergyKj: number | null;
  offsetCompensationIndicator: boolean;
}

export function parseCyclingPowerMeasurement(src: ByteSource): CyclingPowerMeasurement {
  const r = new Reader(toDataView(src), CPM);
  const flags = r.u16('flags');
  const has = (bit: number): boolean => (flags & (1 << bit)) !== 0;
  const power = r.s16('instantaneous power');
  const pedalPowerBalance = has(0)
    ? {
        percent: r.u8('pedal power balance') / 2,
        reference: has(1) ? ('left' as const) : ('unknown' as const),
      }
    : null;
  const accumulatedTorque = has(2)
    ? { nm: r.u16('accumulated torque') / 32, source: has(3) ? ('crank' as const) : ('wheel' as const) }
    : null;
  const wheel = has(4)
    ? {
        cumulativeRevolutions: r.u32('cumulative wheel revolutions'),
        lastEventTime: r.u16('last wheel event time'),
      }
    : null;
  const crank = has(5)
    ? {
        cumulativeRevolutions: r.u16('cumulative crank revolutions'),
        lastEventTime: r.u16('last crank event time'),
      }
    : null;
  const extremeForceN = has(6)
    ? { max: r.s16('maximum force magnitude'), min: r.s16('minimum force magnitude') }
    : null;
  const extremeTorqueNm = has(7)
    ? { max: r.s16('maximum torque magnitude') / 32, min: r.s16('minimum torque magnitude') / 32 }
    : null;
  let extremeAnglesDeg: { max: number; min: number } | null = null;
  if (has(8)) {
    const packed = r.u24('extreme angles');
    extremeAnglesDeg = { max: packed & 0x0fff, min: (packed >> 12) & 0x0fff };
  }
  const topDeadSpotAngleDeg = has(9) ? r.u16('top dead spot angle') : null;
  const bottomDeadSpotAngleDeg = has(10) ? r.u16('bottom dead spot angle') : null;
  const accumulatedEnergyKj = has(11) ? r.u16('accumulated energy') : null;
  return {
    flags,
    power,
    pedalPowerBalance,
    accumulatedTorque,
    wheel,
    crank,
    extremeForceN,
    extremeTorqueNm,
    extremeAnglesDeg,
    topDeadSpotAngleDeg,
    bottomDeadSpotAngleDeg,
    accumulatedEnergyKj,
    offsetCompensationIndicator: has(12),
  };
}

/**
 * Cadence in rpm between two crank revolution readings, allowing for uint16 wraparound of both
 * the revolution count and the 1/1024 s event time. Returns null when no new crank event
 * happened (same event time), since cadence cannot be derived from a single event; callers
 * usually keep the last value for a couple of seconds, then report 0. Gaps longer than 64 s
 * cannot be told apart from wraparound.
 */
export function crankCadence(prev: CrankRevolutionData, curr: CrankRevolutionData): number | null {
  const revs = (curr.cumulativeRevolutions - prev.cumulativeRevolutions + 0x10000) & 0xffff;
  const ticks = (curr.lastEventTime - prev.lastEventTime + 0x10000) & 0xffff;
  if (ticks === 0) return null;
  return (revs * 60 * 1024) / ticks;
}

/**
 * Speed in m/s between two wheel readings (Cycling Power: 1/2048 s event times; pass 1024 for
 * CSC 0x2A5B), allowing for uint32 revolution and uint16 time wraparound.
 */
export function wheelSpeed(
  prev: WheelRevolutionData,
  curr: WheelRevolutionData,
  circumferenceM: number,
  ticksPerSecond = 2048,
): number | null {
  const revs = (curr.cumulativeRevolutions - prev.cumulativeRevolutions + 0x1_0000_0000) % 0x1_0000_0000;
  const ticks = (curr.lastEventTime - prev.lastEventTime + 0x10000) & 0xffff;
  if (ticks === 0) return null;
  return (revs * circumferenceM * ticksPerSecond) / ticks;
}
