import { describe, expect, it } from 'vitest';
import {
  BleParseError,
  crankCadence,
  encodeHeartRateMeasurement,
  parseCyclingPowerMeasurement,
  parseHeartRateMeasurement,
  parseRscMeasurement,
  wheelSpeed,
} from '../src/ble.ts';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('Heart Rate Measurement 0x2A37', () => {
  it('parses an 8-bit HR without contact support', () => {
    const m = parseHeartRateMeasurement(bytes(0x00, 72));
    expect(m).toEqual({ hr: 72, sensorContact: 'unsupported', energyExpendedKj: null, rrMs: [], rrRaw: [] });
  });

  it('parses a 16-bit HR and sensor contact states', () => {
    expect(parseHeartRateMeasurement(bytes(0x07, 0x2c, 0x01)).hr).toBe(300);
    expect(parseHeartRateMeasurement(bytes(0x07, 0x2c, 0x01)).sensorContact).toBe('detected');
    expect(parseHeartRateMeasurement(bytes(0x04, 60)).sensorContact).toBe('not_detected');
    expect(parseHeartRateMeasurement(bytes(0x02, 60)).sensorContact).toBe('unsupported');
  });

  it('reads energy expended and several RR intervals in 1/1024 s', () => {
    // flags: energy (bit3) + RR (bit4); HR 150; energy 0x0102 = 258 kJ; RR 1024, 512, 410
    const m = parseHeartRateMeasurement(bytes(0x18, 150, 0x02, 0x01, 0x00, 0x04, 0x00, 0x02, 0x9a, 0x01));
    expect(m.hr).toBe(150);
    expect(m.energyExpendedKj).toBe(258);
    expect(m.rrRaw).toEqual([1024, 512, 410]);
    expect(m.rrMs[0]).toBe(1000);
    expect(m.rrMs[1]).toBe(500);
    expect(m.rrMs[2]).toBeCloseTo(400.39, 2);
  });

  it('accepts a DataView, an ArrayBuffer and a number array', () => {
    const raw = bytes(0xff, 0x00, 0x10, 0x00); // junk prefix: view starts at offset 1
    const view = new DataView(raw.buffer, 1, 2);
    expect(parseHeartRateMeasurement(view).hr).toBe(16);
    expect(parseHeartRateMeasurement(bytes(0, 99).buffer).hr).toBe(99);
    expect(parseHeartRateMeasurement([0, 98]).hr).toBe(98);
    expect(parseHeartRateMeasurement(raw.subarray(1, 3)).hr).toBe(16);
  });

  it('throws a clear error on a truncated buffer', () => {
    expect(() => parseHeartRateMeasurement(bytes())).toThrow(BleParseError);
    expect(() => parseHeartRateMeasurement(bytes(0x01, 0x50))).toThrow(
      /heart rate \(uint16\).*truncated|truncated.*heart rate \(uint16\)/,
    );
    expect(() => parseHeartRateMeasurement(bytes(0x08, 80, 0x01))).toThrow(/energy expended/);
    expect(() => parseHeartRateMeasurement(bytes(0x10, 80))).toThrow(/RR interval/);
    expect(() => parseHeartRateMeasurement(bytes(0x10, 80, 0x00, 0x04, 0x01))).toThrow(/RR interval #2/);
  });

  it('round-trips through the encoder', () => {
    const enc = encodeHeartRateMeasurement({
      hr: 163,
      rrMs: [368, 370.5],
      energyExpendedKj: 12,
      sensorContact: true,
    });
    const m = parseHeartRateMeasurement(enc);
    expect(m.hr).toBe(163);
    expect(m.sensorContact).toBe('detected');
    expect(m.energyExpendedKj).toBe(12);
    expect(m.rrMs).toHaveLength(2);
    for (const [i, v] of m.rrMs.entries()) expect(Math.abs(v - [368, 370.5][i]!)).toBeLessThan(1000 / 1024);
    expect(parseHeartRateMeasurement(encodeHeartRateMeasurement({ hr: 300 })).hr).toBe(300);
    expect(encodeHeartRateMeasurement({ hr: 60, uint16: true })).toEqual(bytes(0x01, 60, 0));
    expect(encodeHeartRateMeasurement({ hr: 60, sensorContact: false })).toEqual(bytes(0x04, 60));
  });
});

describe('RSC Measurement 0x2A53', () => {
  it('parses speed and cadence without optional fields', () => {
    const m = parseRscMeasurement(bytes(0x00, 0x00, 0x03, 170)); // 768/256 = 3 m/s
    expect(m).toEqual({ speed: 3, cadence: 170, strideLength: null, totalDistance: null, running: false });
  });

  it('parses stride length, total distance and the running flag', () => {
    // flags 0x07; speed 0x0480 = 1152/256 = 4.5 m/s; cadence 180; stride 150 cm; distance 123456 dm
    const m = parseRscMeasurement(bytes(0x07, 0x80, 0x04, 180, 0x96, 0x00, 0x40, 0xe2, 0x01, 0x00));
    expect(m.speed).toBe(4.5);
    expect(m.strideLength).toBe(1.5);
    expect(m.totalDistance).toBe(12345.6);
    expect(m.running).toBe(true);
  });

  it('throws on a truncated total distance', () => {
    expect(() => parseRscMeasurement(bytes(0x02, 0, 3, 170, 1, 2))).toThrow(/total distance/);
  });
});

describe('Cycling Power Measurement 0x2A63', () => {
  it('parses power only, including negative power', () => {
    const m = parseCyclingPowerMeasurement(bytes(0x00, 0x00, 0xfa, 0x00));
    expect(m.power).toBe(250);
    expect(m.crank).toBeNull();
    expect(parseCyclingPowerMeasurement(bytes(0, 0, 0xf6, 0xff)).power).toBe(-10);
  });

  it('parses every optional field in spec order', () => {
    const flags = 0x1fff; // bits 0..12
    const b: number[] = [flags & 0xff, flags >> 8];
    b.push(0x2c, 0x01); // power 300
    b.push(101); // balance 50.5 %
    b.push(0x40, 0x00); // torque 64/32 = 2 N·m
    b.push(0x10, 0x27, 0x00, 0x00, 0x00, 0x08); // wheel revs 10000, time 2048
    b.push(0x05, 0x00, 0x00, 0x04); // crank revs 5, time 1024
    b.push(0xc8, 0x00, 0x9c, 0xff); // force max 200, min -100
    b.push(0x40, 0x00, 0xe0, 0xff); // torque max 2, min -1
    b.push(0x5a, 0x00, 0x0e); // angles: max 90 (0x05a), min 224 (0x0e0)
    b.push(0x0a, 0x00); // TDC 10
    b.push(0xbe, 0x00); // BDC 190
    b.push(0x07, 0x00); // energy 7 kJ
    const m = parseCyclingPowerMeasurement(Uint8Array.from(b));
    expect(m.power).toBe(300);
    expect(m.pedalPowerBalance).toEqual({ percent: 50.5, reference: 'left' });
    expect(m.accumulatedTorque).toEqual({ nm: 2, source: 'crank' });
    expect(m.wheel).toEqual({ cumulativeRevolutions: 10000, lastEventTime: 2048 });
    expect(m.crank).toEqual({ cumulativeRevolutions: 5, lastEventTime: 1024 });
    expect(m.extremeForceN).toEqual({ max: 200, min: -100 });
    expect(m.extremeTorqueNm).toEqual({ max: 2, min: -1 });
    expect(m.extremeAnglesDeg).toEqual({ max: 90, min: 224 });
    expect(m.topDeadSpotAngleDeg).toBe(10);
    expect(m.bottomDeadSpotAngleDeg).toBe(190);
    expect(m.accumulatedEnergyKj).toBe(7);
    expect(m.offsetCompensationIndicator).toBe(true);
  });

  it('parses crank data alone and throws when it is cut short', () => {
    const m = parseCyclingPowerMeasurement(bytes(0x20, 0x00, 0x64, 0x00, 0x0a, 0x00, 0x00, 0x10));
    expect(m.crank).toEqual({ cumulativeRevolutions: 10, lastEventTime: 4096 });
    expect(() => parseCyclingPowerMeasurement(bytes(0x20, 0x00, 0x64, 0x00, 0x0a, 0x00, 0x00))).toThrow(
      /last crank event time/,
    );
    expect(() => parseCyclingPowerMeasurement(bytes(0x00))).toThrow(/flags/);
  });
});

describe('crankCadence', () => {
  it('computes rpm from revolutions and 1/1024 s event times', () => {
    expect(
      crankCadence(
        { cumulativeRevolutions: 10, lastEventTime: 0 },
        { cumulativeRevolutions: 12, lastEventTime: 1024 },
      ),
    ).toBe(120);
  });

  it('handles wraparound of both counters', () => {
    const prev = { cumulativeRevolutions: 65535, lastEventTime: 65000 };
    const curr = { cumulativeRevolutions: 1, lastEventTime: (65000 + 1536) % 65536 };
    expect(crankCadence(prev, curr)).toBe(80); // 2 revs in 1.5 s
  });

  it('returns null when no new crank event happened', () => {
    const s = { cumulativeRevolutions: 3, lastEventTime: 500 };
    expect(crankCadence(s, { ...s })).toBeNull();
  });

  it('wheelSpeed uses 1/2048 s and wraps', () => {
    const v = wheelSpeed(
      { cumulativeRevolutions: 0xffffffff, lastEventTime: 65535 },
      { cumulativeRevolutions: 1, lastEventTime: 2047 },
      2.1,
    );
    expect(v).toBeCloseTo(4.2, 6); // 2 revs × 2.1 m in 1 s
  });
});
