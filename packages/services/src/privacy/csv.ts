import { isoInTimeZone } from '@athlete/core';

/**
 * How instants are written: UTC ("…Z") by default; with the person's time zone, their local
 * time with its offset ("…-04:00"), the same instant. Calendar dates stay YYYY-MM-DD.
 */
export interface CsvTime {
  timeZone?: string | null;
  /** Columns holding calendar dates (DATE, read as UTC midnight), never shifted by a zone. */
  dateColumns?: ReadonlySet<string>;
}

const instant = (d: Date, timeZone: string | null | undefined) =>
  timeZone ? isoInTimeZone(d, timeZone) : d.toISOString();

/** RFC 4180 CSV: fields quoted when they hold a comma, quote or line break; arrays joined by ';'. */
export function csvValue(v: unknown, timeZone?: string | null, isDate = false): string {
  if (v === null || v === undefined) return '';
  let s: string;
  if (v instanceof Date) s = isDate && timeZone ? v.toISOString().slice(0, 10) : instant(v, timeZone);
  else if (Array.isArray(v))
    s = v.map((x) => (x instanceof Date ? instant(x, timeZone) : String(x))).join(';');
  else if (typeof v === 'object') s = JSON.stringify(v, jsonReplacer);
  else s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvLine(values: unknown[], time: CsvTime = {}, columns?: readonly string[]): string {
  const tz = time.timeZone;
  return `${values.map((v, i) => csvValue(v, tz, columns !== undefined && (time.dateColumns?.has(columns[i]!) ?? false))).join(',')}\r\n`;
}

/** Columns that hold calendar dates in the exported tables. */
export const DATE_COLUMNS: ReadonlySet<string> = new Set(['date']);

/** The whole table as CSV with a header row (columns of the first row, or `columns`). */
export function toCsv(rows: Record<string, unknown>[], columns?: string[], time: CsvTime = {}): string {
  const cols = columns ?? Object.keys(rows[0] ?? {});
  return (
    csvLine(cols) +
    rows
      .map((r) =>
        csvLine(
          cols.map((c) => r[c]),
          time,
          cols,
        ),
      )
      .join('')
  );
}

/** JSON.stringify replacer: bigint as a string (sequence numbers may exceed 2^53). */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
