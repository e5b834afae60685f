import { describe, expect, it } from 'vitest';
import { RingBuffer } from './ring-buffer.ts';

describe('RingBuffer', () => {
  it('keeps insertion order below capacity', () => {
    const r = new RingBuffer<number>(4);
    r.push(1);
    r.push(2);
    expect(r.size).toBe(2);
    expect(r.toArray()).toEqual([1, 2]);
    expect(r.last()).toBe(2);
    expect(r.at(0)).toBe(1);
    expect(r.at(2)).toBeUndefined();
  });

  it('overwrites the oldest item once full', () => {
    const r = new RingBuffer<number>(3);
    for (let i = 1; i <= 7; i++) r.push(i);
    expect(r.size).toBe(3);
    expect(r.toArray()).toEqual([5, 6, 7]);
    expect(r.at(0)).toBe(5);
    expect(r.last()).toBe(7);
  });

  it('refills a given array in place, shrinking it when needed', () => {
    const r = new RingBuffer<{ t: number }>(5);
    for (let t = 0; t < 3; t++) r.push({ t });
    const out = [
      { x: 9, y: 9 },
      { x: 9, y: 9 },
      { x: 9, y: 9 },
      { x: 9, y: 9 },
    ];
    const same = r.toArray(out, (p) => ({ x: p.t, y: p.t * 2 }));
    expect(same).toBe(out);
    expect(out).toEqual([
      { x: 0, y: 0 },
      { x: 1, y: 2 },
      { x: 2, y: 4 },
    ]);
  });

  it('drops items from the front while a predicate holds, across the wrap point', () => {
    const r = new RingBuffer<number>(4);
    for (let i = 1; i <= 6; i++) r.push(i); // holds 3,4,5,6 with start wrapped
    expect(r.dropWhile((v) => v < 5)).toBe(2);
    expect(r.toArray()).toEqual([5, 6]);
    r.push(7);
    r.push(8);
    r.push(9);
    expect(r.toArray()).toEqual([6, 7, 8, 9]);
    r.clear();
    expect(r.size).toBe(0);
    expect(r.last()).toBeUndefined();
  });

  it('rejects a non-positive capacity', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});
