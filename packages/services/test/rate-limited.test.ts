import { describe, expect, it } from 'vitest';
import { rateLimited, waitInWords } from '../src/errors.ts';

describe('waits said in words', () => {
  it('rounds up to whole minutes, at least one, and to hours past an hour and a half', () => {
    expect(waitInWords(1)).toBe('1 minute');
    expect(waitInWords(60_000)).toBe('1 minute');
    expect(waitInWords(60_001)).toBe('2 minutes');
    expect(waitInWords(14 * 60_000 + 1)).toBe('15 minutes');
    expect(waitInWords(90 * 60_000)).toBe('90 minutes');
    expect(waitInWords(90 * 60_000 + 1)).toBe('2 hours');
  });

  it('builds a 429 with the wait in words and Retry-After in seconds', () => {
    const err = rateLimited('Too many sign-in attempts', 56_800);
    expect(err.status).toBe(429);
    expect(err.message).toBe('Too many sign-in attempts; try again in 1 minute');
    expect(err.headers).toEqual({ 'retry-after': '57' });
  });
});
