import { describe, expect, it } from 'vitest';
import {
  dateRangeQuerySchema,
  errorBodySchema,
  idParamSchema,
  isQueryTime,
  nameSchema,
  paginationQuerySchema,
  textSchema,
  timestampSchema,
  toEpochMs,
} from '../src/common.ts';

describe('common schemas', () => {
  it('validates the error envelope', () => {
    expect(errorBodySchema.parse({ error: { code: 'NOT_FOUND', message: 'no such session' } })).toBeTruthy();
    expect(
      errorBodySchema.safeParse({
        error: { code: 'VALIDATION_ERROR', message: 'x', details: [{ field: 'hr' }] },
      }).success,
    ).toBe(true);
    expect(errorBodySchema.safeParse({ error: { code: 'not-a-code', message: 'x' } }).success).toBe(false);
    expect(errorBodySchema.safeParse({ message: 'x' }).success).toBe(false);
  });

  it('accepts date ranges as dates or date-times and rejects from > to', () => {
    expect(dateRangeQuerySchema.parse({ from: '2025-01-01', to: '2025-01-31' })).toEqual({
      from: '2025-01-01',
      to: '2025-01-31',
    });
    expect(dateRangeQuerySchema.safeParse({ from: '2025-01-01T00:00:00Z' }).success).toBe(true);
    expect(dateRangeQuerySchema.safeParse({}).success).toBe(true);
    const bad = dateRangeQuerySchema.safeParse({ from: '2025-02-01', to: '2025-01-01' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['from']);
    expect(dateRangeQuerySchema.safeParse({ from: '01/02/2025' }).success).toBe(false);
    expect(toEpochMs('2025-01-01')).toBe(Date.UTC(2025, 0, 1));
  });

  it('coerces pagination from query strings', () => {
    expect(paginationQuerySchema.parse({})).toEqual({ limit: 50 });
    expect(paginationQuerySchema.parse({ limit: '10', cursor: 'abc' })).toEqual({ limit: 10, cursor: 'abc' });
    expect(paginationQuerySchema.safeParse({ limit: '0' }).success).toBe(false);
    expect(paginationQuerySchema.safeParse({ limit: '501' }).success).toBe(false);
  });

  it('validates uuid params', () => {
    expect(idParamSchema.safeParse({ id: '0b6f1f0e-8a2b-4c3d-9e4f-5a6b7c8d9e0f' }).success).toBe(true);
    expect(idParamSchema.safeParse({ id: '42' }).success).toBe(false);
  });

  it('normalises timestamps', () => {
    expect(timestampSchema.parse(1_700_000_000_000)).toBe(1_700_000_000_000);
    expect(timestampSchema.parse('2023-11-14T22:13:20Z')).toBe(1_700_000_000_000);
    expect(timestampSchema.safeParse('2023-11-14 22:13').success).toBe(false);
    expect(timestampSchema.safeParse(-1).success).toBe(false);
  });

  it('refuses what Postgres text and dates cannot hold (#12.6)', () => {
    expect(textSchema.safeParse('a\u0000b').success).toBe(false);
    expect(textSchema.safeParse('plain ünïcode').success).toBe(true);
    expect(nameSchema().parse('  Harriers  ')).toBe('Harriers');
    expect(nameSchema().safeParse('A\nB').success).toBe(false);
    expect(nameSchema().safeParse('\u0000').success).toBe(false);
    expect(dateRangeQuerySchema.safeParse({ from: '0000-01-01' }).success).toBe(false);
    expect(dateRangeQuerySchema.safeParse({ to: '1899-12-31T23:59:59Z' }).success).toBe(false);
    expect(dateRangeQuerySchema.safeParse({ from: '1900-01-01', to: '9999-12-31' }).success).toBe(true);
    expect(isQueryTime(9e15)).toBe(false);
    expect(isQueryTime(1_700_000_000_000)).toBe(true);
    expect(paginationQuerySchema.safeParse({ cursor: 'a b' }).success).toBe(false);
  });
});
