import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';

describe('backoffDelay', () => {
  it('doubles per attempt up to the cap', () => {
    const mid = () => 0.5;
    expect(backoffDelay(0, 500, 10_000, mid)).toBe(500);
    expect(backoffDelay(3, 500, 10_000, mid)).toBe(4000);
    expect(backoffDelay(10, 500, 10_000, mid)).toBe(10_000);
  });

  it('jitters within ±20 %', () => {
    expect(backoffDelay(1, 500, 10_000, () => 0)).toBe(800);
    expect(backoffDelay(1, 500, 10_000, () => 1)).toBe(1200);
  });
});
