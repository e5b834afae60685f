import { describe, expect, it } from 'vitest';
import { sessionRpeLoad, wellnessScore } from '../src/wellness.ts';

describe('session RPE load (Foster)', () => {
  it('is RPE × minutes', () => {
    expect(sessionRpeLoad(7, 60)).toBe(420);
    expect(sessionRpeLoad(6.5, 45.5)).toBe(295.8);
    expect(sessionRpeLoad(0, 30)).toBe(0);
  });
  it('refuses ratings off the CR-10 scale', () => {
    expect(() => sessionRpeLoad(11, 10)).toThrow(RangeError);
    expect(() => sessionRpeLoad(-1, 10)).toThrow(RangeError);
    expect(() => sessionRpeLoad(Number.NaN, 10)).toThrow(RangeError);
  });
});

describe('wellness score', () => {
  it('is the mean of the five answers', () => {
    expect(wellnessScore({ sleepQuality: 5, fatigue: 4, soreness: 3, stress: 2, mood: 4 })).toBe(3.6);
    expect(wellnessScore({ sleepQuality: 1, fatigue: 1, soreness: 1, stress: 1, mood: 2 })).toBe(1.2);
  });
});
