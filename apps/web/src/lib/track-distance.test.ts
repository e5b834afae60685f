import { describe, expect, it } from 'vitest';
import { TrackDistance } from './track-distance.ts';

// 0.001° of latitude ≈ 111.2 m.
describe('TrackDistance', () => {
  it('adds the steps between accurate fixes, skipping jitter and vague fixes', () => {
    const d = new TrackDistance();
    expect(d.add({ lat: 45, lon: 7, accuracy: 10 })).toBe(0);
    expect(d.add({ lat: 45.00001, lon: 7, accuracy: 10 })).toBe(0); // ~1 m: jitter
    expect(d.add({ lat: 45.001, lon: 7, accuracy: 10 })).toBeCloseTo(111.2, 0);
    expect(d.add({ lat: 45.01, lon: 7, accuracy: 400 })).toBeCloseTo(111.2, 0); // not trusted
    expect(d.add({ lat: 45.002, lon: 7, accuracy: 10 })).toBeCloseTo(222.4, 0);
    d.reset();
    expect(d.add({ lat: 45.01, lon: 7, accuracy: 10 })).toBe(0);
  });
});
