/** RFC 4180 CSV: fields quoted when they hold a comma, quote or line break; arrays joined by ';'. */
export function csvValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s: string;
  if (v instanceof Date) s = v.toISOString();
  else if (Array.isArray(v)) s = v.map((x) => (x instanceof Date ? x.toISOString() : String(x))).join(';');
  else if (typeof v === 'object') s = JSON.stringify(v, jsonReplacer);
  else s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvLine(values: unknown[]): string {
  return `${values.map(csvValue).join(',')}\r\n`;
}

/** The whole table as CSV with a header row (columns of the first row, or `columns`). */
export function toCsv(rows: Record<string, unknown>[], columns?: string[]): string {
  const cols = columns ?? Object.keys(rows[0] ?? {});
  return csvLine(cols) + rows.map((r) => csvLine(cols.map((c) => r[c]))).join('');
}

/** JSON.stringify replacer: bigint as a string (sequence numbers may exceed 2^53). */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
